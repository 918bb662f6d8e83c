from enum import StrEnum


class PaymentErrorCode(StrEnum):
    """Every code the payments app answers with; each means one HTTP status everywhere."""

    PAYMENT_GATEWAY_ERROR = "payment_gateway_error"  # 502
    PAYMENT_IN_PROGRESS = "payment_in_progress"  # 409
    WEBHOOK_SIGNATURE_INVALID = "webhook_signature_invalid"  # 400
    REFUND_NOT_ALLOWED = "refund_not_allowed"  # 409
    REFUND_ALREADY_REQUESTED = "refund_already_requested"  # 409
    REFUND_NOT_THROUGH_CHAPA = "refund_not_through_chapa"  # 409
    NOT_PAID = "not_paid"  # 409
    NOT_REFUNDED = "not_refunded"  # 409
