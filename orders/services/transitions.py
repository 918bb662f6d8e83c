"""The one place where an order's `status` and `payment_status` change.

Every move is checked against an explicit map, saved with `update_fields` (never a whole row
read earlier) and recorded as a typed `OrderEvent`. Callers hold the order's row lock.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from orders.emails import order_status_email
from orders.exceptions import InvalidTransition, PaymentRequired
from orders.lock_objects import order_lock
from orders.models import Order, OrderEvent, OrderEventType, OrderStatus, PaymentMethod, PaymentStatus
from orders.services.holdings import order_holdings_release
from products.models import StockReason

STATUS_MOVES: dict[str, set[str]] = {
    OrderStatus.PENDING: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
    OrderStatus.CONFIRMED: {OrderStatus.PROCESSING, OrderStatus.CANCELLED},
    OrderStatus.PROCESSING: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED},
    OrderStatus.DELIVERED: set(),
    # A payment that arrives after the order was cancelled brings it back (reinstated).
    OrderStatus.CANCELLED: {OrderStatus.CONFIRMED},
}

PAYMENT_MOVES: dict[str, set[str]] = {
    PaymentStatus.UNPAID: {PaymentStatus.PAID, PaymentStatus.FAILED, PaymentStatus.REFUND_PENDING},
    PaymentStatus.FAILED: {PaymentStatus.PAID, PaymentStatus.REFUND_PENDING},
    # REFUNDED directly: a cancelled order that had nothing to pay has nothing to give back.
    PaymentStatus.PAID: {PaymentStatus.REFUND_PENDING, PaymentStatus.REFUNDED},
    # Once the money owed went back: refunded, or paid/unpaid again when it was only a surplus
    # payment and the order itself lives on.
    PaymentStatus.REFUND_PENDING: {PaymentStatus.REFUNDED, PaymentStatus.PAID, PaymentStatus.UNPAID},
    PaymentStatus.REFUNDED: {PaymentStatus.REFUND_PENDING},
}

# The way forward once an order is paid for: what staff's "advance" does (never to confirmed,
# which only money does, nor to cancelled).
NEXT_STEP: dict[str, str] = {
    status: step
    for status, moves in STATUS_MOVES.items()
    for step in moves - {OrderStatus.CONFIRMED, OrderStatus.CANCELLED}
}

# Only pending orders wait for a payment; every other status has no payment window.
_NO_PAYMENT_WINDOW = {status for status in OrderStatus if status != OrderStatus.PENDING}


def order_move(
    *,
    order: Order,
    type: str,
    actor=None,
    note: str = "",
    status: str | None = None,
    payment_status: str | None = None,
    parameters: dict | None = None,
) -> OrderEvent:
    """Move a locked order to `status` and/or `payment_status` and record the event.

    A field left at None, or given its current value, does not move; an event with no move
    records something staff must know (a second refund owed, say).
    """
    fields = []
    if status is not None and status != order.status:
        if status not in STATUS_MOVES[order.status]:
            raise InvalidTransition(
                f"An order cannot go from {order.status} to {status}.",
                extra={"from_status": order.status, "to_status": status},
            )
        if status == OrderStatus.DELIVERED and order.paid_at is None:
            # Cash on delivery: the courier hands over the goods only against the money.
            raise PaymentRequired(
                f"Order {order.number} is not paid: record its payment before marking it delivered.",
                extra={"payment_status": order.payment_status},
            )
        fields.append("status")
    if payment_status is not None and payment_status != order.payment_status:
        if payment_status not in PAYMENT_MOVES[order.payment_status]:
            raise InvalidTransition(
                f"An order's payment cannot go from {order.payment_status} to {payment_status}.",
                extra={"from_payment_status": order.payment_status, "to_payment_status": payment_status},
            )
        fields.append("payment_status")
    from_status = order.status
    if "status" in fields:
        order.status = status
        if status in _NO_PAYMENT_WINDOW and order.expires_at is not None:
            order.expires_at = None
            fields.append("expires_at")
    if "payment_status" in fields:
        order.payment_status = payment_status
        if payment_status == PaymentStatus.PAID and order.paid_at is None:
            order.paid_at = timezone.now()
            fields.append("paid_at")
    if fields:
        order.save(update_fields=[*fields, "updated_at"])
    return OrderEvent.objects.create(
        order=order,
        type=type,
        from_status=from_status,
        status=order.status,
        payment_status=order.payment_status,
        parameters=parameters or {},
        note=note[:500],
        actor=actor,
    )


def order_cancel_locked(*, order: Order, type: str, actor, note: str) -> Order:
    """Cancel a locked order: its stock and coupon use go back once, and money it kept is owed
    back to the customer (nothing is owed for an order that had nothing to pay)."""
    expired = type == OrderEventType.EXPIRED
    order_holdings_release(order=order, reason=StockReason.EXPIRY if expired else StockReason.CANCEL)
    payment_status = None
    if order.payment_status == PaymentStatus.PAID:
        payment_status = PaymentStatus.REFUND_PENDING if order.total > 0 else PaymentStatus.REFUNDED
    event = order_move(
        order=order, type=type, actor=actor, note=note, status=OrderStatus.CANCELLED, payment_status=payment_status
    )
    order_status_email(order=order, event=event)
    return order


TRACKING_ONLY_WHEN_SHIPPED = "Tracking is given when the order is shipped."


@transaction.atomic
def order_status_change(*, order_id, new_status: str, actor, note: str = "", tracking: dict | None = None) -> Order:
    """Staff moving an order along the state machine (the admin and `update_status/`).

    Staff never confirm an order: only money does (a verified payment or a recorded one).
    Shipping may carry the courier's tracking ({carrier, number, url}), which the customer's
    e-mail then gives."""
    order = order_lock(pk=order_id)
    refused = {"from_status": order.status, "to_status": new_status}
    if new_status == order.status:
        raise InvalidTransition(f"The order is already {order.status}.", extra=refused)
    if tracking and new_status != OrderStatus.SHIPPED:
        raise ValidationError({"tracking": [TRACKING_ONLY_WHEN_SHIPPED]})
    if new_status == OrderStatus.CONFIRMED:
        raise InvalidTransition("An order is confirmed by its payment, not by hand.", extra=refused)
    if new_status == OrderStatus.CANCELLED:
        if new_status not in STATUS_MOVES[order.status]:
            raise InvalidTransition(f"An order cannot go from {order.status} to {new_status}.", extra=refused)
        return order_cancel_locked(
            order=order, type=OrderEventType.CANCELLED, actor=actor, note=note or "Cancelled by staff."
        )
    event = order_move(
        order=order,
        type=OrderEventType.STATUS_CHANGED,
        actor=actor,
        note=note,
        status=new_status,
        parameters={"tracking": tracking} if tracking else None,
    )
    if tracking:
        order.tracking = tracking
        order.save(update_fields=["tracking", "updated_at"])
    order_status_email(order=order, event=event)
    return order


def _customer_may_cancel(order: Order) -> bool:
    if order.status == OrderStatus.PENDING:
        return True
    # A cash-on-delivery order is confirmed at once; until its money is in, nothing is lost.
    return (
        order.status == OrderStatus.CONFIRMED
        and order.payment_method == PaymentMethod.CASH_ON_DELIVERY
        and order.payment_status == PaymentStatus.UNPAID
    )


@transaction.atomic
def order_cancel(*, order_id, actor, note: str = "") -> Order:
    """The customer's cancel: only while the order waits for payment, or while an unpaid
    cash-on-delivery order is still only confirmed."""
    order = order_lock(pk=order_id)
    if not _customer_may_cancel(order):
        raise InvalidTransition(
            "Only an order that is waiting for payment can be cancelled; contact us for this one.",
            extra={"from_status": order.status, "to_status": OrderStatus.CANCELLED},
        )
    return order_cancel_locked(
        order=order, type=OrderEventType.CANCELLED, actor=actor, note=note or "Cancelled by the customer."
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
                order_cancel_locked(
                    order=order, type=OrderEventType.EXPIRED, actor=None, note="Payment window expired."
                )
                expired += 1
    return expired
