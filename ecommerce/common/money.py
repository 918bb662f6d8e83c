from decimal import Decimal

from django.utils.translation import pgettext_lazy

# The largest amount a money column (max_digits=12, decimal_places=2) holds, and so the largest
# order the shop accepts. A cart may not grow past it either.
MAX_ORDER_TOTAL = Decimal("9999999999.99")
CENT = Decimal("0.01")

# What a person calls the currency after an amount: "ETB" in English, "ብር" in Amharic.
CURRENCY_NAMES = {"ETB": pgettext_lazy("currency after an amount", "ETB")}


def currency_display(currency: str) -> str:
    """The currency as a person reads it after an amount or in a heading: "ETB", "ብር"."""
    return str(CURRENCY_NAMES.get(currency, currency))


def money_display(amount: Decimal, currency: str = "") -> str:
    """Money as a person reads it, in the active language: thousands separated, two decimals and
    the currency after the amount ("6,900.00 ETB", "6,900.00 ብር"; a column whose heading names
    the currency gives none).

    Every amount is rounded where it is computed (the VAT in orders.pricing.vat_included); one
    that is not is a mistake upstream, refused here rather than printed, or rounded to a figure
    the order does not hold."""
    if amount != amount.quantize(CENT):
        raise ValueError(f"{amount!r} is not rounded to the cent: round it where it is computed.")
    figure = f"{amount:,.2f}"
    return f"{figure} {currency_display(currency)}" if currency else figure
