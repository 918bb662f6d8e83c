"""What money does to an order: the payments app reports each verified outcome here.

Money received is never ignored: it pays the order when the order still needs it, and is
otherwise flagged `refund_pending` with an event that says why.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ecommerce.common.money import money_display
from orders.events import (
    payment_failed_event,
    payment_recorded_event,
    payment_succeeded_event,
    refund_flagged_event,
    refunded_event,
    reinstated_event,
)
from orders.exceptions import AlreadyPaid, AmountMismatch, OrderNotPayable, RefundNotDue
from orders.lock_objects import order_lock
from orders.models import Order, OrderStatus, PaymentMethod, PaymentStatus, state_text
from orders.services.holdings import order_holdings_retake
from orders.services.transitions import (
    order_fail_payment,
    order_flag_refund,
    order_pay,
    order_reinstate,
    order_settle_refund,
)
from orders.sms import order_paid_sms

_NEEDS_MONEY = (PaymentStatus.UNPAID, PaymentStatus.FAILED)


@transaction.atomic
def order_payment_received(*, order_id, payment_ref: str) -> bool:
    """Money for the order's total arrived (verified by the payments app). Returns whether it
    was applied to the order; when it was not, the order is flagged for a refund.

    A pending order is confirmed. An order cancelled before the money arrived is brought back
    if its stock and coupon use can be taken again. An order already paid owes this money back.
    """
    order = order_lock(pk=order_id)
    if order.payment_status not in _NEEDS_MONEY:
        note = f"Another payment {payment_ref} was received for this order: refund it."
        order_flag_refund(order=order, event=refund_flagged_event(payment_ref=payment_ref, note=note))
        return False
    if order.status == OrderStatus.CANCELLED:
        gone = order_holdings_retake(order=order)
        if gone:
            note = f"Payment {payment_ref} arrived after cancellation and {gone}: refund pending."
            order_flag_refund(order=order, event=refund_flagged_event(payment_ref=payment_ref, note=note))
            return False
        event = order_reinstate(order=order, event=reinstated_event(payment_ref=payment_ref))
    else:
        # The payment e-mail says the order is confirmed: no status e-mail here.
        event = order_pay(order=order, event=payment_succeeded_event(payment_ref=payment_ref))
    order_paid_sms(order=order, event=event)
    return True


def order_payment_recorded(
    *, order_id, amount: Decimal, payment_ref: str, actor, method: str, reference: str = ""
) -> Order:
    """Staff took the order's money outside Chapa (cash at the door, a bank transfer). Runs in
    the caller's transaction, which records the payment itself.

    Only the exact total of an unpaid order that still stands is taken, once: the order's lock
    makes a second recording wait, then find the order paid. A pending order is confirmed."""
    order = order_lock(pk=order_id)
    if order.payment_status not in _NEEDS_MONEY:
        raise AlreadyPaid(
            gettext("Order {number} is not waiting for money (payment is {payment_status}).").format(
                number=order.number, payment_status=state_text(PaymentStatus, order.payment_status)
            ),
            extra={"payment_status": order.payment_status},
        )
    if order.status == OrderStatus.CANCELLED:
        raise OrderNotPayable(gettext("Order {number} is cancelled and cannot be paid.").format(number=order.number))
    if amount != order.total:
        raise AmountMismatch(
            gettext("The amount must be the order's total, {total}.").format(
                total=money_display(order.total, order.currency)
            ),
            extra={"expected": str(order.total)},
        )
    event = payment_recorded_event(
        actor=actor, payment_ref=payment_ref, amount=amount, currency=order.currency, method=method, reference=reference
    )
    order_paid_sms(order=order, event=order_pay(order=order, event=event))
    return order


@transaction.atomic
def order_payment_mismatched(*, order_id, payment_ref: str, problem: str, expected: str, received: str) -> Order:
    """Money arrived that is not what the order asked for (amount, currency): it is never applied,
    and staff give it back."""
    order = order_lock(pk=order_id)
    event = refund_flagged_event(
        payment_ref=payment_ref,
        note=f"Payment {payment_ref} cannot be applied: {problem} Refund it.",
        expected=expected,
        received=received,
    )
    order_flag_refund(order=order, event=event)
    return order


@transaction.atomic
def order_payment_failed(*, order_id, payment_ref: str) -> Order:
    """A payment attempt failed; the order stays pending so the customer can try again."""
    order = order_lock(pk=order_id)
    if order.status == OrderStatus.PENDING and order.payment_status == PaymentStatus.UNPAID:
        order_fail_payment(order=order, event=payment_failed_event(payment_ref=payment_ref))
    return order


@transaction.atomic
def order_refund_recorded(*, order_id, actor, note: str, settled: bool, payment_ref: str, amount: Decimal) -> Order:
    """Money owed to the customer went back (`amount` of payment `payment_ref`); `settled` when
    nothing more is owed (orders.services.transitions.order_settle_refund)."""
    order = order_lock_refund_due(order_id=order_id)
    event = refunded_event(actor=actor, note=note, payment_ref=payment_ref, amount=amount)
    order_settle_refund(order=order, event=event, settled=settled)
    return order


def order_lock_for_payment(*, order_id) -> Order:
    """Lock an order that is about to get a payment attempt; refuses one that cannot be paid.

    Runs in the caller's transaction, so concurrent attempts for one order wait for each other.
    """
    order = order_lock(pk=order_id)
    if order.payment_method == PaymentMethod.CASH_ON_DELIVERY:
        raise OrderNotPayable(
            gettext("Order {number} is paid in cash on delivery, not through Chapa.").format(number=order.number)
        )
    if order.status != OrderStatus.PENDING or order.payment_status not in _NEEDS_MONEY:
        raise OrderNotPayable(
            gettext("Order {number} is {status} and cannot be paid.").format(
                number=order.number, status=state_text(OrderStatus, order.status)
            )
        )
    if order.total <= 0:
        raise OrderNotPayable(gettext("Order {number} has nothing to pay.").format(number=order.number))
    if order.expires_at is not None and order.expires_at <= timezone.now():
        raise OrderNotPayable(gettext("The payment window of order {number} has closed.").format(number=order.number))
    return order


def order_lock_refund_due(*, order_id) -> Order:
    """Lock an order from which money is about to go back; refuses one that owes nothing."""
    order = order_lock(pk=order_id)
    if order.payment_status != PaymentStatus.REFUND_PENDING:
        raise RefundNotDue(
            gettext("Order {number} is not waiting for a refund (payment is {payment_status}).").format(
                number=order.number, payment_status=state_text(PaymentStatus, order.payment_status)
            ),
            extra={"payment_status": order.payment_status},
        )
    return order
