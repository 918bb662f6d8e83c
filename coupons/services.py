from django.core.exceptions import ValidationError
from django.db import transaction

from coupons.models import Coupon, DiscountType
from coupons.selectors import normalize_code
from ecommerce.common.services import model_update

MAX_DISCOUNT_ONLY_PERCENTAGE = "max_discount applies to percentage coupons only."
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


def _check_max_discount(*, discount_type: str, max_discount) -> None:
    if discount_type == DiscountType.FIXED and max_discount is not None:
        raise ValidationError({"max_discount": [MAX_DISCOUNT_ONLY_PERCENTAGE]})


@transaction.atomic
def coupon_create(*, code: str, **fields) -> Coupon:
    coupon = Coupon(code=normalize_code(code), **fields)
    _check_max_discount(discount_type=coupon.discount_type, max_discount=coupon.max_discount)
    coupon.full_clean()
    coupon.save()
    return coupon


@transaction.atomic
def coupon_update(*, coupon: Coupon, data: dict) -> Coupon:
    data = dict(data)
    if "code" in data:
        data["code"] = normalize_code(data["code"])
    _check_max_discount(
        discount_type=data.get("discount_type", coupon.discount_type),
        max_discount=data.get("max_discount", coupon.max_discount),
    )
    coupon, _ = model_update(instance=coupon, fields=COUPON_FIELDS, data=data)
    return coupon


@transaction.atomic
def coupon_delete(*, coupon: Coupon) -> None:
    # Redemptions PROTECT the coupon: one that was used answers 409; deactivate it instead.
    coupon.delete()
