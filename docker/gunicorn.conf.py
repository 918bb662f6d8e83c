"""gunicorn settings for the container (`gunicorn ecommerce.wsgi -c docker/gunicorn.conf.py`)."""

import multiprocessing
import os

# /metrics sums every worker's samples (prometheus_client's multiprocess mode): each process
# writes its own files here. Set before the app is imported by any worker.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", "/tmp/shop-metrics")

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# nginx in front sets X-Forwarded-For/Proto; only the compose network can reach us.
forwarded_allow_ips = "*"
accesslog = "-"
access_log_format = (
    '{"time": "%(t)s", "request_id": "%({x-request-id}o)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": %(B)s, "duration_ms": %(M)s, "remote": "%(h)s", '
    # nginx replaces X-Forwarded-For with the address it saw, so this is the real client.
    '"client": "%({x-forwarded-for}i)s"}'
)


def child_exit(server, worker):
    """A worker's live gauges leave with it; its counters stay in the sums."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
