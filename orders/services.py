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
from coupons.services import (
    CouponInvalid,
    coupon_redeem,
    coupon_redeem_again,
    coupon_redemption_record,
    coupon_release,
)
from ecommerce.common.exceptions import ApplicationError, ConflictError
from ecommerce.common.money import MAX_ORDER_TOTAL
from orders import error_codes
from orders.emails import order_placed_email, order_status_email
from orders.lock_objects import order_lock
from orders.models import Order, OrderEvent, OrderItem, OrderStatus, PaymentStatus
from products.services import InsufficientStock, product_stock_release, product_stock_reserve

ADDRESS_NOT_YOURS = "No address with this id in your address book."
_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I: read over the phone

# The order state machine. Who may take each step is decided by the caller (views, tasks).
TRANSITIONS: dict[str, set[str]] = {
    OrderStatus.PENDING: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
    OrderStatus.CONFIRMED: {OrderStatus.PROCESSING, OrderStatus.CANCELLED},
    OrderStatus.PROCESSING: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED},
    OrderStatus.DELIVERED: set(),
    OrderStatus.CANCELLED: set(),
}


class InvalidTransition(ApplicationError):
    default_code = error_codes.INVALID_TRANSITION


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
        raise ConflictError(
            "This Idempotency-Key was already used for a different checkout request.",
            code=error_codes.IDEMPOTENCY_KEY_REUSED,
        )
    return order


def _record_event(*, order: Order, from_status: str, actor, note: str) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order, from_status=from_status, status=order.status, actor=actor, note=note[:500]
    )


@transaction.atomic
def order_place_from_cart(
    *,
    user,
    shipping_address_id: int,
    billing_address_id: int | None = None,
    coupon_code: str = "",
    notes: str = "",
    idempotency_key: str | None = None,
) -> tuple[Order, bool]:
    """Turn the user's cart into a pending order, in one transaction: lock the cart, reserve
    stock (products locked in primary-key order), redeem the coupon, copy prices, titles and
    addresses onto the order, record the first event and empty the cart. Any failure rolls all
    of it back and leaves the cart as it was.

    Returns the order and whether it was created now; with an `idempotency_key` seen before it
    returns that earlier order instead of placing a second one.
    """
    fingerprint = _fingerprint(
        shipping=shipping_address_id, billing=billing_address_id, coupon=coupon_code, notes=notes
    )
    # The cart lock serialises one customer's checkouts, so a retried request waits here for
    # the first one to commit and then finds its order.
    cart = cart_lock(user=user)
    replayed = _replayed_order(user=user, idempotency_key=idempotency_key, fingerprint=fingerprint)
    if replayed is not None:
        return replayed, False

    lines = list(CartItem.objects.filter(cart=cart).order_by("product_id"))
    if not lines:
        raise ApplicationError("Your cart is empty.", code=error_codes.EMPTY_CART)
    shipping = _own_address(user=user, pk=shipping_address_id, field="shipping_address_id")
    billing = (
        _own_address(user=user, pk=billing_address_id, field="billing_address_id")
        if billing_address_id is not None
        else shipping
    )

    quantities = {line.product_id: line.quantity for line in lines}
    products = product_stock_reserve(quantities=quantities)
    subtotal = sum((products[pid].price * qty for pid, qty in quantities.items()), Decimal("0.00"))
    if subtotal > MAX_ORDER_TOTAL:
        raise ApplicationError("This order is larger than the shop can accept.", code=error_codes.ORDER_TOO_LARGE)

    coupon, discount = None, Decimal("0.00")
    if coupon_code:
        coupon, discount = coupon_redeem(code=coupon_code, user=user, subtotal=subtotal)

    now = timezone.now()
    total = subtotal - discount
    order = Order(
        user=user,
        subtotal=subtotal,
        discount_amount=discount,
        total=total,
        currency=settings.SHOP_CURRENCY,
        coupon=coupon,
        coupon_code=coupon.code if coupon else "",
        shipping_address=_address_snapshot(shipping),
        billing_address=_address_snapshot(billing),
        notes=notes,
        expires_at=now + timedelta(minutes=settings.ORDER_PAYMENT_TIMEOUT_MINUTES),
        idempotency_key=idempotency_key or None,
        idempotency_fingerprint=fingerprint if idempotency_key else "",
    )
    _save_with_unique_number(order)
    OrderItem.objects.bulk_create(
        [
            OrderItem(
                order=order,
                product_id=pid,
                product_title=products[pid].title,
                unit_price=products[pid].price,
                quantity=qty,
                line_total=products[pid].price * qty,
            )
            for pid, qty in quantities.items()
        ]
    )
    _record_event(order=order, from_status="", actor=user, note="Order placed.")
    if coupon is not None:
        coupon_redemption_record(coupon=coupon, user=user, order=order)
    if total == 0:
        # Fully discounted: there is nothing to pay, so nothing to wait for.
        _transition(
            order=order,
            new_status=OrderStatus.CONFIRMED,
            actor=None,
            note="Nothing to pay.",
            payment_status=PaymentStatus.PAID,
            notify=False,  # the order e-mail says it is confirmed
        )
    CartItem.objects.filter(cart=cart).delete()
    order_placed_email(order=order)
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


def _order_quantities(order: Order) -> dict[int, int]:
    return {item.product_id: item.quantity for item in order.items.all() if item.product_id is not None}


def _release_holdings(order: Order) -> None:
    """Return the order's stock and coupon use, exactly once however often it is called."""
    if order.stock_reserved:
        product_stock_release(quantities=_order_quantities(order))
        order.stock_reserved = False
        order.save(update_fields=["stock_reserved", "updated_at"])
    coupon_release(order=order)


def _transition(
    *, order: Order, new_status: str, actor, note: str, payment_status: str | None = None, notify: bool = True
) -> Order:
    """Move a locked order one step along the state machine, with its side effects, its event
    and (unless `notify` is off) an e-mail to the customer."""
    if new_status not in TRANSITIONS[order.status]:
        raise InvalidTransition(
            f"An order cannot go from {order.status} to {new_status}.",
            extra={"from_status": order.status, "to_status": new_status},
        )
    from_status = order.status
    order.status = new_status
    fields = ["status", "updated_at"]
    if payment_status is not None:
        order.payment_status = payment_status
        fields.append("payment_status")
    if new_status == OrderStatus.CANCELLED:
        _release_holdings(order)
        order.expires_at = None
        fields.append("expires_at")
        if order.payment_status == PaymentStatus.PAID:
            order.payment_status = PaymentStatus.REFUND_PENDING
            fields.append("payment_status")
    elif new_status == OrderStatus.CONFIRMED:
        order.expires_at = None
        fields.append("expires_at")
    order.save(update_fields=fields)
    event = _record_event(order=order, from_status=from_status, actor=actor, note=note)
    if notify:
        order_status_email(order=order, event=event)
    return order


@transaction.atomic
def order_status_change(*, order_id, new_status: str, actor, note: str = "") -> Order:
    """Staff moving an order along the state machine (the admin and `update_status/`)."""
    return _transition(order=order_lock(pk=order_id), new_status=new_status, actor=actor, note=note)


@transaction.atomic
def order_cancel(*, order_id, actor, note: str = "") -> Order:
    """The customer's cancel: only while the order waits for payment."""
    order = order_lock(pk=order_id)
    if order.status != OrderStatus.PENDING:
        raise InvalidTransition(
            "Only an order that is waiting for payment can be cancelled; contact us for this one.",
            extra={"from_status": order.status, "to_status": OrderStatus.CANCELLED},
        )
    return _transition(
        order=order, new_status=OrderStatus.CANCELLED, actor=actor, note=note or "Cancelled by the customer."
    )


def order_expire_overdue(*, now=None) -> int:
    """Cancel pending orders whose payment window has passed; returns how many were cancelled.

    Each order is re-checked under its own lock and in its own transaction, so a payment or a
    cancel that got there first wins and one stuck order never holds up the others.
    """
    now = now or timezone.now()
    overdue = list(Order.objects.filter(status=OrderStatus.PENDING, expires_at__lt=now).values_list("pk", flat=True))
    expired = 0
    for order_id in overdue:
        with transaction.atomic():
            order = order_lock(pk=order_id)
            if order.status == OrderStatus.PENDING and order.expires_at is not None and order.expires_at < now:
                _transition(order=order, new_status=OrderStatus.CANCELLED, actor=None, note="Payment window expired.")
                expired += 1
    return expired


@transaction.atomic
def order_payment_succeeded(*, order_id, payment_ref: str) -> Order:
    """Chapa confirmed a payment for this order (verified server-side by the payments app).

    A pending order is confirmed. An order cancelled meanwhile (its payment window expired) is
    not silently confirmed: its stock is reserved again if it is still there, otherwise the
    order is flagged refund_pending for staff. Money received is never ignored.
    """
    order = order_lock(pk=order_id)
    if order.status == OrderStatus.PENDING:
        return _transition(
            order=order,
            new_status=OrderStatus.CONFIRMED,
            actor=None,
            note=f"Payment {payment_ref} verified.",
            payment_status=PaymentStatus.PAID,
            notify=False,  # the payment e-mail says it is confirmed
        )
    if order.status == OrderStatus.CANCELLED and order.payment_status != PaymentStatus.PAID:
        return _reinstate_or_flag_refund(order, payment_ref)
    if order.payment_status in (PaymentStatus.UNPAID, PaymentStatus.FAILED):
        # Staff moved it on by hand before the money arrived: this is its payment.
        return _flag_refund(order, payment_status=PaymentStatus.PAID, note=f"Payment {payment_ref} verified.")
    # Already paid through another attempt: this money has to go back.
    return _flag_refund(
        order,
        payment_status=PaymentStatus.REFUND_PENDING if order.status == OrderStatus.CANCELLED else order.payment_status,
        note=f"Another payment {payment_ref} was received for this order: refund it.",
    )


def _flag_refund(order: Order, *, payment_status: str, note: str, actor=None) -> Order:
    """Record a refund's progress for staff (due, then done); the order's status is unchanged."""
    order.payment_status = payment_status
    order.save(update_fields=["payment_status", "updated_at"])
    _record_event(order=order, from_status=order.status, actor=actor, note=note)
    return order


def _reinstate_or_flag_refund(order: Order, payment_ref: str) -> Order:
    """Bring a cancelled order back for its late payment: its stock and, if it had one, its coupon
    use are taken again, all or nothing. When either is no longer there, staff refund instead."""
    try:
        with transaction.atomic():
            product_stock_reserve(quantities=_order_quantities(order))
            if order.coupon_id is not None and not coupon_redeem_again(order=order):
                raise CouponInvalid("The coupon's limits are reached.")
    except (InsufficientStock, CouponInvalid) as exc:
        gone = "the stock is gone" if isinstance(exc, InsufficientStock) else "its coupon is used up"
        return _flag_refund(
            order,
            payment_status=PaymentStatus.REFUND_PENDING,
            note=f"Payment {payment_ref} arrived after cancellation and {gone}: refund pending.",
        )
    from_status = order.status
    order.status = OrderStatus.CONFIRMED
    order.payment_status = PaymentStatus.PAID
    order.stock_reserved = True
    order.expires_at = None
    order.save(update_fields=["status", "payment_status", "stock_reserved", "expires_at", "updated_at"])
    _record_event(
        order=order,
        from_status=from_status,
        actor=None,
        note=f"Payment {payment_ref} arrived after cancellation; stock reserved again and order confirmed.",
    )
    return order


@transaction.atomic
def order_payment_failed(*, order_id) -> Order:
    """A payment attempt failed; the order stays pending so the customer can try again."""
    order = order_lock(pk=order_id)
    if order.status == OrderStatus.PENDING and order.payment_status == PaymentStatus.UNPAID:
        order.payment_status = PaymentStatus.FAILED
        order.save(update_fields=["payment_status", "updated_at"])
    return order


@transaction.atomic
def order_refund_recorded(*, order_id, actor, note: str) -> Order:
    """The money of a refund_pending order went back to the customer."""
    order = order_lock(pk=order_id)
    if order.payment_status != PaymentStatus.REFUND_PENDING:
        raise InvalidTransition(
            f"Order {order.number} is not waiting for a refund (payment is {order.payment_status}).",
            extra={"payment_status": order.payment_status},
        )
    return _flag_refund(order, payment_status=PaymentStatus.REFUNDED, note=note, actor=actor)
