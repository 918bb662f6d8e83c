from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from ecommerce.common.admin import ReadOnlyTabularInline
from ecommerce.common.exceptions import ApplicationError
from orders.models import Order, OrderEvent, OrderItem, OrderStatus
from orders.services import order_status_change

# The next step an admin "advance" takes; cancelling and confirming payment are not advances.
NEXT_STATUS = {
    OrderStatus.CONFIRMED: OrderStatus.PROCESSING,
    OrderStatus.PROCESSING: OrderStatus.SHIPPED,
    OrderStatus.SHIPPED: OrderStatus.DELIVERED,
}


class OrderItemInline(ReadOnlyTabularInline):
    model = OrderItem
    fields = ["product", "product_title", "unit_price", "quantity", "line_total"]
    readonly_fields = fields


class OrderEventInline(ReadOnlyTabularInline):
    model = OrderEvent
    fields = ["created_at", "from_status", "status", "actor", "note"]
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "user", "status", "payment_status", "total", "currency", "created_at", "expires_at"]
    list_filter = ["status", "payment_status", "created_at"]
    search_fields = ["number", "user__username", "user__email", "coupon_code"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    readonly_fields = [
        "id",
        "number",
        "user",
        "status",
        "payment_status",
        "subtotal",
        "discount_amount",
        "total",
        "currency",
        "coupon",
        "coupon_code",
        "shipping_address",
        "billing_address",
        "notes",
        "expires_at",
        "created_at",
        "updated_at",
    ]
    inlines = [OrderItemInline, OrderEventInline]
    actions = ["advance_status"]

    def has_add_permission(self, request):
        return False  # orders are placed by customers at checkout

    def has_delete_permission(self, request, obj=None):
        return False  # an order is a record of a sale: cancel it instead

    @admin.action(description="Advance status (confirmed → processing → shipped → delivered)")
    def advance_status(self, request, queryset):
        advanced = 0
        for order in queryset:
            target = NEXT_STATUS.get(order.status)
            if target is None:
                self.message_user(request, f"{order.number}: nothing to advance from {order.status}.", messages.WARNING)
                continue
            try:
                order_status_change(order_id=order.pk, new_status=target, actor=request.user, note="Advanced in admin.")
                advanced += 1
            except (ApplicationError, ValidationError) as exc:
                self.message_user(request, f"{order.number}: {exc}", messages.ERROR)
        if advanced:
            self.message_user(request, f"Advanced {advanced} order(s).", messages.SUCCESS)
