from enum import StrEnum


class OrderErrorCode(StrEnum):
    """Every code the orders app answers with; each means one HTTP status everywhere."""

    EMPTY_CART = "empty_cart"  # 400
    INVALID_TRANSITION = "invalid_transition"  # 400
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"  # 409
    ORDER_TOO_LARGE = "order_too_large"  # 400
    ORDER_NOT_PAYABLE = "order_not_payable"  # 400
    REFUND_NOT_DUE = "refund_not_due"  # 409
    DELIVERY_METHOD_REQUIRED = "delivery_method_required"  # 400
    DELIVERY_UNAVAILABLE = "delivery_unavailable"  # 400
    COD_UNAVAILABLE = "cod_unavailable"  # 400
    PAYMENT_REQUIRED = "payment_required"  # 400
    AMOUNT_MISMATCH = "amount_mismatch"  # 400
    ALREADY_PAID = "already_paid"  # 409
    ORDER_NOT_DELIVERED = "order_not_delivered"  # 400
    RETURN_WINDOW_CLOSED = "return_window_closed"  # 400
    RETURN_QUANTITY_EXCEEDED = "return_quantity_exceeded"  # 400
    REFUND_EXCEEDS_VALUE = "refund_exceeds_value"  # 400
    REFUND_EXCEEDS_PAID = "refund_exceeds_paid"  # 409
    DELIVERY_ALREADY_REFUNDED = "delivery_already_refunded"  # 409
    RETURN_ALREADY_REFUNDED = "return_already_refunded"  # 409
