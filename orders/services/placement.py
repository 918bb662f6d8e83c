"""Checkout: turning a cart into an order, and the stock and coupon use an order holds."""

import hashlib
import json
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from addresses.models import Address
from addresses.selectors import address_get
from cart.lock_objects import cart_lock
from cart.models import CartItem
from coupons.services import coupon_redeem, coupon_redemption_record
from ecommerce.common.money import MAX_ORDER_TOTAL
from orders.emails import order_placed_email
from orders.exceptions import EmptyCart, IdempotencyKeyReused, OrderTooLarge
from orders.models import Order, OrderEventType, OrderItem, OrderStatus, PaymentMethod, PaymentStatus
from orders.pricing import delivery_fee, vat_included
from orders.services.delivery import delivery_method_choose, payment_method_check
from orders.services.transitions import order_move
from products.selectors import variant_map
from products.services import stock_check, stock_reserve

ADDRESS_NOT_YOURS = "No address with this id in your address book."
_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I: read over the phone


def _order_number() -> str:
    return "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(8))


def _address_snapshot(address: Address) -> dict:
    return {
        "full_name": address.full_name,
        "phone": address.phone,
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "region": address.region,
        "postal_code": address.postal_code,
        "country": str(address.country),
    }


def _own_address(*, user, pk: int, field: str) -> Address:
    try:
        return address_get(user=user, pk=pk)
    except Address.DoesNotExist as exc:
        raise ValidationError({field: [ADDRESS_NOT_YOURS]}) from exc


def _fingerprint(**request) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


def _replayed_order(*, user, idempotency_key: str | None, fingerprint: str) -> Order | None:
    if not idempotency_key:
        return None
    order = Order.objects.filter(user=user, idempotency_key=idempotency_key).first()
    if order is not None and order.idempotency_fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used for a different checkout request.",
        )
    return order


@transaction.atomic
def order_place_from_cart(
    *,
    user,
    shipping_address_id: int,
    billing_address_id: int | None = None,
    delivery_method: str = "",
    payment_method: str = PaymentMethod.CHAPA,
    coupon_code: str = "",
    notes: str = "",
    idempotency_key: str | None = None,
) -> tuple[Order, bool]:
    """Turn the user's cart into an order, in one transaction: lock the cart, redeem the coupon,
    price the delivery, copy prices, titles, addresses and the delivery method onto the order,
    record the first event, empty the cart, queue the e-mail, and last reserve the stock
    (variants locked in primary-key order). Any failure rolls all of it back and leaves the
    cart as it was.

    A Chapa order waits for its payment (pending, with a payment window); a cash-on-delivery
    order is confirmed at once and unpaid, with no window: its money comes at the door.

    Returns the order and whether it was created now; with an `idempotency_key` seen before it
    returns that earlier order instead of placing a second one. A new order carries its lines
    and events as `item_list` and `event_list`, as the order selectors give them.
    """
    fingerprint = _fingerprint(
        shipping=shipping_address_id,
        billing=billing_address_id,
        delivery=delivery_method,
        payment=payment_method,
        coupon=coupon_code,
        notes=notes,
    )
    # The cart lock serialises one customer's checkouts, so a retried request waits here for
    # the first one to commit and then finds its order.
    cart = cart_lock(user=user)
    replayed = _replayed_order(user=user, idempotency_key=idempotency_key, fingerprint=fingerprint)
    if replayed is not None:
        return replayed, False

    lines = list(CartItem.objects.filter(cart=cart).order_by("variant_id"))
    if not lines:
        raise EmptyCart("Your cart is empty.")
    shipping = _own_address(user=user, pk=shipping_address_id, field="shipping_address_id")
    billing = (
        _own_address(user=user, pk=billing_address_id, field="billing_address_id")
        if billing_address_id is not None
        else shipping
    )

    shipping_snapshot = _address_snapshot(shipping)
    method = delivery_method_choose(code=delivery_method, address=shipping_snapshot)

    quantities = {line.variant_id: line.quantity for line in lines}
    # Priced and checked on a plain read; the stock rows are locked last, just before the commit:
    # buyers of the same item queue on its rows, so every statement before the lock is one they
    # do not wait for. The locked check is the one that counts.
    variants = variant_map(ids=quantities)
    stock_check(variants=variants, quantities=quantities)
    subtotal = sum((variants[vid].unit_price * qty for vid, qty in quantities.items()), Decimal("0.00"))
    if subtotal > MAX_ORDER_TOTAL:
        raise OrderTooLarge("This order is larger than the shop can accept.")

    coupon, discount = None, Decimal("0.00")
    if coupon_code:
        coupon, discount = coupon_redeem(code=coupon_code, user=user, subtotal=subtotal)

    # The coupon discounts the goods, never the delivery; free delivery counts the goods after it.
    fee = delivery_fee(method=method, subtotal=subtotal - discount) if method else Decimal("0.00")
    total = subtotal - discount + fee
    if total > MAX_ORDER_TOTAL:
        raise OrderTooLarge("This order is larger than the shop can accept.")
    payment_method_check(payment_method=payment_method, method=method, total=total)
    cash_on_delivery = payment_method == PaymentMethod.CASH_ON_DELIVERY
    order = Order(
        user=user,
        # A cash-on-delivery order starts confirmed: nothing is paid before the door.
        status=OrderStatus.CONFIRMED if cash_on_delivery else OrderStatus.PENDING,
        payment_method=payment_method,
        subtotal=subtotal,
        discount_amount=discount,
        delivery_fee=fee,
        total=total,
        vat_amount=vat_included(total),
        currency=settings.SHOP_CURRENCY,
        coupon=coupon,
        coupon_code=coupon.code if coupon else "",
        delivery={"method": method.code, "name": method.name, "kind": method.kind} if method else None,
        shipping_address=shipping_snapshot,
        billing_address=_address_snapshot(billing),
        notes=notes,
        expires_at=None
        if cash_on_delivery
        else timezone.now() + timedelta(minutes=settings.ORDER_PAYMENT_TIMEOUT_MINUTES),
        idempotency_key=idempotency_key or None,
        idempotency_fingerprint=fingerprint if idempotency_key else "",
    )
    _save_with_unique_number(order)
    items = OrderItem.objects.bulk_create(
        [
            OrderItem(
                order=order,
                product_id=variants[vid].product_id,
                variant_id=vid,
                product_title=variants[vid].product.title,
                sku=variants[vid].sku,
                variant_options=variants[vid].options,
                unit_price=variants[vid].unit_price,
                quantity=qty,
                line_total=variants[vid].unit_price * qty,
            )
            for vid, qty in sorted(quantities.items())
        ]
    )
    placed = order_move(
        order=order,
        type=OrderEventType.PLACED,
        actor=user,
        note="Order placed; to be paid in cash on delivery." if cash_on_delivery else "Order placed.",
    )
    if coupon is not None:
        coupon_redemption_record(coupon=coupon, user=user, order_id=order.pk)
    order.item_list, order.event_list = items, [placed]
    if total == 0:
        # Fully discounted: there is nothing to pay, so nothing to wait for. The order e-mail
        # says it is confirmed.
        paid = order_move(
            order=order,
            type=OrderEventType.PAYMENT_SUCCEEDED,
            status=OrderStatus.CONFIRMED,  # no move for a cash-on-delivery order: it already is
            payment_status=PaymentStatus.PAID,
            note="Nothing to pay.",
        )
        order.event_list.append(paid)
    CartItem.objects.filter(cart=cart).delete()
    order_placed_email(order=order, items=items)
    stock_reserve(quantities=quantities, order_id=order.pk)
    return order, True


def _save_with_unique_number(order: Order, attempts: int = 5) -> None:
    for attempt in range(attempts):
        order.number = _order_number()
        try:
            with transaction.atomic():
                order.save(force_insert=True)
            return
        except IntegrityError:
            if attempt == attempts - 1 or not Order.objects.filter(number=order.number).exists():
                raise
