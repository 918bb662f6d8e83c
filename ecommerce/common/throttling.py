"""DRF throttles that read their rate when a request arrives, not when the class is imported,
so that a rate changed by settings (an environment variable, a test) takes effect, and that
key anonymous clients on the address our proxies saw rather than on a header the client wrote.

The default throttles (anonymous and user scopes) of a request cost one Redis round trip
together: DRF's own keep each history as a pickled list, read and written back (two round
trips a scope, on every request). Here each history is a Redis list that one Lua script trims,
checks and appends to for every scope at once, with DRF's sliding-window rule unchanged."""

import functools
import math
from functools import wraps

from django.core.cache import caches
from django.shortcuts import render
from django_redis.cache import RedisCache
from redis.exceptions import RedisError
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


# DRF's rule per key: drop the times older than the window; at the limit, refuse (no write);
# otherwise record now, the key living as long as the window. Histories are newest first. Only
# a refusal carries the history back (for wait()): a window of thousands of requests would
# otherwise travel, as DRF's pickled list does, on every request.
_SLIDING_WINDOW = """
local now = tonumber(ARGV[1])
local answers = {}
for i, key in ipairs(KEYS) do
  local duration, limit = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  while true do
    local oldest = redis.call('LINDEX', key, -1)
    if not oldest or tonumber(oldest) > now - duration then break end
    redis.call('RPOP', key)
  end
  if redis.call('LLEN', key) >= limit then
    answers[i] = {0, redis.call('LRANGE', key, 0, -1)}
  else
    redis.call('LPUSH', key, ARGV[1])
    redis.call('EXPIRE', key, duration)
    answers[i] = {1, {}}
  end
end
return answers
"""


@functools.cache
def _sliding_window(client):
    # Sent by its digest (EVALSHA), the text only when Redis does not know it yet.
    return client.register_script(_SLIDING_WINDOW)


def _allow_all(throttles, request, view) -> list[bool]:
    """Whether each of these SimpleRateThrottles lets the request through, as DRF's
    allow_request would answer (each keeps its history and now for wait()), in one round trip."""
    allowed = [True] * len(throttles)
    counted = [i for i, throttle in enumerate(throttles) if _keyed(throttle, request, view)]
    if not counted:
        return allowed
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return [throttle.allow_request(request, view) for throttle in throttles]
    now = throttles[counted[0]].timer()
    args = [repr(now)]
    for i in counted:
        throttles[i].now = now
        args += [throttles[i].duration, throttles[i].num_requests]
    keys = [cache.make_key(f"{throttles[i].key}:log") for i in counted]
    try:
        client = cache.client.get_client(write=True)
        answers = _sliding_window(client)(keys=keys, args=args, client=client)
    except RedisError:  # fail open, as the cache does
        return allowed
    for i, (ok, history) in zip(counted, answers, strict=True):
        throttles[i].history = [float(moment) for moment in history]
        allowed[i] = bool(ok)
    return allowed


def _keyed(throttle, request, view) -> bool:
    if throttle.rate is None:
        return False
    throttle.key = throttle.get_cache_key(request, view)
    return throttle.key is not None


class DefaultRateThrottle(throttling.BaseThrottle):
    """The anonymous and user scopes, checked together in one round trip. Each counts the
    request as DRF's would, and the wait is the longest of those refused, as DRF takes it."""

    scopes = (AnonRateThrottle, UserRateThrottle)

    def allow_request(self, request, view):
        throttles = [scope() for scope in self.scopes]
        allowed = _allow_all(throttles, request, view)
        self.waits = [throttle.wait() for throttle, ok in zip(throttles, allowed, strict=True) if not ok]
        return not self.waits

    def wait(self):
        return max((wait for wait in self.waits if wait is not None), default=None)


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
