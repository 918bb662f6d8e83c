"""Run callables at the same moment on real, separate database connections."""

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, connections, transaction


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


def race_under_lock(
    *, lock: Callable[[], object], change: Callable[[], object], other: Callable[[], object], timeout: float = 30
) -> object:
    """Give a lost update every chance to happen: one connection takes row locks (`lock`, in a
    transaction) and holds them until `other`, on a second connection, has either finished or is
    blocked waiting for those locks; then it makes its `change` and commits. A write path that
    read the rows before the change and saves them afterwards writes stale values back over it.
    Returns what `other` returned (or raised)."""
    locked, other_done = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def holder():
        try:
            with transaction.atomic():
                lock()
                locked.set()
                deadline = time.monotonic() + timeout
                while not other_done.is_set() and time.monotonic() < deadline:
                    with connection.cursor() as cursor:
                        # Statistics are a snapshot per transaction: take a fresh one each time.
                        cursor.execute("SELECT pg_stat_clear_snapshot()")
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity"
                            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                        )
                        if cursor.fetchone()[0]:
                            break
                    time.sleep(0.02)
                change()
        finally:
            locked.set()
            connections.close_all()

    def contender():
        try:
            locked.wait(timeout)
            outcome["result"] = other()
        except Exception as exc:
            outcome["result"] = exc
        finally:
            other_done.set()
            connections.close_all()

    threads = [threading.Thread(target=holder), threading.Thread(target=contender)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout * 2)
    return outcome.get("result")
