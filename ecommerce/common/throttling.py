"""DRF throttles that read their rate when a request arrives, not when the class is imported,
so that a rate changed by settings (an environment variable, a test) takes effect."""

from rest_framework import throttling
from rest_framework.settings import api_settings


class _SettingsRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(_SettingsRateMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_SettingsRateMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(_SettingsRateMixin, throttling.ScopedRateThrottle):
    pass
