"""Run callables at the same moment on real, separate database connections."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connections


def run_concurrently(calls: list[Callable[[], object]], timeout: float = 120) -> list[object]:
    """Start every call in its own thread, released together by a barrier; return their results
    (or the exception each raised) in order. Each thread has its own database connection,
    closed when it is done."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait(timeout=timeout)
            return call()
        except Exception as exc:
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [future.result(timeout=timeout) for future in futures]
