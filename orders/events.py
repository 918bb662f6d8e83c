"""One constructor per type of order event (Saleor's order/events.py): what each event carries
in its `parameters` is fixed here, and nowhere else. Each returns the event unsaved; the move
that records it (orders.services.transitions) fills in the order and the state it left it in."""

from decimal import Decimal

from orders.models import OrderEvent, OrderEventType


def _event(type: str, *, actor=None, note: str = "", **parameters) -> OrderEvent:
    return OrderEvent(type=type, actor=actor, note=note[:500], parameters=parameters)


def placed_event(*, actor, cash_on_delivery: bool) -> OrderEvent:
    note = "Order placed; to be paid in cash on delivery." if cash_on_delivery else "Order placed."
    return _event(OrderEventType.PLACED, actor=actor, note=note)


def nothing_to_pay_event() -> OrderEvent:
    """A fully discounted order: paid by its coupon, with no payment at all."""
    return _event(OrderEventType.PAYMENT_SUCCEEDED, note="Nothing to pay.")


def payment_succeeded_event(*, payment_ref: str) -> OrderEvent:
    return _event(OrderEventType.PAYMENT_SUCCEEDED, note=f"Payment {payment_ref} verified.", payment=payment_ref)


def payment_failed_event(*, payment_ref: str) -> OrderEvent:
    return _event(OrderEventType.PAYMENT_FAILED, note=f"Payment {payment_ref} failed.", payment=payment_ref)


def payment_recorded_event(
    *, actor, payment_ref: str, amount: Decimal, currency: str, method: str, reference: str
) -> OrderEvent:
    return _event(
        OrderEventType.PAYMENT_RECORDED,
        actor=actor,
        note=f"Payment {payment_ref} of {amount} {currency} recorded.",
        payment=payment_ref,
        method=method,
        amount=str(amount),
        reference=reference,
    )


def status_changed_event(*, actor, note: str, tracking: dict | None = None) -> OrderEvent:
    parameters = {"tracking": tracking} if tracking else {}
    return _event(OrderEventType.STATUS_CHANGED, actor=actor, note=note, **parameters)


def cancelled_event(*, actor, note: str) -> OrderEvent:
    return _event(OrderEventType.CANCELLED, actor=actor, note=note)


def expired_event() -> OrderEvent:
    return _event(OrderEventType.EXPIRED, note="Payment window expired.")


def reinstated_event(*, payment_ref: str) -> OrderEvent:
    return _event(
        OrderEventType.REINSTATED,
        note=f"Payment {payment_ref} arrived after cancellation; stock reserved again and order confirmed.",
        payment=payment_ref,
    )


def refund_flagged_event(
    *, payment_ref: str, note: str, expected: str | None = None, received: str | None = None
) -> OrderEvent:
    """Money the order cannot keep: a second payment, one after cancellation, or one that is not
    what the order asked for (then `expected` and `received` say what differed)."""
    mismatch = {"expected": expected, "received": received} if expected is not None else {}
    return _event(OrderEventType.REFUND_FLAGGED, note=note, payment=payment_ref, **mismatch)


def refunded_event(*, actor, note: str, payment_ref: str, amount: Decimal, return_number: str = "") -> OrderEvent:
    """Money went back: `amount` of payment `payment_ref` (a return's refund names the return)."""
    parameters = {"return": return_number} if return_number else {}
    return _event(
        OrderEventType.REFUNDED, actor=actor, note=note, payment=payment_ref, amount=str(amount), **parameters
    )
