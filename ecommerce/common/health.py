"""Liveness and readiness probes for the load balancer and docker-compose."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views import View
from drf_spectacular.utils import extend_schema, inline_serializer
from kombu import Connection
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key, value = f"health:{uuid.uuid4().hex}", "ok"
    # A fail-open cache reads a dead Redis as a miss, so check that what was written comes back.
    cache.set(key, value, timeout=5)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)


def _check_broker() -> str:
    if settings.CELERY_BROKER_URL.startswith("memory://"):
        return "not configured (tasks run inline)"
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


class HealthView(View):
    """Liveness: a plain Django view, as cheap as a request can be; the load balancer calls it
    every few seconds and it needs nothing of DRF (outside the /api/ schema)."""

    def get(self, request):
        return JsonResponse({"status": "ok"})


class ReadinessView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []

    @extend_schema(
        responses={
            (200, "application/json"): inline_serializer(
                "Readiness", {"status": serializers.CharField(), "checks": serializers.DictField()}
            ),
            (503, "application/json"): inline_serializer(
                "ReadinessFailure",
                {
                    "status": serializers.CharField(),
                    "checks": serializers.DictField(),
                    "failing": serializers.ListField(),
                },
            ),
        }
    )
    def get(self, request):
        checks, failing = {}, []
        for name, check in (("database", _check_database), ("cache", _check_cache), ("broker", _check_broker)):
            try:
                checks[name] = check() or "ok"
            except Exception as exc:
                checks[name] = f"error: {exc.__class__.__name__}"
                failing.append(name)
        if failing:
            return Response({"status": "unavailable", "checks": checks, "failing": failing}, status=503)
        return Response({"status": "ok", "checks": checks})
