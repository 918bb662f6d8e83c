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


def lose_the_race(*, winner: Callable[[], object], loser: Callable[[], T], timeout: float = 30) -> T:
    """Make `loser` lose a race for a unique value for certain, not just sometimes: `winner`
    writes in a transaction on this thread's connection; `loser` starts in another thread, on
    another connection, and the winner commits only once the loser waits for its row lock (it
    passed its own checks and is inserting). Returns what `loser` returned or raised."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        with transaction.atomic():
            winner()
            future = pool.submit(_on_own_connection, loser)
            deadline = time.monotonic() + timeout
            while not future.done() and not _someone_waits_for_a_lock():
                if time.monotonic() > deadline:
                    raise AssertionError("the second writer never waited for the first one's lock")
                time.sleep(0.01)
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
