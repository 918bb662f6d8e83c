"""Run callables at the same moment on real, separate database connections."""

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.db import connection, connections, transaction

T = TypeVar("T")


def run_concurrently(calls: list[Callable[[], object]], timeout: float = 120) -> list[object]:
    """Start every call in its own thread, released together by a barrier; return their results
    (or the exception each raised) in order. Each thread has its own database connection,
    closed when it is done."""
    barrier = threading.Barrier(len(calls))

    def together(call):
        def run():
            barrier.wait(timeout=timeout)
            return call()

        return run

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(_on_own_connection, together(call)) for call in calls]
        return [future.result(timeout=timeout) for future in futures]


def race_under_lock(
    *, lock: Callable[[], object], other: Callable[[], T], change: Callable[[], object] | None = None, timeout=30
) -> T | Exception:
    """Make a race come out one way for certain, not just sometimes. In a transaction on this
    thread's connection, `lock` takes row locks (or writes a unique value); `other` starts on
    another connection, and only once it has finished or waits for those locks does `change`
    run and the transaction commit.

    Used for lost updates (`other` read the rows before `change` and saves them after: it
    writes stale values back) and for unique races (`other` passed its own checks and is
    inserting the value `lock` took). Returns what `other` returned or raised."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        with transaction.atomic():
            lock()
            future = pool.submit(_on_own_connection, other)
            deadline = time.monotonic() + timeout
            while not future.done() and not _someone_waits_for_a_lock():
                if time.monotonic() > deadline:
                    raise AssertionError("the other writer neither finished nor waited for the lock")
                time.sleep(0.01)
            if change is not None:
                change()
        return future.result(timeout=timeout)


def _on_own_connection(call: Callable[[], T]) -> T | Exception:
    try:
        return call()
    except Exception as exc:
        return exc
    finally:
        connections.close_all()


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing its first look at pg_stat_activity.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            " AND datname = current_database() AND pid <> pg_backend_pid())"
        )
        return cursor.fetchone()[0]
