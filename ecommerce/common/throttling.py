"""DRF throttles that read their rate when a request arrives, not when the class is imported,
so that a rate changed by settings (an environment variable, a test) takes effect, and that
key anonymous clients on the address our proxies saw rather than on a header the client wrote."""

from rest_framework import throttling
from rest_framework.settings import api_settings

from ecommerce.common.client_ip import client_ip


class _ShopThrottleMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request)


class AnonRateThrottle(_ShopThrottleMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_ShopThrottleMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(_ShopThrottleMixin, throttling.ScopedRateThrottle):
    pass
