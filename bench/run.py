"""Benchmark of the shop on PostgreSQL and Redis under gunicorn.

For each catalog size: a fresh database is filled (`seed_demo --products N`), gunicorn serves
it, and a separate load-generator process (bench/load.py) drives each endpoint with
concurrent keep-alive clients, once with the catalog cache off and once with it on. Then 20
buyers check out in parallel (bench/checkout.py). Prints a table and the ratios the caching
and search work is judged by; writes bench/results/<timestamp>.json and, with --plot, a PNG.

    python bench/run.py --sizes 10000 100000            # the full run (a few minutes)
    python bench/run.py --sizes 2000 --duration 2 --quick   # the short run CI makes
    python bench/run.py --sizes 2000 --duration 15 --checkout-only --reuse   # checkout alone

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres
as the maintenance database) and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/3).
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# The catalog, measured with the cache off and on, and (cache off) against the plain DRF reference.
CATALOG = ["categories", "product_list", "category_filter", "search", "search_common", "product_detail", "deep_page"]
# Infinite scrolling: the first cursor page and one 4,000 pages deep (or as deep as the catalog).
CURSOR = ["cursor_first", "cursor_deep"]
# The request path: the shop's /health/ against a bare Django view on the same server.
REQUEST_PATH = ["health", "bare"]
SCENARIOS = REQUEST_PATH + CATALOG + CURSOR
SEARCH_TERMS = ["coffee", "blender", "lamp 12", "wireless", "teapot"]
# A term spread evenly over the generated catalog: "1" is in the number of 41% of its products
# (every word of the generated titles is in 10% at most, and any letter in all of them).
COMMON_TERM = "1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(maintenance_url: str, name: str) -> str:
    parts = urlsplit(maintenance_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(maintenance_url: str, name: str) -> None:
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def sql(env: dict, query: str) -> list:
    with psycopg.connect(env["DATABASE_URL"]) as connection:
        return connection.execute(query).fetchall()


def set_stock(env: dict, variant_ids: list[int], units: int) -> None:
    """Bring variants to `units` the way staff do, by counted adjustments in the stock ledger."""
    manage(
        env,
        "shell",
        "-c",
        "from products.models import Variant\nfrom products.services import stock_adjust\n"
        f"for v in Variant.objects.filter(pk__in={list(variant_ids)}):\n"
        f"    v.stock != {units} and stock_adjust(variant_id=v.pk, delta={units} - v.stock, reason='count')",
    )


class Server:
    """gunicorn serving `app` (the shop by default) on a free loopback port, ready when `health` answers."""

    def __init__(
        self,
        env: dict,
        workers: int,
        port: int | None = None,
        *,
        python: str = PYTHON,
        app: str = "ecommerce.wsgi",
        health: str = "/health/",
    ):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                app,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}{health}", timeout=2):
                    return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"gunicorn {app} did not start") from None
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def deep_cursor(env: dict, depth: int) -> str | None:
    """The `cursor=` value of the page `depth` pages into the default ordering, made the way the
    shop makes its links (None when this version of the shop has no cursor pages)."""
    code = (
        "from django.core import signing\n"
        "from ecommerce.common.pagination import KeysetCursorPagination as K\n"
        "from products.models import Product\n"
        f"p = Product.objects.filter(is_active=True).order_by('-created_at', '-pk')[{depth * 20 - 1}]\n"
        "v = [Product._meta.get_field('created_at').value_to_string(p), str(p.pk)]\n"
        "print(signing.dumps({'f': 'created_at', 'd': True, 'v': v, 'b': False}, salt=K.salt))"
    )
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return result.stdout.strip().splitlines()[-1] if result.returncode == 0 else None


def scenario_paths(env: dict, size: int) -> dict[str, list[str]]:
    categories = [row[0] for row in sql(env, "SELECT id FROM categories_category ORDER BY id")]
    products = [
        row[0] for row in sql(env, "SELECT id FROM products_product WHERE is_active ORDER BY id DESC LIMIT 200")
    ]
    active = sql(env, "SELECT count(*) FROM products_product WHERE is_active")[0][0]
    deep = min(500, active // 20)
    paths = {
        "health": ["/health/"],
        "bare": ["/bench/bare/"],
        "categories": ["/api/categories/"],
        "product_list": ["/api/products/"],
        "category_filter": [f"/api/products/?category__id={c}" for c in categories],
        "search": [f"/api/products/?search={term.replace(' ', '+')}" for term in SEARCH_TERMS],
        "search_common": [f"/api/products/?search={COMMON_TERM.replace(' ', '+')}"],
        "product_detail": [f"/api/products/{p}/" for p in products],
        "deep_page": [f"/api/products/?page={deep}"],
    }
    cursor = deep_cursor(env, min(4000, active // 20 - 1))
    if cursor:
        paths["cursor_first"] = ["/api/products/?cursor="]
        paths["cursor_deep"] = [f"/api/products/?cursor={cursor}"]
    return paths


def reference_paths(paths: dict[str, list[str]]) -> dict[str, list[str]]:
    """The same catalog requests to the plain DRF reference."""
    return {name: [p.replace("/api/", "/bench/ref/", 1) for p in paths[name]] for name in CATALOG}


def load(base: str, paths: list[str], *, concurrency: int, duration: float, warmup: bool) -> dict:
    command = [
        PYTHON,
        "-m",
        "bench.load",
        "--base",
        base,
        "--concurrency",
        str(concurrency),
        "--duration",
        str(duration),
    ]
    for path in paths:
        command += ["--path", path]
    if warmup:
        command.append("--warmup")
    return json.loads(subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout)


def checkout(base: str, variants: list[int], *, buyers: int, duration: float) -> dict:
    command = [PYTHON, "-m", "bench.checkout", "--base", base, "--buyers", str(buyers), "--duration", str(duration)]
    for variant in variants:
        command += ["--variant", str(variant)]
    return json.loads(subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout)


def database_exists(maintenance_url: str, name: str) -> bool:
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def shop_env(url: str, redis_url: str) -> dict:
    """The environment the shop is benchmarked in: its database and Redis, production-like."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        # Throttles on, at rates the load never reaches. Per second, not per minute: DRF keeps
        # each client's request times for the throttle's period, and the load comes from one
        # address, so a minute of it would be a list of tens of thousands of times read and
        # written on every request (a real client's list holds at most its rate, 120 or 600).
        **{f"THROTTLE_{scope}": "100000/s" for scope in ("ANON", "USER", "REGISTER", "LOGIN")},
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    for key in ("CELERY_BROKER_URL", "DEBUG"):
        env.pop(key, None)
    return env


def bench_size(size: int, args) -> dict:
    name = f"{args.prefix}_{size}"
    reuse = args.reuse and database_exists(args.database_url, name)
    print(f"\n== {size} products: {'reusing' if reuse else 'preparing'} database {name}", flush=True)
    if not reuse:
        recreate_database(args.database_url, name)
    env = shop_env(database_url(args.database_url, name), args.redis_url)
    manage(env, "migrate", "--noinput", "-v0")
    started = time.monotonic()
    manage(env, "seed_demo", "--products", str(size), "--variants", str(args.variants))
    print(f"   seeded in {time.monotonic() - started:.1f}s", flush=True)
    if args.without_search_index:
        sql(env, "DROP INDEX product_search_text_trgm_idx; SELECT 1")
    if args.replica_urls:
        env["DATABASE_REPLICA_URLS"] = args.replica_urls
    paths = scenario_paths(env, size)
    result = {"size": size, "endpoints": {}}

    def record(scenario: str, mode: str, figures: dict) -> None:
        result["endpoints"].setdefault(scenario, {})[mode] = figures
        print(
            f"   {mode:8} {scenario:16} {figures['rps']:8.1f} req/s  p95 {figures['p95']:7.2f} ms"
            f"  errors {figures['errors']}",
            flush=True,
        )

    def measure(server: Server, scenario_paths: list[str], *, warmup: bool) -> dict:
        return load(server.base, scenario_paths, concurrency=args.concurrency, duration=args.duration, warmup=warmup)

    def in_turns(server: Server, runs: list[tuple[str, str, list[str]]], *, warmup: bool) -> None:
        """Measure each (mode, scenario, paths) in turn, `--rounds` times over, so that a busy
        moment of the machine falls on all of them; each keeps its median round."""
        rounds = {(mode, scenario): [] for mode, scenario, _ in runs}
        for _ in range(args.rounds):
            for mode, scenario, scenario_paths in runs:
                rounds[mode, scenario].append(measure(server, scenario_paths, warmup=warmup))
        for (mode, scenario), figures in rounds.items():
            record(scenario, mode, sorted(figures, key=lambda f: f["rps"])[len(figures) // 2])

    if not args.checkout_only:
        # Cache off: the shop and the plain DRF reference, served by the same gunicorn, in turns.
        reference = reference_paths(paths)
        server = Server({**env, "CATALOG_CACHE_SECONDS": "0"}, args.workers)
        try:
            for scenario in (name for name in paths if name not in REQUEST_PATH):
                runs = [("uncached", scenario, paths[scenario])]
                if scenario in reference:
                    runs.append(("reference", scenario, reference[scenario]))
                in_turns(server, runs, warmup=False)
        finally:
            server.stop()

    server = Server({**env, "CATALOG_CACHE_SECONDS": "300"}, args.workers)
    try:
        if not args.checkout_only:
            # /health/ and the bare Django view in turns too; then the cached catalog.
            in_turns(server, [("cached", scenario, paths[scenario]) for scenario in REQUEST_PATH], warmup=True)
            for scenario in (name for name in paths if name not in REQUEST_PATH):
                record(scenario, "cached", measure(server, paths[scenario], warmup=True))
        stocked = [
            row[0]
            for row in sql(
                env,
                "SELECT v.id FROM products_variant v JOIN products_product p ON p.id = v.product_id "
                "WHERE p.is_active AND v.is_active ORDER BY v.id LIMIT 50",
            )
        ]
        set_stock(env, stocked, 1_000_000)
        result["checkout"] = checkout(server.base, stocked, buyers=args.buyers, duration=args.duration)
        result["checkout"]["buyers"] = args.buyers
        print(f"   checkout with {args.buyers} buyers: {result['checkout']['orders_per_s']} orders/s", flush=True)
    finally:
        server.stop()
    return result


def table(results: list[dict]) -> str:
    lines = [
        f"{'size':>7} {'endpoint':16} {'mode':9} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'err':>5}"
    ]
    for result in results:
        for scenario, modes in result["endpoints"].items():
            for mode, f in modes.items():
                lines.append(
                    f"{result['size']:>7} {scenario:16} {mode:9} {f['rps']:>9.1f} {f['p50']:>8.2f} "
                    f"{f['p95']:>8.2f} {f['p99']:>8.2f} {f['errors']:>5}"
                )
        c = result["checkout"]
        lines.append(
            f"{result['size']:>7} {'checkout x' + str(c['buyers']):16} {'-':9} {c['orders_per_s']:>9.1f} "
            f"{c['p50']:>8.2f} {c['p95']:>8.2f} {c['p99']:>8.2f} {checkout_errors(c):>5}"
        )
    return "\n".join(lines)


def checkout_errors(c: dict) -> int:
    return sum(v for k, v in c.items() if k.startswith("status_"))


def goals(results: list[dict]) -> list[str]:
    """The figures the scale-out work is judged by, each with its target."""
    lines = []

    def rps(result, scenario, mode):
        return result["endpoints"].get(scenario, {}).get(mode, {}).get("rps")

    for result in results:
        e, size = result["endpoints"], result["size"]
        lines.append(f"{size} products:")
        for scenario in CATALOG:
            ours, ref = rps(result, scenario, "uncached"), rps(result, scenario, "reference")
            if ours and ref:
                lines.append(f"    uncached {scenario:16} {ours / ref:5.2f}x the plain DRF reference (target >= 1.0)")
        bare = rps(result, "bare", "cached")
        for scenario, label in (("health", "/health/"), ("product_list", "cached product list")):
            ours = rps(result, scenario, "cached")
            if ours and bare:
                lines.append(f"    {label:25} {ours / bare:5.2f}x a bare Django view (target >= 0.9)")
        if "search_common" in e:
            common = e["search_common"]["uncached"]
            lines.append(
                f"    search '{COMMON_TERM}' uncached {common['rps']:.1f} req/s, p95 {common['p95']:.1f} ms"
                " (target >= 100 req/s, p95 < 100 ms at 100k)"
            )
            lines.append(
                f"    categories uncached {e['categories']['uncached']['rps']:.1f} req/s (target >= 370 at 100k)"
            )
        if "cursor_deep" in e:
            first, deep = e["cursor_first"]["uncached"], e["cursor_deep"]["uncached"]
            lines.append(f"    cursor page deep vs first: {first['rps'] / deep['rps']:.2f}x the time (target <= 1.2)")
        c = result["checkout"]
        lines.append(
            f"    checkout {c['orders_per_s']} orders/s, p99 {c['p99']} ms, errors {checkout_errors(c)}"
            " (target >= 100, p99 < 500 ms, 0 errors)"
        )
    return lines


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results), figsize=(7 * len(results), 4.8), squeeze=False)
    for ax, result in zip(axes[0], results, strict=True):
        names = [n for n in SCENARIOS if n in result["endpoints"]]
        x = range(len(names))
        for offset, mode, label in (
            (-0.27, "reference", "plain DRF"),
            (0, "uncached", "cache off"),
            (0.27, "cached", "cache on"),
        ):
            values = [result["endpoints"][n].get(mode, {}).get("rps", 0) for n in names]
            ax.bar([i + offset for i in x], values, width=0.27, label=label)
        ax.set_xticks(list(x), names, rotation=35, ha="right")
        ax.set_ylabel("requests/s")
        ax.set_title(f"{result['size']:,} products · checkout {result['checkout']['orders_per_s']} orders/s")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--duration", type=float, default=10, help="seconds per measurement")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--buyers", type=int, default=20)
    parser.add_argument("--variants", type=int, default=3, help="sizes each generated product is sold in")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"))
    parser.add_argument("--without-search-index", action="store_true", help="drop the trigram indexes (a 'before')")
    parser.add_argument("--prefix", default="shop_bench", help="databases are named <prefix>_<size>")
    parser.add_argument("--reuse", action="store_true", help="keep a database a previous run seeded")
    parser.add_argument("--replica-urls", help="DATABASE_REPLICA_URLS for the server under test")
    parser.add_argument("--plot", type=Path, help="write a PNG chart here (needs matplotlib)")
    parser.add_argument("--quick", action="store_true", help="CI mode: fail on any error, skip nothing else")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--checkout-only", action="store_true", help="measure the checkout alone")
    parser.add_argument(
        "--rounds", type=int, default=1, help="cache-off rounds, shop and reference in turn; medians are kept"
    )
    args = parser.parse_args()

    results = [bench_size(size, args) for size in args.sizes]
    print("\n" + table(results))
    print("\n" + "\n".join(goals(results)))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    document = json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "results": results}, indent=2)
    (out / f"{stamp}.json").write_text(document)
    if args.json:
        args.json.write_text(document)
    if args.plot:
        plot(results, args.plot)
        print(f"\nchart: {args.plot}")
    errors = sum(f["errors"] for r in results for s in r["endpoints"].values() for f in s.values())
    if args.quick and errors:
        sys.exit(f"{errors} requests failed")


if __name__ == "__main__":
    main()
