from decimal import Decimal

# The largest amount a money column (max_digits=12, decimal_places=2) holds, and so the largest
# order the shop accepts. A cart may not grow past it either.
MAX_ORDER_TOTAL = Decimal("9999999999.99")
CENT = Decimal("0.01")


def money_display(amount: Decimal, currency: str = "") -> str:
    """Money as a person reads it: two decimals and the currency ("1311.00 ETB"; a column whose
    heading names the currency gives none).

    Every amount is rounded where it is computed (the VAT in orders.pricing.vat_included); one
    that is not is a mistake upstream, refused here rather than printed, or rounded to a figure
    the order does not hold."""
    if amount != amount.quantize(CENT):
        raise ValueError(f"{amount!r} is not rounded to the cent: round it where it is computed.")
    return f"{amount:.2f} {currency}" if currency else f"{amount:.2f}"
