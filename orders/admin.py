from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join

from ecommerce.common.admin import ReadOnlyTabularInline, StreamedExportMixin, error_message
from ecommerce.common.exceptions import ApplicationError
from orders.models import Order, OrderEvent, OrderItem, OrderStatus
from orders.resources import OrderLineResource
from orders.services import order_status_change
from orders.services.transitions import NEXT_STEP

ADDRESS_LINES = ["full_name", "phone", "line1", "line2", "city", "region", "postal_code", "country"]


class OrderItemInline(ReadOnlyTabularInline):
    model = OrderItem
    fields = ["product", "product_title", "unit_price", "quantity", "line_total"]
    readonly_fields = fields


class OrderEventInline(ReadOnlyTabularInline):
    model = OrderEvent
    fields = ["created_at", "type", "from_status", "status", "payment_status", "actor", "note"]
    readonly_fields = fields


def _address_html(snapshot: dict):
    lines = [str(snapshot.get(key) or "").strip() for key in ADDRESS_LINES]
    return format_html_join("", "{}<br>", ((line,) for line in lines if line))


@admin.register(Order)
class OrderAdmin(StreamedExportMixin, admin.ModelAdmin):
    """Orders are read here and changed only by actions that call the order services: the page
    has no Save, so no status, payment status or holding read earlier is ever written back."""

    list_display = ["number", "user", "status", "payment_status", "total", "currency", "created_at", "expires_at"]
    list_filter = ["status", "payment_status", "created_at"]
    # An order is found by its number, the customer's e-mail or name, or the phone it ships to.
    search_fields = [
        "number",
        "user__username",
        "user__email",
        "coupon_code",
        "shipping_address__phone",
        "shipping_address__full_name",
    ]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    fields = [
        "number",
        "user",
        "status",
        "payment_status",
        "subtotal",
        "discount_amount",
        "total",
        "currency",
        "coupon_code",
        "shipping",
        "billing",
        "notes",
        "expires_at",
        "paid_at",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [OrderItemInline, OrderEventInline]
    export_resource = OrderLineResource
    actions = ["advance_status", "cancel_orders"]

    def export_rows(self, queryset):
        # Each listed order's lines, with the order they belong to read in the same query.
        return (
            OrderItem.objects.filter(order__in=queryset)
            .select_related("order__user")
            .order_by("order__created_at", "pk")
        )

    @admin.display(description="Shipping address")
    def shipping(self, order: Order):
        return _address_html(order.shipping_address)

    @admin.display(description="Billing address")
    def billing(self, order: Order):
        return _address_html(order.billing_address)

    def has_add_permission(self, request):
        return False  # orders are placed by customers at checkout

    def has_change_permission(self, request, obj=None):
        return False  # every change is an action below, through the services

    def has_delete_permission(self, request, obj=None):
        return False  # an order is a record of a sale: cancel it instead

    def _apply(self, request, queryset, target_for, note: str) -> None:
        done = 0
        for order in queryset:
            target = target_for(order)
            if target is None:
                self.message_user(request, f"{order.number}: nothing to do from {order.status}.", messages.WARNING)
                continue
            try:
                order_status_change(order_id=order.pk, new_status=target, actor=request.user, note=note)
                done += 1
            except (ApplicationError, ValidationError) as exc:
                self.message_user(request, f"{order.number}: {error_message(exc)}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} order(s) changed.", messages.SUCCESS)

    @admin.action(description="Advance status (confirmed → processing → shipped → delivered)")
    def advance_status(self, request, queryset):
        self._apply(request, queryset, lambda order: NEXT_STEP.get(order.status), "Advanced in admin.")

    @admin.action(description="Cancel (stock goes back; a paid order is flagged for refund)")
    def cancel_orders(self, request, queryset):
        self._apply(request, queryset, lambda order: OrderStatus.CANCELLED, "Cancelled in admin.")
