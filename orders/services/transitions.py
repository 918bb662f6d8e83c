"""The one place where an order's `status` and `payment_status` change: named moves, each
saying what it does to both fields.

Every move is checked against an explicit map, saved with `update_fields` (never a whole row
read earlier) and recorded with its event (orders.events). Callers hold the order's row lock.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from orders.emails import order_status_email
from orders.events import cancelled_event, expired_event, status_changed_event
from orders.exceptions import InvalidTransition, PaymentRequired
from orders.lock_objects import order_lock
from orders.models import Order, OrderEvent, OrderEventType, OrderStatus, PaymentMethod, PaymentStatus, state_text
from orders.services.documents import RECEIPT_PREFIX, RECEIPT_SEQUENCE, document_number_next
from orders.services.holdings import order_holdings_release
from orders.sms import order_status_sms
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
    # REFUNDED directly: a cancelled order that had nothing to pay has nothing to give back, and
    # a return may give back all of a delivered order's money at once.
    PaymentStatus.PAID: {PaymentStatus.REFUND_PENDING, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED},
    # Once the money owed went back: refunded, or what the order kept (paid, partly refunded,
    # unpaid) when it was only a surplus payment and the order itself lives on.
    PaymentStatus.REFUND_PENDING: {
        PaymentStatus.REFUNDED,
        PaymentStatus.PARTIALLY_REFUNDED,
        PaymentStatus.PAID,
        PaymentStatus.UNPAID,
    },
    # Returns refund a delivered order bit by bit; a surplus payment may still arrive.
    PaymentStatus.PARTIALLY_REFUNDED: {PaymentStatus.REFUNDED, PaymentStatus.REFUND_PENDING},
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


def _cannot_go(from_status: str, to_status: str) -> str:
    return gettext("An order cannot go from {from_status} to {to_status}.").format(
        from_status=state_text(OrderStatus, from_status), to_status=state_text(OrderStatus, to_status)
    )


def _record(*, order: Order, event: OrderEvent, status: str, payment_status: str) -> OrderEvent:
    """Move a locked order to (`status`, `payment_status`), both named by the caller (the same
    value where a field stays), each checked against its map, and record `event` with the state
    it leaves. Only the fields that move are saved."""
    fields = []
    if status != order.status:
        if status not in STATUS_MOVES[order.status]:
            raise InvalidTransition(
                _cannot_go(order.status, status),
                extra={"from_status": order.status, "to_status": status},
            )
        if status == OrderStatus.DELIVERED and order.paid_at is None:
            # Cash on delivery: the courier hands over the goods only against the money.
            raise PaymentRequired(
                gettext("Order {number} is not paid: record its payment before marking it delivered.").format(
                    number=order.number
                ),
                extra={"payment_status": order.payment_status},
            )
        fields.append("status")
    if payment_status != order.payment_status:
        if payment_status not in PAYMENT_MOVES[order.payment_status]:
            raise InvalidTransition(
                gettext("An order's payment cannot go from {from_status} to {to_status}.").format(
                    from_status=state_text(PaymentStatus, order.payment_status),
                    to_status=state_text(PaymentStatus, payment_status),
                ),
                extra={"from_payment_status": order.payment_status, "to_payment_status": payment_status},
            )
        fields.append("payment_status")
    event.from_status = order.status
    if "status" in fields:
        order.status = status
        if status in _NO_PAYMENT_WINDOW and order.expires_at is not None:
            order.expires_at = None
            fields.append("expires_at")
    if "payment_status" in fields:
        order.payment_status = payment_status
        if payment_status == PaymentStatus.PAID and order.paid_at is None:
            order.paid_at = timezone.now()
            # The receipt's number comes with the first money, in this transaction. Its counter
            # is the one row every payment in the shop queues on, so it is locked last: after
            # the payment, the order and any stock taken again, with nothing locked after it
            # (only this order's row, already held, and new rows are written). The queue so
            # moves at the pace of commits, and whoever holds the counter never waits for a
            # row held by someone queued behind them: no deadlock.
            order.receipt_number = document_number_next(name=RECEIPT_SEQUENCE, prefix=RECEIPT_PREFIX)
            fields += ["paid_at", "receipt_number"]
    if fields:
        order.save(update_fields=[*fields, "updated_at"])
    event.order, event.status, event.payment_status = order, order.status, order.payment_status
    event.save()
    return event


# The named moves. Each says what it does to both fields; callers hold the order's row lock.


def order_record(*, order: Order, event: OrderEvent) -> OrderEvent:
    """No move: an event staff must know of (the order placed, a second refund owed)."""
    return _record(order=order, event=event, status=order.status, payment_status=order.payment_status)


def order_pay(*, order: Order, event: OrderEvent) -> OrderEvent:
    """Money for the order's total is in: paid, and a pending order confirmed. The first money
    gives the order its receipt number."""
    status = OrderStatus.CONFIRMED if order.status == OrderStatus.PENDING else order.status
    return _record(order=order, event=event, status=status, payment_status=PaymentStatus.PAID)


def order_reinstate(*, order: Order, event: OrderEvent) -> OrderEvent:
    """A cancelled order's late payment brings it back, confirmed and paid (and numbered, as
    order_pay)."""
    return _record(order=order, event=event, status=OrderStatus.CONFIRMED, payment_status=PaymentStatus.PAID)


def order_fail_payment(*, order: Order, event: OrderEvent) -> OrderEvent:
    """A payment attempt failed; the order waits for another."""
    return _record(order=order, event=event, status=order.status, payment_status=PaymentStatus.FAILED)


def order_flag_refund(*, order: Order, event: OrderEvent) -> OrderEvent:
    """Money arrived that the order cannot keep: it is owed back, whatever the order's status."""
    return _record(order=order, event=event, status=order.status, payment_status=PaymentStatus.REFUND_PENDING)


def order_settle_refund(*, order: Order, event: OrderEvent, settled: bool) -> OrderEvent:
    """Money went back (a payment owed, or a return's refund). Once nothing more is owed
    (`settled`), the payment status says what the order kept: refunded when it is cancelled or
    all its money went back, partly refunded after some returns, paid when only a surplus went
    back, unpaid when it was never paid."""
    payment_status = order.payment_status
    if settled:
        if order.status == OrderStatus.CANCELLED or (0 < order.total <= order.refunded_amount):
            payment_status = PaymentStatus.REFUNDED
        elif order.refunded_amount > 0:
            payment_status = PaymentStatus.PARTIALLY_REFUNDED
        else:
            payment_status = PaymentStatus.PAID if order.paid_at is not None else PaymentStatus.UNPAID
    return _record(order=order, event=event, status=order.status, payment_status=payment_status)


def order_advance(*, order: Order, event: OrderEvent, status: str) -> OrderEvent:
    """Staff move the order along (processing, shipped, delivered); its payment stays."""
    return _record(order=order, event=event, status=status, payment_status=order.payment_status)


def order_cancel_locked(*, order: Order, event: OrderEvent) -> Order:
    """Cancel a locked order: its stock and coupon use go back once, and money it kept is owed
    back to the customer (nothing is owed for an order that had nothing to pay)."""
    expired = event.type == OrderEventType.EXPIRED
    order_holdings_release(order=order, reason=StockReason.EXPIRY if expired else StockReason.CANCEL)
    payment_status = order.payment_status
    if payment_status == PaymentStatus.PAID:
        payment_status = PaymentStatus.REFUND_PENDING if order.total > 0 else PaymentStatus.REFUNDED
    _record(order=order, event=event, status=OrderStatus.CANCELLED, payment_status=payment_status)
    order_status_email(order=order, event=event)
    order_status_sms(order=order, event=event)
    return order


TRACKING_ONLY_WHEN_SHIPPED = _("Tracking is given when the order is shipped.")


@transaction.atomic
def order_status_change(*, order_id, new_status: str, actor, note: str = "", tracking: dict | None = None) -> Order:
    """Staff moving an order along the state machine (the admin and `update_status/`).

    Staff never confirm an order: only money does (a verified payment or a recorded one).
    Shipping may carry the courier's tracking ({carrier, number, url}), which the customer's
    e-mail then gives."""
    order = order_lock(pk=order_id)
    refused = {"from_status": order.status, "to_status": new_status}
    if new_status == order.status:
        raise InvalidTransition(
            gettext("The order is already {status}.").format(status=state_text(OrderStatus, order.status)),
            extra=refused,
        )
    if tracking and new_status != OrderStatus.SHIPPED:
        raise ValidationError({"tracking": [TRACKING_ONLY_WHEN_SHIPPED]})
    if new_status == OrderStatus.CONFIRMED:
        raise InvalidTransition(gettext("An order is confirmed by its payment, not by hand."), extra=refused)
    if new_status == OrderStatus.CANCELLED:
        if new_status not in STATUS_MOVES[order.status]:
            raise InvalidTransition(_cannot_go(order.status, new_status), extra=refused)
        return order_cancel_locked(order=order, event=cancelled_event(actor=actor, note=note or "Cancelled by staff."))
    event = order_advance(
        order=order, event=status_changed_event(actor=actor, note=note, tracking=tracking), status=new_status
    )
    if tracking:
        order.tracking = tracking
        order.save(update_fields=["tracking", "updated_at"])
    order_status_email(order=order, event=event)
    order_status_sms(order=order, event=event)
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
            gettext("Only an order that is waiting for payment can be cancelled; contact us for this one."),
            extra={"from_status": order.status, "to_status": OrderStatus.CANCELLED},
        )
    return order_cancel_locked(
        order=order, event=cancelled_event(actor=actor, note=note or "Cancelled by the customer.")
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
                order_cancel_locked(order=order, event=expired_event())
                expired += 1
    return expired
