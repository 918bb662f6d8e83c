"""The back office at a thousand orders and at a million, in the same run.

Each size has a database of its own (`<prefix>_<orders>`: the demo catalog of 2,000 products in
three sizes, then `bulk_orders N`), made once and kept (`--fresh` makes it again). Then, in
alternating rounds (the small database, the large one, the small one, ...), a process of its own
for each measures the staff pages as a logged-in superuser sees them, each page `--repeat` times
after one unmeasured load, keeping the median:

- the dashboard (the admin's front page: the sales figures from the summary that `bulk_orders`
  counted last, as the periodic task keeps it, and the lists to act on read live);
- the order desk's first page (the admin order list);
- a desk search by a customer's phone, and by an order number;
- the stock ledger page of the busiest variant (one order in 20 buys it);
- the CSV export of last month's order lines (rows per second and the process's peak RSS,
  in a process of its own so that the peak is the export's).

Every answer is checked (status 200, the searched order or the rows expected). Prints the times,
the ratio largest/smallest and whether it holds (at most 2x, and under 300 ms; the export's rows
per second within 2x). `--explain` prints EXPLAIN (ANALYZE, BUFFERS) of each page's slowest
queries on each database, to find what grows with the orders.

    python -m bench.backoffice --orders 1000 1000000
    python -m bench.backoffice --orders 1000 100000 --rounds 3 --explain
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from bench.run import PYTHON, ROOT, database_exists, database_url, manage, recreate_database, shop_env, sql

PAGES = ["dashboard", "order_desk", "search_phone", "search_number", "stock_ledger"]
HOLD_RATIO, HOLD_MS = 2.0, 300


# --- inside the measuring process (Django set up on one database) ---------------------------


def _targets() -> dict:
    """What each page asks for on this database: found by reading it, not timed."""
    from django.utils import timezone

    from orders.models import Order
    from products.models import Variant

    newest = Order.objects.order_by("-created_at")[10]
    # bulk_orders sells the first variant on sale in one order in 20.
    busy = Variant.objects.filter(is_active=True, product__is_active=True).order_by("pk").first().pk
    first_of_this_month = timezone.localdate().replace(day=1)
    last_month = first_of_this_month - timedelta(days=1)
    return {
        "dashboard": "/admin/",
        "order_desk": "/admin/orders/order/",
        "search_phone": f"/admin/orders/order/?q={newest.shipping_address['phone']}",
        "search_number": f"/admin/orders/order/?q={newest.number}",
        "stock_ledger": f"/admin/products/stockmovement/?variant__id__exact={busy}",
        "export": f"/admin/orders/order/export/csv/?created_at__year={last_month.year}"
        f"&created_at__month={last_month.month}",
        "number": newest.number,
    }


def _client():
    from django.test import Client

    from users.models import User

    user, _ = User.objects.get_or_create(
        username="bench-staff", defaults={"email": "bench-staff@bench.test", "is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def _get(client, path: str, *, must_contain: str | None = None):
    response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"{path}: status {response.status_code}")
    if must_contain and must_contain.encode() not in response.content:
        sys.exit(f"{path}: the answer does not show {must_contain}")
    return response


def measure_pages(repeat: int, explain: bool) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    targets, client = _targets(), _client()
    checks = {"search_number": targets["number"], "search_phone": targets["number"]}
    out = {}
    for page in PAGES:
        times = []
        for n in range(repeat + 1):
            started = time.perf_counter()
            _get(client, targets[page], must_contain=checks.get(page))
            if n:  # the first load warms the worker's caches, as a running server's are
                times.append((time.perf_counter() - started) * 1000)
        out[page] = {"ms": round(statistics.median(times), 1), "path": targets[page]}
        if explain:
            with CaptureQueriesContext(connection) as captured:
                _get(client, targets[page])
            slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
            plans = []
            with connection.cursor() as cursor:
                for query in slowest:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    plans.append({"ms": float(query["time"]) * 1000, "sql": query["sql"], "plan": cursor.fetchall()})
            out[page]["queries"] = len(captured.captured_queries)
            out[page]["explain"] = [{**p, "plan": "\n".join(row[0] for row in p["plan"])} for p in plans]
    return out


def measure_export() -> dict:
    targets, client = _targets(), _client()
    _get(client, targets["order_desk"])  # the admin loaded, as in a running server
    started = time.perf_counter()
    response = client.get(targets["export"])
    if response.status_code != 200:
        sys.exit(f"export: status {response.status_code}")
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    rows = lines - 1  # the header
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "path": targets["export"],
    }


def measuring_process(what: str, repeat: int, explain: bool) -> None:
    import django
    from django.conf import settings
    from django.test.utils import override_settings

    django.setup()
    # The pages' static links without a collectstatic manifest (a server has one; the lookup
    # costs the same).
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain}
    override_settings(STORAGES=storages).enable()
    print(json.dumps(measure_export() if what == "export" else measure_pages(repeat, explain)))


# --- the driver -------------------------------------------------------------------------------


def prepare(args, orders: int) -> dict:
    name = f"{args.prefix}_{orders}"
    env = shop_env(database_url(args.database_url, name), args.redis_url)
    ready = database_exists(args.database_url, name) and not args.fresh
    if ready:
        ready = sql(env, "SELECT count(*) FROM orders_order")[0][0] == orders
    if not ready:
        print(f"== {orders:,} orders: making database {name}", flush=True)
        recreate_database(args.database_url, name)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo", "--products", "2000", "--variants", "3")
        started = time.monotonic()
        print(manage(env, "bulk_orders", str(orders)), end="")
        print(f"   {orders:,} orders loaded in {time.monotonic() - started:.0f}s", flush=True)
    return env


def run_measure(env: dict, what: str, args) -> dict:
    command = [PYTHON, "-m", "bench.backoffice", "--measure", what, "--repeat", str(args.repeat)]
    if args.explain and what == "pages":
        command.append("--explain")
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"measuring {what} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def table(results: dict[int, list[dict]]) -> tuple[str, bool]:
    """Each page's median time at each size, and the largest size's against the smallest."""
    sizes = sorted(results)
    small, large = sizes[0], sizes[-1]
    lines = [
        "| page | " + " | ".join(f"{size:,} orders" for size in sizes) + f" | {large:,} / {small:,}"
        f" | holds (≤ {HOLD_RATIO:g}×, < {HOLD_MS} ms) |",
        "|---" * (len(sizes) + 3) + "|",
    ]
    holds = True
    for page in PAGES:
        ms = [statistics.median(r["pages"][page]["ms"] for r in results[size]) for size in sizes]
        ok = ms[-1] <= HOLD_RATIO * ms[0] and ms[-1] < HOLD_MS
        holds &= ok
        cells = " | ".join(f"{value:.1f} ms" for value in ms)
        lines.append(f"| {page.replace('_', ' ')} | {cells} | {ms[-1] / ms[0]:.2f} | {'yes' if ok else 'NO'} |")
    cells, speeds = [], []
    for size in sizes:
        speed = statistics.median(r["export"]["rows_per_s"] for r in results[size])
        rss = max(r["export"]["peak_rss_mb"] for r in results[size])
        speeds.append(speed)
        cells.append(f"{speed:,.0f} rows/s ({results[size][0]['export']['rows']:,} rows, peak RSS {rss:.0f} MB)")
    ok = speeds[-1] * HOLD_RATIO >= speeds[0]
    holds &= ok
    lines.append(
        f"| CSV export, last month | {' | '.join(cells)} | {speeds[-1] / speeds[0]:.2f} | {'yes' if ok else 'NO'} |"
    )
    return "\n".join(lines), holds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, nargs="+", default=[1000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5, help="loads of each page in a round (median kept)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) each page's slowest queries")
    parser.add_argument("--fresh", action="store_true", help="make the databases again")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"))
    parser.add_argument("--prefix", default="shop_bench_orders", help="databases are named <prefix>_<orders>")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--measure", choices=["pages", "export"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measuring_process(args.measure, args.repeat, args.explain)
        return

    envs = {orders: prepare(args, orders) for orders in args.orders}
    results: dict[int, list[dict]] = {orders: [] for orders in args.orders}
    for n in range(args.rounds):
        for orders in args.orders if n % 2 == 0 else reversed(args.orders):
            figures = {what: run_measure(envs[orders], what, args) for what in ("pages", "export")}
            results[orders].append(figures)
            pages = "  ".join(f"{page} {figures['pages'][page]['ms']:.0f}" for page in PAGES)
            print(f"   round {n + 1}, {orders:,} orders: {pages}  export {figures['export']['rows_per_s']:,.0f} rows/s")
    if args.explain:
        for orders in args.orders:
            for page, figures in results[orders][-1]["pages"].items():
                print(f"\n=== {orders:,} orders, {page}: {figures['queries']} queries; the slowest:")
                for query in figures["explain"]:
                    print(f"--- {query['ms']:.1f} ms: {query['sql'][:600]}\n{query['plan']}")
    text, holds = table(results)
    print("\n" + text)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print("\nholds" if holds else "\ndoes NOT hold")


if __name__ == "__main__":
    main()
