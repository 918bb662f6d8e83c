"""Pure pricing rules, shared by checkout (services) and the delivery quote (selectors): which
places a delivery method serves, what it costs, the VAT a total holds, and an order's price."""

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.conf import settings

from addresses.regions import place_key
from coupons.models import Coupon
from coupons.selectors import coupon_discount
from ecommerce.common.money import CENT
from orders.models import DeliveryKind, DeliveryMethod

# Delivery methods name Ethiopian regions and cities: the shop delivers within Ethiopia only.
DELIVERY_COUNTRY = "ET"


def delivery_serves(*, method: DeliveryMethod, country: str, region: str, city: str) -> bool:
    """Within Ethiopia, a pickup point serves everyone and a courier the regions and cities it
    lists. An address abroad is served by none, whatever its region says ("Addis Ababa" in
    Nairobi is not Addis Ababa); a pickup point neither: the address is where the goods go, and
    an order shipped abroad is not collected at a counter in Ethiopia."""
    if str(country) != DELIVERY_COUNTRY:
        return False
    if method.kind == DeliveryKind.PICKUP:
        return True
    regions = {place_key(name) for name in method.regions}
    cities = {place_key(name) for name in method.cities}
    return (bool(region.strip()) and place_key(region) in regions) or (bool(city.strip()) and place_key(city) in cities)


def delivery_fee(*, method: DeliveryMethod, subtotal: Decimal) -> Decimal:
    """The method's fee for goods worth `subtotal` (after any coupon at checkout)."""
    if method.free_over is not None and subtotal >= method.free_over:
        return Decimal("0.00")
    return method.fee


def vat_included(total: Decimal) -> Decimal:
    """The VAT contained in a price that includes it: total × rate / (1 + rate), half-up to the
    cent. The one place VAT is computed: everything that shows it shows this amount."""
    rate = settings.VAT_RATE
    return (total * rate / (1 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OrderPricing:
    """What an order costs, as checkout computes it once: `total = subtotal - discount + fee`,
    and the VAT that total contains."""

    subtotal: Decimal
    discount: Decimal
    delivery_fee: Decimal
    total: Decimal
    vat: Decimal


def order_pricing(*, subtotal: Decimal, coupon: Coupon | None, method: DeliveryMethod | None) -> OrderPricing:
    """Price goods worth `subtotal` with an optional coupon and delivery method. The coupon
    discounts the goods, never the delivery; free delivery counts the goods after the discount.
    Pure: no database, so every rule and rounding is tested on its own."""
    discount = coupon_discount(coupon=coupon, subtotal=subtotal) if coupon is not None else Decimal("0.00")
    fee = delivery_fee(method=method, subtotal=subtotal - discount) if method is not None else Decimal("0.00")
    total = subtotal - discount + fee
    return OrderPricing(subtotal=subtotal, discount=discount, delivery_fee=fee, total=total, vat=vat_included(total))


def discount_shares(*, line_totals: list[Decimal], discount: Decimal) -> list[Decimal]:
    """Each line's share of the order's coupon discount: in proportion to the line's total,
    half-up to the cent, the last line taking the remainder, so the shares add up to the
    discount exactly. No share is ever more than what is left of the discount, nor more than its
    line cost, so no line is ever refunded more than was paid for it. Pure, like order_pricing."""
    subtotal = sum(line_totals, Decimal("0.00"))
    if not line_totals or subtotal <= 0 or discount <= 0:
        return [Decimal("0.00")] * len(line_totals)
    shares = []
    left = discount
    for total in line_totals[:-1]:
        share = min((total * discount / subtotal).quantize(CENT, rounding=ROUND_HALF_UP), left, total)
        shares.append(share)
        left -= share
    shares.append(left)
    # Rounding the earlier lines down can leave the last one more than it cost; what it cannot
    # take goes back to the earlier lines, each up to its own total (the discount is never more
    # than the subtotal, so it all fits).
    overflow = shares[-1] - line_totals[-1]
    if overflow > 0:
        shares[-1] = line_totals[-1]
        for index, total in enumerate(line_totals[:-1]):
            extra = min(overflow, total - shares[index])
            shares[index] += extra
            overflow -= extra
    return shares


def units_refund_value(*, line_total: Decimal, share: Decimal, quantity: int, units: int) -> Decimal:
    """What `units` of a line of `quantity` units were paid: the line's total less its discount
    share, pro rata, rounded down to the cent for part of a line (so parts returned one by one
    never add up to more than the line cost) and exact for all of it."""
    paid = line_total - share
    if units >= quantity:
        return paid
    return (paid * units / quantity).quantize(CENT, rounding=ROUND_DOWN)
