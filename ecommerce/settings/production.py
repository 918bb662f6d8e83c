"""Production settings: no secret default, HTTPS everywhere, DEBUG off unless explicitly enabled."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool, env_int

SECRET_KEY = os.environ.get("SECRET_KEY") or ""
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")

# No sandbox and no unsigned webhooks in production: both Chapa secrets are required.
if CHAPA_SANDBOX or not CHAPA_WEBHOOK_SECRET:  # noqa: F405
    raise ImproperlyConfigured("CHAPA_SECRET_KEY and CHAPA_WEBHOOK_SECRET must be set in production.")
# SMS sent through AfroMessage go to the real gateway, never to the sandbox's loopback address.
if SMS_BACKEND == "afromessage" and SMS_SANDBOX:  # noqa: F405
    raise ImproperlyConfigured("SMS_API_TOKEN must be set in production when SMS_BACKEND is afromessage.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The load balancer probes health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DEBUG = env_bool("DEBUG", False)
LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", "json")  # noqa: F405
