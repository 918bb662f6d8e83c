from ecommerce.common.exceptions import ApplicationError, ConflictError
from payments.error_codes import PaymentErrorCode


class PaymentGatewayError(ApplicationError):
    status_code = 502
    default_code = PaymentErrorCode.PAYMENT_GATEWAY_ERROR


class PaymentInProgress(ConflictError):
    default_code = PaymentErrorCode.PAYMENT_IN_PROGRESS


class WebhookSignatureInvalid(ApplicationError):
    default_code = PaymentErrorCode.WEBHOOK_SIGNATURE_INVALID


class RefundNotAllowed(ConflictError):
    """The payment holds no money the customer is owed."""

    default_code = PaymentErrorCode.REFUND_NOT_ALLOWED


class RefundAlreadyRequested(ConflictError):
    """Chapa was already asked to refund this payment: asking twice could refund twice."""

    default_code = PaymentErrorCode.REFUND_ALREADY_REQUESTED


class RefundNotThroughChapa(ConflictError):
    """Chapa can refund only money it took: cash and bank transfers are paid back by hand."""

    default_code = PaymentErrorCode.REFUND_NOT_THROUGH_CHAPA


class OrderNotPaid(ConflictError):
    """A receipt exists only once the order's money has arrived."""

    default_code = PaymentErrorCode.NOT_PAID


class ReturnNotRefunded(ConflictError):
    """A credit note exists only once the return's money went back."""

    default_code = PaymentErrorCode.NOT_REFUNDED
