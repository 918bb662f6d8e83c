from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from cart.models import Cart, CartItem
from ecommerce.common.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline


class CartItemInline(ReadOnlyTabularInline):
    model = CartItem
    fields = ["variant", "quantity", "created_at"]
    readonly_fields = fields


@admin.register(Cart)
class CartAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Carts belong to their customers: staff look, and change nothing."""

    list_display = ["user", "line_count", "updated_at"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    inlines = [CartItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(line_count=Count("items"))

    @admin.display(description=_("lines"), ordering="line_count")
    def line_count(self, cart: Cart) -> int:
        return cart.line_count
