"""The shop's settings plus the benchmark's reference endpoints (bench/urls.py)."""

from ecommerce.settings.local import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
