from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from ecommerce.common.admin import ReadOnlyAdminMixin, data_html, money_column
from ecommerce.common.exceptions import ApplicationError
from orders.admin import OrderAdmin
from orders.models import Order
from payments.models import Payment, PaymentMethod, WebhookEvent
from payments.services import payment_record, payment_refund, payment_refund_record, payment_verify


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Gateway records are read-only: they say what Chapa said. Staff act on them only through
    the payment services: a re-check, a refund, or recording a refund made outside the shop."""

    list_display = [
        "tx_ref",
        "order",
        "method",
        money_column("amount", _("amount")),
        "status",
        "applied",
        "created_at",
        "verified_at",
    ]
    list_filter = ["method", "status", "applied", "currency", "created_at"]
    search_fields = ["tx_ref", "chapa_reference", "order__number", "order__user__email"]
    list_select_related = ["order"]
    date_hierarchy = "created_at"
    actions = ["verify_with_chapa", "refund_with_chapa", "record_refund_made_elsewhere"]
    exclude = ["gateway_response"]
    readonly_fields = ["chapa_answer"]

    @admin.display(description=_("What Chapa answered"))
    def chapa_answer(self, payment: Payment):
        return data_html(payment.gateway_response)

    def has_refund_permission(self, request):
        return request.user.has_perm("orders.refund")

    def _each(self, request, queryset, act, done: str) -> None:
        for payment in queryset:
            try:
                result = act(payment)
            except ApplicationError as exc:
                self.message_user(request, f"{payment.tx_ref}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{payment.tx_ref}: {done or result.get_status_display()}", messages.SUCCESS)

    @admin.action(description=_("Verify with Chapa now"))
    def verify_with_chapa(self, request, queryset):
        self._each(request, queryset, lambda p: payment_verify(payment_id=p.pk), "")

    # Cash and bank transfers are refused by the service: they go back by hand, then are recorded.
    @admin.action(description=_("Refund through Chapa (Chapa payments owed to the customer)"), permissions=["refund"])
    def refund_with_chapa(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda p: payment_refund(payment_id=p.pk, actor=request.user, reason="Refunded by staff"),
            _("refunded"),
        )

    @admin.action(
        description=_("Record a refund already made (seen in the Chapa dashboard, or paid back by hand)"),
        permissions=["refund"],
    )
    def record_refund_made_elsewhere(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda p: payment_refund_record(payment_id=p.pk, actor=request.user, note="Refund recorded by staff."),
            _("refund recorded"),
        )


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["event", "tx_ref", "received_at"]
    list_filter = ["event", "received_at"]
    search_fields = ["tx_ref"]
    exclude = ["payload"]
    readonly_fields = ["what_chapa_sent"]

    @admin.display(description=_("What Chapa sent"))
    def what_chapa_sent(self, event: WebhookEvent):
        return data_html(event.payload)


class RecordPaymentForm(forms.Form):
    amount = forms.DecimalField(
        max_digits=12, decimal_places=2, label=_("Amount"), help_text=_("The order's total, exactly.")
    )
    method = forms.ChoiceField(
        choices=[(method, method.label) for method in (PaymentMethod.CASH, PaymentMethod.BANK_TRANSFER)],
        label=_("Method"),
    )
    reference = forms.CharField(max_length=100, required=False, label=_("Reference"))
    note = forms.CharField(max_length=500, required=False, label=_("Note"))


# The order page gains what only the payments app can do: record money received outside Chapa.
admin.site.unregister(Order)


@admin.register(Order)
class OrderWithPaymentsAdmin(OrderAdmin):
    actions = [*OrderAdmin.actions, "record_payment"]

    @admin.action(
        description=_("Record a payment received (cash on delivery, bank transfer)"), permissions=["record_payment"]
    )
    def record_payment(self, request, queryset):
        def record(order, data):
            payment_record(order_id=order.pk, actor=request.user, **data)

        order = queryset.first()
        return self.one_order_form(
            request,
            queryset,
            RecordPaymentForm,
            record,
            _("Record a payment for order {number}"),
            _("payment recorded"),
            initial={"amount": order.total if order else None},
        )
