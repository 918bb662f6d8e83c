from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from coupons.error_codes import CouponReason
from coupons.models import Coupon, CouponRedemption, DiscountType
from ecommerce.common.permissions import staff_can_view

CENT = Decimal("0.01")


def normalize_code(code: str) -> str:
    return code.strip().upper()


def _usable_now() -> Q:
    now = timezone.now()
    return Q(is_active=True, valid_from__lte=now, valid_to__gte=now) & (
        Q(usage_limit__isnull=True) | Q(times_used__lt=F("usage_limit"))
    )


def coupon_list(*, user) -> QuerySet[Coupon]:
    """Staff who may see coupons see every one; customers see the ones they could use right now,
    leaving out those whose total limit, or whose per-customer limit for them, is reached."""
    qs = Coupon.objects.all()
    if staff_can_view(user, Coupon):
        return qs
    return (
        qs.filter(_usable_now())
        .annotate(used_by_user=Count("redemptions", filter=Q(redemptions__user=user)))
        .filter(Q(per_user_limit__isnull=True) | Q(used_by_user__lt=F("per_user_limit")))
        .order_by(*Coupon._meta.ordering)  # a grouped query drops the model's default order
    )


def coupon_get_by_code(*, code: str) -> Coupon | None:
    return Coupon.objects.filter(code=normalize_code(code)).first()


def coupon_discount(*, coupon: Coupon, subtotal: Decimal) -> Decimal:
    """The discount on `subtotal`: never more than the subtotal, so a total is never negative."""
    if coupon.discount_type == DiscountType.PERCENTAGE:
        discount = (subtotal * coupon.value / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)
        if coupon.max_discount is not None:
            discount = min(discount, coupon.max_discount)
    else:
        discount = coupon.value
    return min(discount, subtotal)


@dataclass(frozen=True)
class CouponCheck:
    code: str
    coupon: Coupon | None
    reason: CouponReason | None
    discount: Decimal = Decimal("0.00")

    @property
    def valid(self) -> bool:
        return self.reason is None


def coupon_check(*, code: str, user, subtotal: Decimal, coupon: Coupon | None = None) -> CouponCheck:
    """Whether the coupon applies to this user's `subtotal` now, and for how much.

    Checkout passes the coupon row it has locked; the preview endpoint lets it be looked up.
    The reasons are checked in the order the API contract lists them.
    """
    code = normalize_code(code)
    coupon = coupon if coupon is not None else coupon_get_by_code(code=code)
    now = timezone.now()
    reason = None
    if coupon is None:
        reason = CouponReason.NOT_FOUND
    elif not coupon.is_active:
        reason = CouponReason.INACTIVE
    elif now < coupon.valid_from:
        reason = CouponReason.NOT_STARTED
    elif now > coupon.valid_to:
        reason = CouponReason.EXPIRED
    elif coupon.usage_limit is not None and coupon.times_used >= coupon.usage_limit:
        reason = CouponReason.USAGE_LIMIT_REACHED
    elif (
        coupon.per_user_limit is not None
        and CouponRedemption.objects.filter(coupon=coupon, user=user).count() >= coupon.per_user_limit
    ):
        reason = CouponReason.USER_LIMIT_REACHED
    elif subtotal < coupon.min_purchase:
        reason = CouponReason.MIN_PURCHASE_NOT_MET
    if reason is not None:
        return CouponCheck(code=code, coupon=coupon, reason=reason)
    return CouponCheck(
        code=code, coupon=coupon, reason=None, discount=coupon_discount(coupon=coupon, subtotal=subtotal)
    )
