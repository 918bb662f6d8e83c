"""Order services, by concern: placement (checkout), delivery (methods, fees, VAT), transitions
(the state machine and the one function that moves it), holdings (stock and coupon use) and
payment outcomes."""

from orders.services.payment_outcomes import (
    order_lock_for_payment,
    order_lock_refund_due,
    order_payment_failed,
    order_payment_mismatched,
    order_payment_received,
    order_payment_recorded,
    order_refund_recorded,
)
from orders.services.placement import order_place_from_cart
from orders.services.transitions import (
    PAYMENT_MOVES,
    STATUS_MOVES,
    order_cancel,
    order_expire_overdue,
    order_status_change,
)

__all__ = [
    "PAYMENT_MOVES",
    "STATUS_MOVES",
    "order_cancel",
    "order_expire_overdue",
    "order_lock_for_payment",
    "order_lock_refund_due",
    "order_payment_failed",
    "order_payment_mismatched",
    "order_payment_received",
    "order_payment_recorded",
    "order_refund_recorded",
    "order_place_from_cart",
    "order_status_change",
]
