"""DRF throttles that read their rate when a request arrives, not when the class is imported,
so that a rate changed by settings (an environment variable, a test) takes effect, and that
key anonymous clients on the address our proxies saw rather than on a header the client wrote."""

import math
from functools import wraps

from django.shortcuts import render
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


def throttled_page(view):
    """A page for people (a plain Django view) throttled exactly like the API views: the same
    default throttles, scopes and rates (THROTTLE_ANON, THROTTLE_USER), so the page and the API
    beside it share one budget per client. Past it, a 429 page in plain words with Retry-After."""

    @wraps(view)
    def throttled(request, *args, **kwargs):
        throttles = [throttle_class() for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES]
        waits = [throttle.wait() for throttle in throttles if not throttle.allow_request(request, None)]
        if not waits:
            return view(request, *args, **kwargs)
        retry_after = max((math.ceil(wait) for wait in waits if wait), default=1)
        response = render(request, "too_many_requests.html", {"retry_after": retry_after}, status=429)
        response["Retry-After"] = str(retry_after)
        return response

    return throttled
