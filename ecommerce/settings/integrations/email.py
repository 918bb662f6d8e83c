"""E-mail: the SMTP server (or the console) and the outbox's retries."""

from ecommerce.settings.environment import env, env_bool, env_int

# E-mail: console unless EMAIL_BACKEND (or EMAIL_HOST) says otherwise.
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Shop <no-reply@shop.example>")
# Where links in e-mails (password reset, order pages) point: the storefront.
FRONTEND_URL = env("FRONTEND_URL", "http://localhost:8000")
SHOP_NAME = env("SHOP_NAME", "Shop")
# The outbox: first retry after this many seconds, doubling up to an hour, at most this many tries.
EMAIL_RETRY_BACKOFF_SECONDS = float(env("EMAIL_RETRY_BACKOFF_SECONDS", "60"))
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 8)
# How long a new e-mail is left to its own task before the periodic flush takes it.
EMAIL_OUTBOX_GRACE_SECONDS = env_int("EMAIL_OUTBOX_GRACE_SECONDS", 60)
