from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from coupons.models import Coupon, DiscountType

COUPONS = [
    {
        "code": "WELCOME10",
        "description": "10% off your first order, up to 500 ETB.",
        "discount_type": DiscountType.PERCENTAGE,
        "value": Decimal("10"),
        "max_discount": Decimal("500"),
        "per_user_limit": 1,
    },
    {
        "code": "BUNA100",
        "description": "100 ETB off orders of 1000 ETB or more.",
        "discount_type": DiscountType.FIXED,
        "value": Decimal("100"),
        "min_purchase": Decimal("1000"),
        "usage_limit": 500,
    },
]


def seed(*, stdout, **options) -> None:
    now = timezone.now()
    for fields in COUPONS:
        _, created = Coupon.objects.get_or_create(
            code=fields["code"],
            defaults={**fields, "valid_from": now - timedelta(days=1), "valid_to": now + timedelta(days=365)},
        )
        if created:
            stdout.write(f"  coupon {fields['code']} created")
