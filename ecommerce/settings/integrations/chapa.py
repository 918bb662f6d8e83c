"""Chapa, the payment gateway (or its built-in sandbox)."""

from ecommerce.settings.environment import env, env_int
from ecommerce.settings.integrations.shop import SITE_URL

# Chapa. Without CHAPA_SECRET_KEY the shop talks to the built-in sandbox (`python -m
# payments.sandbox`, started by bin/start), so the whole purchase works with no Chapa account.
CHAPA_SANDBOX = env("CHAPA_SECRET_KEY") is None
CHAPA_SECRET_KEY = env("CHAPA_SECRET_KEY", "CHASECK_TEST-local-sandbox-key")
CHAPA_BASE_URL = env("CHAPA_BASE_URL", "http://127.0.0.1:8001/v1" if CHAPA_SANDBOX else "https://api.chapa.co/v1")
# {payment_id} is filled in: Chapa calls it after the payment, and it runs our verification.
CHAPA_CALLBACK_URL = env("CHAPA_CALLBACK_URL", SITE_URL + "/api/payments/verify/{payment_id}/")
# Where the customer's browser lands afterwards; {payment_id} and {order_id} are filled in.
# The default is the shop's own page that verifies the payment and says how it went.
CHAPA_RETURN_URL = env("CHAPA_RETURN_URL", SITE_URL + "/payments/{payment_id}/return/")
CHAPA_WEBHOOK_SECRET = env("CHAPA_WEBHOOK_SECRET", "local-sandbox-webhook-secret" if CHAPA_SANDBOX else None)
# Seconds to wait for Chapa: connecting, then reading the answer.
CHAPA_CONNECT_TIMEOUT = float(env("CHAPA_CONNECT_TIMEOUT", "5"))
CHAPA_READ_TIMEOUT = float(env("CHAPA_READ_TIMEOUT", "15"))
# Extra attempts after a connection error or a 5xx answer.
CHAPA_MAX_RETRIES = env_int("CHAPA_MAX_RETRIES", 2)
# Payments still pending after this many minutes are re-verified by the reconciliation task.
PAYMENT_RECONCILE_AFTER_MINUTES = env_int("PAYMENT_RECONCILE_AFTER_MINUTES", 2)
