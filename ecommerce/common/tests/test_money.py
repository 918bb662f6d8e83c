"""Money for people: computed rounded to the cent in one place, and never printed otherwise."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ecommerce.common.money import money_display
from orders.models import Order
from orders.pricing import vat_included

UNROUNDED_VAT = Decimal("100.00") * Decimal("0.15") / Decimal("1.15")  # 13.0434782608…


def test_money_is_shown_with_two_decimals_thousands_separated_and_its_currency():
    assert money_display(Decimal("1311.00"), "ETB") == "1,311.00 ETB"
    assert money_display(Decimal("100"), "ETB") == "100.00 ETB"
    assert money_display(Decimal("-10.50"), "ETB") == "-10.50 ETB"
    assert money_display(Decimal("9999999999.99"), "ETB") == "9,999,999,999.99 ETB"
    assert money_display(Decimal("-6900.00")) == "-6,900.00"  # a column that names the currency


def test_the_currency_is_named_in_the_language_after_the_amount():
    with translation.override("en"):
        assert money_display(Decimal("6900.00"), "ETB") == "6,900.00 ETB"
    with translation.override("am"):
        assert money_display(Decimal("6900.00"), "ETB") == "6,900.00 ብር"
        assert money_display(Decimal("6900.00"), "USD") == "6,900.00 USD"  # one with no name of its own


@pytest.mark.parametrize("amount", [UNROUNDED_VAT, Decimal("0.005"), Decimal("12.345")])
def test_unrounded_money_is_refused(amount):
    with pytest.raises(ValueError, match="not rounded to the cent"):
        money_display(amount, "ETB")


def test_vat_is_rounded_half_up_to_the_cent_where_it_is_computed(settings):
    settings.VAT_RATE = Decimal("0.15")
    assert vat_included(Decimal("100.00")) == Decimal("13.04")
    assert vat_included(Decimal("0.23")) == Decimal("0.03")  # 0.03 exactly half: up
    for cents in range(1, 5000, 7):
        vat = vat_included(Decimal(cents) / 100)
        assert vat == vat.quantize(Decimal("0.01")), cents


@pytest.mark.parametrize("template", ["email/order_table.txt", "email/order_table.html"])
def test_an_order_email_never_prints_unrounded_vat(template):
    order = Order(
        number="ABCD2345",
        subtotal=Decimal("100.00"),
        total=Decimal("100.00"),
        vat_amount=UNROUNDED_VAT,
        currency="ETB",
        shipping_address={},
        billing_address={},
    )
    with pytest.raises(ValueError, match="not rounded to the cent"):
        render_to_string(template, {"order": order, "items": []})
    order.vat_amount = vat_included(order.total)
    assert "13.04 ETB" in render_to_string(template, {"order": order, "items": []})
