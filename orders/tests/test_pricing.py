"""Checkout's pricing, on its own: no database, every rule and rounding."""

from decimal import Decimal

import pytest
from django.test import override_settings

from coupons.models import Coupon, DiscountType
from orders.models import DeliveryKind, DeliveryMethod
from orders.pricing import OrderPricing, order_pricing


def coupon(kind=DiscountType.PERCENTAGE, value="10.00", max_discount=None) -> Coupon:
    return Coupon(
        code="SAVE", discount_type=kind, value=Decimal(value), max_discount=max_discount and Decimal(max_discount)
    )


def courier(fee="150.00", free_over=None) -> DeliveryMethod:
    return DeliveryMethod(
        code="addis", name="Addis courier", kind=DeliveryKind.COURIER, fee=Decimal(fee), free_over=free_over
    )


def test_without_coupon_or_delivery_the_total_is_the_goods_and_holds_the_vat():
    assert order_pricing(subtotal=Decimal("6900.00"), coupon=None, method=None) == OrderPricing(
        subtotal=Decimal("6900.00"),
        discount=Decimal("0.00"),
        delivery_fee=Decimal("0.00"),
        total=Decimal("6900.00"),
        vat=Decimal("900.00"),
    )


def test_the_coupon_discounts_the_goods_never_the_delivery():
    pricing = order_pricing(subtotal=Decimal("1000.00"), coupon=coupon(value="50.00"), method=courier())
    assert (pricing.discount, pricing.delivery_fee, pricing.total) == (
        Decimal("500.00"),
        Decimal("150.00"),
        Decimal("650.00"),
    )


def test_free_delivery_counts_the_goods_after_the_discount():
    method = courier(free_over=Decimal("1000.00"))
    assert order_pricing(subtotal=Decimal("1000.00"), coupon=None, method=method).delivery_fee == Decimal("0.00")
    discounted = order_pricing(subtotal=Decimal("1000.00"), coupon=coupon(value="10.00"), method=method)
    assert discounted.delivery_fee == Decimal("150.00")


def test_a_percentage_is_rounded_half_up_to_the_cent_and_capped():
    # 12.5 % of 100.04 is 12.505
    assert order_pricing(subtotal=Decimal("100.04"), coupon=coupon(value="12.50"), method=None).discount == Decimal(
        "12.51"
    )
    capped = order_pricing(
        subtotal=Decimal("5000.00"), coupon=coupon(value="50.00", max_discount="300.00"), method=None
    )
    assert capped.discount == Decimal("300.00")


def test_a_fixed_coupon_never_takes_the_total_below_the_delivery():
    pricing = order_pricing(
        subtotal=Decimal("80.00"), coupon=coupon(DiscountType.FIXED, value="100.00"), method=courier()
    )
    assert (pricing.discount, pricing.total) == (Decimal("80.00"), Decimal("150.00"))


@pytest.mark.parametrize(
    ("total", "vat"),
    [("115.00", "15.00"), ("0.01", "0.00"), ("0.08", "0.01"), ("1299.99", "169.56"), ("0.00", "0.00")],
)
def test_the_vat_contained_is_rounded_half_up_to_the_cent(total, vat):
    assert order_pricing(subtotal=Decimal(total), coupon=None, method=None).vat == Decimal(vat)


@override_settings(VAT_RATE=Decimal("0"))
def test_no_vat_when_the_rate_is_zero():
    assert order_pricing(subtotal=Decimal("500.00"), coupon=None, method=None).vat == Decimal("0.00")
