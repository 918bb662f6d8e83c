"""Prometheus metrics, served at /metrics to whoever holds METRICS_TOKEN (a Bearer token);
to everyone else, and to everyone when no token is set, /metrics does not exist (404).

Under gunicorn every worker is its own process: with PROMETHEUS_MULTIPROC_DIR set (the
container's gunicorn config sets it, and the Celery worker shares the directory), each process
writes its samples there and a scrape sums them (prometheus_client's multiprocess mode).
Without it the process's own registry is served (runserver, tests).

Measured: every request by view, method and status, with its latency; every SQL statement's
time by database alias; the catalog cache's lookups by result, with their time; checkouts by
outcome; Celery tasks by outcome. Read from the database when scraped: payments and orders by
status (METRICS_STATUS_GAUGES) and the e-mail outbox's backlog.
"""

import hmac
import os
import time

from celery.signals import task_failure, task_retry, task_success
from django.apps import apps
from django.conf import settings
from django.db.backends.signals import connection_created
from django.http import Http404, HttpResponse
from django.views import View
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import REGISTRY, GaugeMetricFamily

if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # every process writes its files here, first or not
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

# Buckets for web latencies: a cache hit is ~1 ms, a checkout ~100 ms, anything past 5 s is lost.
LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
QUERY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0)

REQUESTS = Counter("shop_http_requests", "HTTP requests by view, method and status.", ["view", "method", "status"])
LATENCY = Histogram(
    "shop_http_request_duration_seconds", "Time to answer a request, by view.", ["view"], buckets=LATENCY_BUCKETS
)
QUERIES = Histogram(
    "shop_db_query_duration_seconds", "Time of each SQL statement, by database alias.", ["alias"], buckets=QUERY_BUCKETS
)
CACHE = Histogram(
    "shop_catalog_cache_lookup_duration_seconds",
    "Catalog cache lookups (one Redis round trip each), by result.",
    ["result"],
    buckets=QUERY_BUCKETS,
)
CHECKOUTS = Counter("shop_checkouts", "Checkouts (POST /api/orders/create/) by outcome.", ["outcome"])
TASKS = Counter("shop_celery_tasks", "Celery tasks by name and outcome.", ["task", "outcome"])

CHECKOUT_VIEW = "orders:create"
# Label values come from fixed sets: a client can send any method name, and every new value
# would be a new time series kept for as long as the process lives.
KNOWN_METHODS = frozenset(name.upper() for name in View.http_method_names)
OTHER_METHOD = "other"


class MetricsMiddleware:
    """First in MIDDLEWARE, so a request's latency covers the whole stack."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        view = match.view_name if match is not None else "unresolved"
        LATENCY.labels(view).observe(time.perf_counter() - started)
        method = request.method if request.method in KNOWN_METHODS else OTHER_METHOD
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        if view == CHECKOUT_VIEW:
            CHECKOUTS.labels(_checkout_outcome(response)).inc()
        return response


def _checkout_outcome(response) -> str:
    if response.status_code == 201:
        return "placed"
    code = response.data.get("code") if isinstance(getattr(response, "data", None), dict) else None
    # Only an error code the shop set (a string from its catalogue); a 400 about a body field
    # named "code" carries that field's messages here instead.
    return code if isinstance(code, str) and code else f"http_{response.status_code}"


def _timed_query(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        QUERIES.labels(context["connection"].alias).observe(time.perf_counter() - started)


def _instrument_connection(sender, connection, **kwargs) -> None:
    if _timed_query not in connection.execute_wrappers:
        connection.execute_wrappers.append(_timed_query)


connection_created.connect(_instrument_connection, dispatch_uid="ecommerce.metrics.queries")


def _task_outcome(outcome: str):
    def record(sender=None, **kwargs) -> None:
        TASKS.labels(getattr(sender, "name", str(sender)), outcome).inc()

    return record


_on_success, _on_failure, _on_retry = _task_outcome("success"), _task_outcome("failure"), _task_outcome("retry")
task_success.connect(_on_success, weak=False)
task_failure.connect(_on_failure, weak=False)
task_retry.connect(_on_retry, weak=False)


class DatabaseCollector:
    """Gauges read from the database at scrape time: rows by status, and the outbox backlog."""

    def collect(self):
        from django.db.models import Count

        for name, target in settings.METRICS_STATUS_GAUGES.items():
            app_model, field = target.rsplit(".", 1)
            gauge = GaugeMetricFamily(name, f"{app_model} rows by {field}.", labels=[field])
            rows = apps.get_model(app_model).objects.order_by().values_list(field).annotate(n=Count("pk"))
            for value, count in rows:
                gauge.add_metric([value], count)
            yield gauge
        from ecommerce.outbox.models import OutboxEmail, OutboxMessage, OutboxSms

        backlog = GaugeMetricFamily("shop_outbox_backlog", "Messages waiting in the outbox.", labels=["channel"])
        for channel, model in (("email", OutboxEmail), ("sms", OutboxSms)):
            backlog.add_metric([channel], model.objects.filter(status=OutboxMessage.Status.PENDING).count())
        yield backlog


class _ThisProcess:
    """This process's own metrics (single-process mode)."""

    def collect(self):
        yield from REGISTRY.collect()


def registry() -> CollectorRegistry:
    collected = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(collected)
    else:
        collected.register(_ThisProcess())
    collected.register(DatabaseCollector())
    return collected


class MetricsView(View):
    def get(self, request):
        token = settings.METRICS_TOKEN
        given = request.META.get("HTTP_AUTHORIZATION", "")
        if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise Http404
        return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
