"""Where one request's time goes: its SQL with EXPLAIN (ANALYZE, BUFFERS), its Redis commands,
and cProfile over `--requests` of it, in one process (Django's test client, no network), with
the settings the benchmark serves (bench.settings; the catalog cache off unless
CATALOG_CACHE_SECONDS says otherwise).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shop_bench_10000 REDIS_URL=redis://127.0.0.1:6379/3 \\
        python -m bench.profile /api/products/
"""

import argparse
import cProfile
import io
import os
import pstats
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", default="/api/products/")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--lines", type=int, default=40, help="profile lines to print, by each ordering")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("CATALOG_CACHE_SECONDS", "0")
    for scope in ("ANON", "USER"):
        os.environ.setdefault(f"THROTTLE_{scope}", "100000/s")

    import django

    django.setup()
    import redis.client
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_ACCEPT="application/json", HTTP_HOST="127.0.0.1")
    for _ in range(5):
        response = client.get(args.path)
    print(f"{args.path}: status {response.status_code}, {len(response.content):,} bytes")
    started = time.perf_counter()
    for _ in range(args.requests):
        client.get(args.path)
    print(f"{1000 * (time.perf_counter() - started) / args.requests:.2f} ms a request, unprofiled")

    commands = []
    execute = redis.client.Redis.execute_command

    def recorded(self, *command, **options):
        commands.append(command[0] if command else "?")
        return execute(self, *command, **options)

    redis.client.Redis.execute_command = recorded
    with CaptureQueriesContext(connection) as queries:
        client.get(args.path)
    redis.client.Redis.execute_command = execute
    print(f"Redis commands: {commands}")
    print(f"{len(queries.captured_queries)} queries:")
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            print(f"--- {float(query['time']) * 1000:.1f} ms: {query['sql'][:400]}")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(args.path)
    profile.disable()
    out = io.StringIO()
    for order in ("cumulative", "tottime"):
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.lines)
    print(out.getvalue())


if __name__ == "__main__":
    main()
