from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coupons.error_codes import REASON_MESSAGES, CouponReason
from coupons.exceptions import CouponInvalid
from coupons.lock_objects import coupon_lock, coupon_lock_by_code
from coupons.models import Coupon, CouponRedemption
from coupons.selectors import coupon_check, normalize_code
from ecommerce.common.field_errors import FieldErrors
from ecommerce.common.services import model_update, unique_race_as_validation_error

CODE_TAKEN = _("A coupon with this code exists.")
COUPON_FIELDS = [
    "code",
    "description",
    "discount_type",
    "value",
    "max_discount",
    "min_purchase",
    "valid_from",
    "valid_to",
    "usage_limit",
    "per_user_limit",
    "is_active",
]


def _check_code_free(*, code: str, exclude_pk: int | None = None) -> None:
    # Codes are unique whatever their case (a constraint on UPPER(code)); said on the field here,
    # where the constraint itself could only name the whole coupon.
    if Coupon.objects.filter(code__iexact=code).exclude(pk=exclude_pk).exists():
        raise ValidationError({"code": [CODE_TAKEN]})


@transaction.atomic
def coupon_create(*, code: str, **fields) -> Coupon:
    coupon = Coupon(code=normalize_code(code), **fields)
    errors = FieldErrors()
    with errors.check():
        _check_code_free(code=coupon.code)
    with errors.check():
        coupon.full_clean(exclude=errors.fields)
    errors.raise_any()
    with unique_race_as_validation_error(coupon, recheck=lambda: _check_code_free(code=coupon.code)):
        coupon.save()
    return coupon


@transaction.atomic
def coupon_update(*, coupon: Coupon, data: dict) -> Coupon:
    data = dict(data)
    if "code" in data:
        data["code"] = normalize_code(data["code"])
    code = data.get("code", coupon.code)
    _check_code_free(code=code, exclude_pk=coupon.pk)
    with unique_race_as_validation_error(coupon, recheck=lambda: _check_code_free(code=code, exclude_pk=coupon.pk)):
        model_update(instance=coupon, fields=COUPON_FIELDS, data=data)
    return coupon


@transaction.atomic
def coupon_delete(*, coupon: Coupon) -> None:
    # Redemptions PROTECT the coupon: one that was used answers 409; deactivate it instead.
    coupon.delete()


def _invalid(code: str, reason: CouponReason) -> CouponInvalid:
    return CouponInvalid(REASON_MESSAGES[reason], extra={"reason": reason.value, "coupon_code": code})


def _count_use(coupon: Coupon) -> bool:
    """Count one use of a locked coupon, unless its total limit is reached: a conditional
    update, so the limit holds even against a path that forgot the lock."""
    return bool(
        Coupon.objects.filter(pk=coupon.pk)
        .filter(Q(usage_limit__isnull=True) | Q(times_used__lt=F("usage_limit")))
        .update(times_used=F("times_used") + 1, updated_at=timezone.now())
    )


def coupon_redeem(*, code: str, user, subtotal: Decimal) -> tuple[Coupon, Decimal]:
    """Count one use of the coupon for `user` and return it with the discount on `subtotal`.

    Runs inside the checkout transaction: the coupon row stays locked until it commits, and the
    use is counted with a conditional update, so a coupon limited to N uses is used N times
    however many checkouts race for it. Record the redemption once the order exists.
    """
    coupon = coupon_lock_by_code(code=code)
    check = coupon_check(code=code, user=user, subtotal=subtotal, coupon=coupon)
    if not check.valid:
        raise _invalid(check.code, check.reason)
    if not _count_use(coupon):
        raise _invalid(check.code, CouponReason.USAGE_LIMIT_REACHED)
    return coupon, check.discount


def coupon_redemption_record(*, coupon: Coupon, user, order_id) -> CouponRedemption:
    return CouponRedemption.objects.create(coupon=coupon, user=user, order_id=order_id)


def coupon_release(*, order_id) -> bool:
    """Give back the use an order made of its coupon, once: the redemption row is the proof of
    the use, so only the call that deletes it decrements the count."""
    redemption = CouponRedemption.objects.filter(order_id=order_id).first()
    if redemption is None:
        return False
    coupon_lock(pk=redemption.coupon_id)
    deleted, _ = CouponRedemption.objects.filter(pk=redemption.pk).delete()
    if deleted:
        Coupon.objects.filter(pk=redemption.coupon_id, times_used__gt=0).update(
            times_used=F("times_used") - 1, updated_at=timezone.now()
        )
    return bool(deleted)


def coupon_redeem_again(*, coupon_id: int, user, order_id) -> bool:
    """Count once more the coupon use that a cancelled order gave back, now that its late payment
    brings it back. The customer paid the discounted price while the coupon was valid, so only
    its limits are checked; returns False when they no longer allow another use."""
    coupon = coupon_lock(pk=coupon_id)
    if coupon is None:
        return True  # the coupon was deleted meanwhile: nothing left to count
    used_by_customer = CouponRedemption.objects.filter(coupon=coupon, user=user).count()
    if coupon.per_user_limit is not None and used_by_customer >= coupon.per_user_limit:
        return False
    counted = _count_use(coupon)
    if counted:
        coupon_redemption_record(coupon=coupon, user=user, order_id=order_id)
    return counted
