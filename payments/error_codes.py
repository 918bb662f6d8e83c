ORDER_NOT_PAYABLE = "order_not_payable"
PAYMENT_GATEWAY_ERROR = "payment_gateway_error"
PAYMENT_IN_PROGRESS = "payment_in_progress"
WEBHOOK_SIGNATURE_INVALID = "webhook_signature_invalid"
