"""The stock and coupon use an order holds from checkout until it is cancelled."""

from django.db import transaction

from coupons.exceptions import CouponInvalid
from coupons.services import coupon_redeem_again, coupon_release
from orders.models import Order
from products.exceptions import InsufficientStock
from products.models import StockReason
from products.services import stock_release, stock_reserve


def _order_quantities(order: Order) -> dict[int, int]:
    quantities: dict[int, int] = {}
    for item in order.items.all():
        if item.variant_id is not None:  # a variant deleted since holds nothing to give back
            quantities[item.variant_id] = quantities.get(item.variant_id, 0) + item.quantity
    return quantities


def order_holdings_release(*, order: Order, reason: str) -> None:
    """Return a locked order's stock (ledger `reason`: cancel or expiry) and coupon use, exactly
    once however often it is called."""
    if order.stock_reserved:
        stock_release(quantities=_order_quantities(order), order_id=order.pk, reason=reason)
        order.stock_reserved = False
        order.save(update_fields=["stock_reserved", "updated_at"])
    coupon_release(order_id=order.pk)


def order_holdings_retake(*, order: Order) -> str:
    """Take again, all or nothing, the stock and coupon use a cancelled order gave back.

    Returns "" when done, else why not (the stock is gone, the coupon is used up)."""
    try:
        with transaction.atomic():
            stock_reserve(quantities=_order_quantities(order), order_id=order.pk, reason=StockReason.REINSTATED)
            if order.coupon_id is not None and not coupon_redeem_again(
                coupon_id=order.coupon_id, user=order.user, order_id=order.pk
            ):
                raise CouponInvalid("The coupon's limits are reached.")
    except InsufficientStock:
        return "the stock is gone"
    except CouponInvalid:
        return "its coupon is used up"
    order.stock_reserved = True
    order.save(update_fields=["stock_reserved", "updated_at"])
    return ""
