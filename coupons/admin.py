from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from coupons.models import Coupon, CouponRedemption
from coupons.services import coupon_create, coupon_update
from ecommerce.common.admin import ReadOnlyTabularInline, ServiceModelAdmin


class CouponRedemptionInline(ReadOnlyTabularInline):
    model = CouponRedemption
    fields = ["user", "order_id", "created_at"]
    readonly_fields = fields


@admin.register(Coupon)
class CouponAdmin(ServiceModelAdmin):
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
    # times_used is counted by checkouts and cancellations only, under the coupon's row lock.
    readonly_fields = ["times_used", "created_at", "updated_at"]
    inlines = [CouponRedemptionInline]

    @admin.display(description=_("used / limit"))
    def usage(self, coupon: Coupon) -> str:
        return f"{coupon.times_used} / {coupon.usage_limit if coupon.usage_limit is not None else '∞'}"

    def create_object(self, *, data):
        return coupon_create(**data)

    def update_object(self, *, instance, data):
        return coupon_update(coupon=instance, data=data)
