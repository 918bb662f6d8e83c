from django.contrib import admin, messages

from ecommerce.common.admin import ReadOnlyAdminMixin
from payments.models import Payment, WebhookEvent


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Gateway records are read-only: they say what Chapa said. Staff may ask for a re-check."""

    list_display = ["tx_ref", "order", "amount", "currency", "status", "created_at", "verified_at"]
    list_filter = ["status", "currency", "created_at"]
    search_fields = ["tx_ref", "chapa_reference", "order__number", "order__user__email"]
    list_select_related = ["order"]
    date_hierarchy = "created_at"
    actions = ["verify_with_chapa", "refund_with_chapa"]

    @admin.action(description="Verify with Chapa now")
    def verify_with_chapa(self, request, queryset):
        from payments.services import PaymentGatewayError, payment_verify

        for payment in queryset:
            try:
                result = payment_verify(payment_id=payment.pk)
            except PaymentGatewayError as exc:
                self.message_user(request, f"{payment.tx_ref}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{payment.tx_ref}: {result.status}", messages.INFO)

    @admin.action(description="Refund through Chapa (orders waiting for a refund)")
    def refund_with_chapa(self, request, queryset):
        from ecommerce.common.exceptions import ApplicationError
        from payments.services import payment_refund

        for payment in queryset:
            try:
                payment_refund(payment_id=payment.pk, actor=request.user, reason="Refunded by staff")
            except ApplicationError as exc:
                self.message_user(request, f"{payment.tx_ref}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{payment.tx_ref}: refunded", messages.SUCCESS)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["event", "tx_ref", "received_at"]
    list_filter = ["event", "received_at"]
    search_fields = ["tx_ref"]
