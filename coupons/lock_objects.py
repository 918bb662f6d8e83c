from coupons.models import Coupon
from coupons.selectors import normalize_code


def coupon_lock_by_code(*, code: str) -> Coupon | None:
    return Coupon.objects.select_for_update(of=("self",)).filter(code=normalize_code(code)).first()


def coupon_lock(*, pk: int) -> Coupon | None:
    return Coupon.objects.select_for_update(of=("self",)).filter(pk=pk).first()
