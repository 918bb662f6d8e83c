EMPTY_CART = "empty_cart"
INVALID_TRANSITION = "invalid_transition"
IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
ORDER_TOO_LARGE = "order_too_large"
