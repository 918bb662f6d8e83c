from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class CouponErrorCode(StrEnum):
    """Every code the coupons app answers with; each means one HTTP status everywhere."""

    COUPON_INVALID = "coupon_invalid"  # 400, with a `reason` (CouponReason)


class CouponReason(StrEnum):
    """Why a coupon does not apply; the values are part of the API contract."""

    NOT_FOUND = "not_found"
    INACTIVE = "inactive"
    NOT_STARTED = "not_started"
    EXPIRED = "expired"
    USAGE_LIMIT_REACHED = "usage_limit_reached"
    USER_LIMIT_REACHED = "user_limit_reached"
    MIN_PURCHASE_NOT_MET = "min_purchase_not_met"


REASON_MESSAGES = {
    CouponReason.NOT_FOUND: _("There is no coupon with this code."),
    CouponReason.INACTIVE: _("This coupon is not active."),
    CouponReason.NOT_STARTED: _("This coupon is not valid yet."),
    CouponReason.EXPIRED: _("This coupon has expired."),
    CouponReason.USAGE_LIMIT_REACHED: _("This coupon has been used up."),
    CouponReason.USER_LIMIT_REACHED: _("You have already used this coupon as often as allowed."),
    CouponReason.MIN_PURCHASE_NOT_MET: _("Your subtotal is below this coupon's minimum purchase."),
}
