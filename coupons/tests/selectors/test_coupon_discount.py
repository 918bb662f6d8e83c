from decimal import Decimal

import pytest

from coupons.models import Coupon, DiscountType
from coupons.selectors import coupon_discount


@pytest.mark.parametrize(
    ("discount_type", "value", "max_discount", "subtotal", "expected"),
    [
        (DiscountType.PERCENTAGE, "10", None, "1000.00", "100.00"),
        (DiscountType.PERCENTAGE, "15", None, "99.99", "15.00"),  # 14.9985 rounds half up
        (DiscountType.PERCENTAGE, "12.5", None, "0.04", "0.01"),
        (DiscountType.PERCENTAGE, "50", "200", "1000.00", "200.00"),  # capped
        (DiscountType.PERCENTAGE, "100", None, "350.00", "350.00"),
        (DiscountType.FIXED, "100", None, "1000.00", "100.00"),
        (DiscountType.FIXED, "100", None, "60.00", "60.00"),  # never more than the subtotal
        (DiscountType.FIXED, "100", None, "0.00", "0.00"),
    ],
)
def test_discount(discount_type, value, max_discount, subtotal, expected):
    coupon = Coupon(
        discount_type=discount_type,
        value=Decimal(value),
        max_discount=Decimal(max_discount) if max_discount else None,
    )
    assert coupon_discount(coupon=coupon, subtotal=Decimal(subtotal)) == Decimal(expected)
