from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from ecommerce.common.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline, data_html, money_column
from ecommerce.common.exceptions import ApplicationError
from orders.admin import OrderAdmin, ReturnAdmin
from orders.models import Order, Return
from payments.models import Payment, PaymentMethod, Refund, WebhookEvent
from payments.services import (
    payment_record,
    payment_refund,
    payment_refund_record,
    payment_verify,
    refund_settle,
    return_refund,
)


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


class RefundInline(ReadOnlyTabularInline):
    model = Refund
    fields = ["created_at", "return_request", "amount", "delivery_amount", "method", "status", "reference", "actor"]
    readonly_fields = fields


# The order page gains what only the payments app can do: record money received outside Chapa,
# and show the refunds.
admin.site.unregister(Order)


@admin.register(Order)
class OrderWithPaymentsAdmin(OrderAdmin):
    actions = [*OrderAdmin.actions, "record_payment"]
    inlines = [*OrderAdmin.inlines, RefundInline]

    @admin.action(
        description=_("Record a payment received (cash on delivery, bank transfer)"), permissions=["record_payment"]
    )
    def record_payment(self, request, queryset):
        def record(order, data):
            payment_record(order_id=order.pk, actor=request.user, **data)

        order = queryset.first()
        return self.one_object_form(
            request,
            queryset,
            RecordPaymentForm,
            record,
            _("Record a payment for order {number}"),
            _("payment recorded"),
            initial={"amount": order.total if order else None},
        )


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Refunds say what went back and what Chapa answered. One whose answer was lost stays
    `sending`: staff settle it by what the Chapa dashboard shows, never by sending it again."""

    list_display = ["created_at", "order", "return_request", money_column("amount", _("amount")), "method", "status"]
    list_filter = ["status", "method", "created_at"]
    search_fields = ["order__number", "return_request__number", "reference", "credit_note_number"]
    list_select_related = ["order", "return_request"]
    exclude = ["gateway_response"]
    readonly_fields = ["chapa_answer"]
    actions = ["settle_made", "settle_not_made"]

    @admin.display(description=_("What Chapa answered"))
    def chapa_answer(self, refund: Refund):
        return data_html(refund.gateway_response)

    def has_refund_permission(self, request):
        return request.user.has_perm("orders.refund")

    def _settle(self, request, queryset, made: bool) -> None:
        for refund in queryset:
            try:
                refund = refund_settle(refund_id=refund.pk, actor=request.user, made=made)
            except ApplicationError as exc:
                self.message_user(request, f"{refund}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, str(refund), messages.SUCCESS)

    @admin.action(description=_("The Chapa dashboard shows the refund made"), permissions=["refund"])
    def settle_made(self, request, queryset):
        self._settle(request, queryset, made=True)

    @admin.action(description=_("The Chapa dashboard shows no refund: it may be made again"), permissions=["refund"])
    def settle_not_made(self, request, queryset):
        self._settle(request, queryset, made=False)


class ReturnRefundForm(forms.Form):
    amount = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        label=_("Amount"),
        help_text=_("Leave empty to refund the return's whole value."),
    )
    include_delivery = forms.BooleanField(required=False, label=_("Refund the delivery fee too"))
    method = forms.ChoiceField(
        choices=[("", "---------"), *PaymentMethod.choices],
        required=False,
        label=_("Method"),
        help_text=_("For an order paid in cash or by bank transfer: how the money went back."),
    )
    reference = forms.CharField(max_length=100, required=False, label=_("Reference"))
    note = forms.CharField(max_length=500, required=False, label=_("Note"))


admin.site.unregister(Return)


@admin.register(Return)
class ReturnWithRefundsAdmin(ReturnAdmin):
    actions = [*ReturnAdmin.actions, "refund_return"]
    inlines = [*ReturnAdmin.inlines, RefundInline]

    @admin.action(description=_("Refund a return"), permissions=["refund"])
    def refund_return(self, request, queryset):
        def refund(ret, data):
            return_refund(
                return_id=ret.pk,
                actor=request.user,
                amount=data["amount"],
                include_delivery=data["include_delivery"],
                method=data["method"] or None,
                reference=data["reference"],
                note=data["note"],
            )

        return self.one_object_form(
            request, queryset, ReturnRefundForm, refund, _("Refund return {number}"), _("refunded")
        )
