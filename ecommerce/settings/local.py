"""Development settings: the embedded default a newcomer gets with no configuration.

DEBUG stays off unless DEBUG=1 is set: the shop should behave the same on a laptop as in
production (whitenoise serves the collected static files either way).
"""

from .base import *  # noqa: F403
from .base import env

# Development only: a fixed key so sessions survive restarts. Production has no default.
SECRET_KEY = env("SECRET_KEY", "django-insecure-local-development-key-change-me-0123456789")
