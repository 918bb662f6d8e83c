"""Cache of public catalog responses (category list, product list and detail).

Each entry holds the rendered JSON bytes and the catalog version it was built under, keyed by
the request's language and normalised query: an Amharic reader never gets an English page, nor
the reverse. Any change to a product or category bumps the version (one INCR, after commit); an
entry of an older version counts as a miss and is rebuilt from the database, on every server
instance. No key is ever scanned or deleted; old entries expire.

A hit costs one Redis round trip (MGET of the version and the entry). Anonymous requests are
answered from the cache by CatalogCacheMiddleware before the rest of the middleware runs; other requests go
through the view, which uses the same entries. Staff requests never read or write the cache:
they see inactive products the public must not. The cache fails open: with Redis unreachable,
every read goes to the database.
"""

import functools
import hashlib
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import translation
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework.response import Response

from ecommerce.common.metrics import CACHE
from ecommerce.common.permissions import is_staff_request

VERSION_KEY = "catalog:version"
COUNT_SECONDS = 60


def catalog_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A namespace never used before, so entries left from before a Redis flush never match.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY) or 0
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): any new value starts a fresh namespace
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def catalog_changed() -> None:
    """Make the next catalog read fresh, once the current transaction commits."""
    transaction.on_commit(_bump)


def _key_query(request, params: set[str]) -> str:
    # Only the view's own parameters, sorted: unknown or reordered ones cannot multiply entries.
    return urlencode(sorted((name, value) for name in params for value in request.GET.getlist(name)))


def _entry_key(request, params: set[str]) -> str:
    # The language is the request's by now: LanguageMiddleware runs before the cache's, and
    # DRF's authentication has applied a signed-in user's own before the view looks.
    language = translation.get_language()
    identity = f"{language}:{request.scheme}://{request.get_host()}{request.path}?{_key_query(request, params)}"
    return "catalog:page:" + hashlib.sha256(identity.encode()).hexdigest()


def _strip_to_key(request, params: set[str]) -> None:
    """Leave the request only the parameters its cache key holds, so that nothing else of the
    first requester's (pagination links repeat the query) is served to the next ones."""
    query = _key_query(request, params)
    django_request = getattr(request, "_request", request)
    django_request.META["QUERY_STRING"] = query
    django_request.GET = QueryDict(query)


def cached_page(request, params: set[str]) -> HttpResponse | None:
    """The cached answer to this request, if there is one of the current catalog version. The
    version read is kept on the request: after a miss in the middleware, the view neither looks
    again nor reads the version again."""
    key = _entry_key(request, params)
    started = time.perf_counter()
    found = cache.get_many([VERSION_KEY, key])
    getattr(request, "_request", request).catalog_version_read = found.get(VERSION_KEY)
    entry = found.get(key)
    if entry is None or found.get(VERSION_KEY) is None or entry[0] != found[VERSION_KEY]:
        CACHE.labels("miss").observe(time.perf_counter() - started)
        return None
    CACHE.labels("hit").observe(time.perf_counter() - started)
    response = HttpResponse(entry[1], content_type="application/json")
    response["X-Cache"] = "HIT"
    return response


def catalog_count(request, *, params: set[str], count: Callable[[], int]) -> int:
    """How many rows match this request's filters (`params`, without the page parameters):
    counted once per catalog version and filter set, not once per page. Staff lists, which hold
    inactive products, are counted afresh. Checkout does not change the version, so an
    `in_stock` count may lag stock sold by up to COUNT_SECONDS."""
    if is_staff_request(request):
        return count()
    key = "catalog:count:" + _entry_key(request, params).removeprefix("catalog:page:")
    found = cache.get_many([VERSION_KEY, key])
    entry = found.get(key)
    if entry is not None and found.get(VERSION_KEY) == entry[0]:
        return entry[1]
    version = found.get(VERSION_KEY) or catalog_version()
    value = count()
    cache.set(key, (version, value), timeout=COUNT_SECONDS)
    return value


def cached_catalog_response(request, *, params: set[str], build: Callable[[], HttpResponse]) -> HttpResponse:
    """Serve `build()`'s 200 answer from the cache when possible, and cache it otherwise."""
    if not settings.CATALOG_CACHE_SECONDS or is_staff_request(request):
        return build()
    django_request = getattr(request, "_request", request)
    if not hasattr(django_request, "catalog_version_read"):  # the middleware has not looked
        hit = cached_page(request, params)
        if hit is not None:
            return hit
    # The version is read before the database: if the catalog changes while this answer is
    # built, the entry is already out of date and the next read rebuilds it.
    version = django_request.catalog_version_read or catalog_version()
    _strip_to_key(request, params)
    response = build()
    if response.status_code != 200:
        return response
    # A page whose rows came as JSON text is rendered already.
    content = ORJSONRenderer().render(response.data) if isinstance(response, Response) else response.content
    cache.set(_entry_key(request, params), (version, content), timeout=settings.CATALOG_CACHE_SECONDS)
    fresh = HttpResponse(content, content_type="application/json")
    fresh["X-Cache"] = "MISS"
    return fresh


@functools.lru_cache(maxsize=4096)
def _catalog_view(path: str) -> tuple[ResolverMatch, set[str]] | None:
    """The URL match and cache parameters of a catalog view at `path`, or None. Remembered per
    path: on a hit this is all the URL work the request does."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    params = getattr(getattr(match.func, "cls", None), "catalog_cache_params", None)
    return None if params is None else (match, params)


class CatalogCacheMiddleware:
    """Answer anonymous catalog reads from the cache before the rest of the middleware, DRF,
    authentication and throttling run: a hit then costs less than the barest Django view.
    Views opt in with `catalog_cache_params`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and "HTTP_AUTHORIZATION" not in request.META and settings.CATALOG_CACHE_SECONDS:
            found = _catalog_view(request.path_info)
            if found is not None:
                hit = cached_page(request, found[1])
                if hit is not None:
                    request.resolver_match = found[0]  # for the request metrics
                    return hit
        return self.get_response(request)
