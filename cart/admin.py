from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cart.models import Cart, CartItem
from ecommerce.common.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline


class CartItemInline(ReadOnlyTabularInline):
    model = CartItem
    fields = ["variant", "quantity", "created_at"]
    readonly_fields = fields


class CartOwnerFilter(admin.SimpleListFilter):
    """Guests' carts (reached by their token, no account yet) apart from customers' carts."""

    title = _("whose cart")
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [("guest", _("guests' carts")), ("customer", _("customers' carts"))]

    def queryset(self, request, queryset):
        if self.value() in ("guest", "customer"):
            return queryset.filter(user__isnull=self.value() == "guest")
        return queryset


@admin.register(Cart)
class CartAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Carts belong to their customers: staff look, and change nothing."""

    list_display = ["owner", "line_count", "updated_at"]
    list_filter = [CartOwnerFilter]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    inlines = [CartItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(line_count=Count("items"))

    @admin.display(description=_("user"), ordering="user__username")
    def owner(self, cart: Cart) -> str:
        return str(cart.user) if cart.user_id else gettext("guest")

    @admin.display(description=_("lines"), ordering="line_count")
    def line_count(self, cart: Cart) -> int:
        return cart.line_count
