"""The shop's settings plus the benchmark's reference endpoints (bench/urls.py) and commands."""

from ecommerce.settings.local import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The benchmark's management commands (bulk_orders).
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
