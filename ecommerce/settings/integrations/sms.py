"""SMS: the console (the embedded default) or AfroMessage (or its built-in sandbox), and the
outbox's retries."""

from django.core.exceptions import ImproperlyConfigured

from ecommerce.settings.environment import env, env_int

# console prints every SMS; afromessage sends them through AfroMessage's API.
SMS_BACKEND = env("SMS_BACKEND", "console")
if SMS_BACKEND not in {"console", "afromessage"}:
    raise ImproperlyConfigured(f"SMS_BACKEND must be console or afromessage, not {SMS_BACKEND!r}.")
# Without SMS_API_TOKEN, afromessage talks to the built-in sandbox (`manage.py sms_sandbox`,
# started by bin/start), which keeps what it receives.
SMS_SANDBOX = env("SMS_API_TOKEN") is None
SMS_API_TOKEN = env("SMS_API_TOKEN", "local-sms-sandbox-token")
SMS_SANDBOX_PORT = env_int("SMS_SANDBOX_PORT", 8002)
SMS_BASE_URL = env(
    "SMS_BASE_URL", f"http://127.0.0.1:{SMS_SANDBOX_PORT}/api" if SMS_SANDBOX else "https://api.afromessage.com/api"
)
# The identifier id (`from`) and the approved sender name (`sender`) of the AfroMessage account.
SMS_IDENTIFIER = env("SMS_IDENTIFIER", "")
SMS_SENDER = env("SMS_SENDER", "")
# Seconds to wait for the gateway: connecting, then reading the answer.
SMS_CONNECT_TIMEOUT = float(env("SMS_CONNECT_TIMEOUT", "5"))
SMS_READ_TIMEOUT = float(env("SMS_READ_TIMEOUT", "10"))
# The outbox: first retry after this many seconds, doubling up to an hour, at most this many tries.
SMS_RETRY_BACKOFF_SECONDS = float(env("SMS_RETRY_BACKOFF_SECONDS", "30"))
SMS_MAX_ATTEMPTS = env_int("SMS_MAX_ATTEMPTS", 8)
# How long a new SMS is left to its own task before the periodic flush takes it.
SMS_OUTBOX_GRACE_SECONDS = env_int("SMS_OUTBOX_GRACE_SECONDS", 60)
