from ecommerce.common.exceptions import ApplicationError, ConflictError
from orders.error_codes import OrderErrorCode


class EmptyCart(ApplicationError):
    default_code = OrderErrorCode.EMPTY_CART


class InvalidTransition(ApplicationError):
    """A move outside the order's state machine, or one the caller may not make."""

    default_code = OrderErrorCode.INVALID_TRANSITION


class IdempotencyKeyReused(ConflictError):
    default_code = OrderErrorCode.IDEMPOTENCY_KEY_REUSED


class OrderTooLarge(ApplicationError):
    default_code = OrderErrorCode.ORDER_TOO_LARGE


class RefundNotDue(ConflictError):
    default_code = OrderErrorCode.REFUND_NOT_DUE


class OrderNotPayable(ApplicationError):
    default_code = OrderErrorCode.ORDER_NOT_PAYABLE


class DeliveryMethodRequired(ApplicationError):
    default_code = OrderErrorCode.DELIVERY_METHOD_REQUIRED


class DeliveryUnavailable(ApplicationError):
    """The delivery method is unknown, inactive, or does not serve the address."""

    default_code = OrderErrorCode.DELIVERY_UNAVAILABLE


class CashOnDeliveryUnavailable(ApplicationError):
    default_code = OrderErrorCode.COD_UNAVAILABLE


class PaymentRequired(ApplicationError):
    """An order cannot be delivered before its money is in."""

    default_code = OrderErrorCode.PAYMENT_REQUIRED


class AmountMismatch(ApplicationError):
    default_code = OrderErrorCode.AMOUNT_MISMATCH


class AlreadyPaid(ConflictError):
    default_code = OrderErrorCode.ALREADY_PAID


class OrderNotDelivered(ApplicationError):
    """Only a delivered order's items can be returned."""

    default_code = OrderErrorCode.ORDER_NOT_DELIVERED


class ReturnWindowClosed(ApplicationError):
    default_code = OrderErrorCode.RETURN_WINDOW_CLOSED


class ReturnQuantityExceeded(ApplicationError):
    """More units asked back than were bought, less those in other open or completed returns."""

    default_code = OrderErrorCode.RETURN_QUANTITY_EXCEEDED


class RefundExceedsValue(ApplicationError):
    """Staff may refund a return less than its lines' value, never more."""

    default_code = OrderErrorCode.REFUND_EXCEEDS_VALUE


class RefundExceedsPaid(ConflictError):
    """Over all its refunds, an order never gives back more than it was paid."""

    default_code = OrderErrorCode.REFUND_EXCEEDS_PAID


class DeliveryAlreadyRefunded(ConflictError):
    default_code = OrderErrorCode.DELIVERY_ALREADY_REFUNDED


class ReturnAlreadyRefunded(ConflictError):
    """A second refund of a return: another staff member got there first."""

    default_code = OrderErrorCode.RETURN_ALREADY_REFUNDED
