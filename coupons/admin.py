from django.contrib import admin

from coupons.models import Coupon, CouponRedemption
from ecommerce.common.admin import ReadOnlyTabularInline


class CouponRedemptionInline(ReadOnlyTabularInline):
    model = CouponRedemption
    fields = ["user", "created_at"]
    readonly_fields = fields


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "discount_type",
        "value",
        "max_discount",
        "min_purchase",
        "valid_from",
        "valid_to",
        "usage",
        "per_user_limit",
        "is_active",
    ]
    list_filter = ["is_active", "discount_type", "valid_from", "valid_to"]
    search_fields = ["code", "description"]
    readonly_fields = ["times_used", "created_at", "updated_at"]
    inlines = [CouponRedemptionInline]

    @admin.display(description="used / limit")
    def usage(self, coupon: Coupon) -> str:
        return f"{coupon.times_used} / {coupon.usage_limit if coupon.usage_limit is not None else '∞'}"

    def save_model(self, request, obj, form, change):
        from coupons.selectors import normalize_code

        obj.code = normalize_code(obj.code)
        super().save_model(request, obj, form, change)
