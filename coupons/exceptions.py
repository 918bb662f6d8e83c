from coupons.error_codes import CouponErrorCode
from ecommerce.common.exceptions import ApplicationError


class CouponInvalid(ApplicationError):
    """The coupon does not apply; `reason` is one of CouponReason."""

    default_code = CouponErrorCode.COUPON_INVALID
