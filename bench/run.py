"""Benchmark of the shop on PostgreSQL and Redis under gunicorn.

For each catalog size: a fresh database is filled (`seed_demo --products N`), gunicorn serves
it, and a separate load-generator process (bench/load.py) drives each endpoint with
concurrent keep-alive clients, once with the catalog cache off and once with it on. Then 20
buyers check out in parallel (bench/checkout.py). Prints a table and the ratios the caching
and search work is judged by; writes bench/results/<timestamp>.json and, with --plot, a PNG.

    python bench/run.py --sizes 10000 100000            # the full run (a few minutes)
    python bench/run.py --sizes 2000 --duration 2 --quick   # the short run CI makes

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
SCENARIOS = ["health", "categories", "product_list", "category_filter", "search", "product_detail"]
SEARCH_TERMS = ["coffee", "blender", "lamp 12", "wireless", "teapot"]


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
    def __init__(self, env: dict, workers: int, port: int | None = None):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "ecommerce.wsgi",
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
                with urllib.request.urlopen(f"{self.base}/health/", timeout=2):
                    return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def scenario_paths(env: dict) -> dict[str, list[str]]:
    categories = [row[0] for row in sql(env, "SELECT id FROM categories_category ORDER BY id")]
    products = [
        row[0] for row in sql(env, "SELECT id FROM products_product WHERE is_active ORDER BY id DESC LIMIT 200")
    ]
    return {
        "health": ["/health/"],
        "categories": ["/api/categories/"],
        "product_list": ["/api/products/"],
        "category_filter": [f"/api/products/?category__id={c}" for c in categories],
        "search": [f"/api/products/?search={term.replace(' ', '+')}" for term in SEARCH_TERMS],
        "product_detail": [f"/api/products/{p}/" for p in products],
    }


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


def bench_size(size: int, args) -> dict:
    name = f"shop_bench_{size}"
    print(f"\n== {size} products: preparing database {name}", flush=True)
    recreate_database(args.database_url, name)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecommerce.settings.local",
        "DATABASE_URL": database_url(args.database_url, name),
        "REDIS_URL": args.redis_url,
        "THROTTLE_ANON": "1000000/min",
        "THROTTLE_USER": "1000000/min",
        "THROTTLE_REGISTER": "1000000/min",
        "THROTTLE_LOGIN": "1000000/min",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    for key in ("CELERY_BROKER_URL", "DEBUG"):
        env.pop(key, None)
    manage(env, "migrate", "--noinput", "-v0")
    started = time.monotonic()
    manage(env, "seed_demo", "--products", str(size), "--variants", str(args.variants))
    print(f"   seeded in {time.monotonic() - started:.1f}s", flush=True)
    if args.without_search_index:
        sql(env, "DROP INDEX product_title_trgm_idx; DROP INDEX product_description_trgm_idx; SELECT 1")
    paths = scenario_paths(env)
    result = {"size": size, "endpoints": {}}
    for mode, ttl in (("uncached", "0"), ("cached", "300")):
        server = Server({**env, "CATALOG_CACHE_SECONDS": ttl}, args.workers)
        try:
            for scenario in SCENARIOS:
                figures = load(
                    server.base,
                    paths[scenario],
                    concurrency=args.concurrency,
                    duration=args.duration,
                    warmup=mode == "cached",
                )
                result["endpoints"].setdefault(scenario, {})[mode] = figures
                print(
                    f"   {mode:8} {scenario:16} {figures['rps']:8.1f} req/s  p95 {figures['p95']:7.2f} ms"
                    f"  errors {figures['errors']}",
                    flush=True,
                )
            if mode == "cached":
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
                print(
                    f"   checkout with {args.buyers} buyers: {result['checkout']['orders_per_s']} orders/s", flush=True
                )
        finally:
            server.stop()
    return result


def table(results: list[dict]) -> str:
    lines = [
        f"{'size':>7} {'endpoint':16} {'mode':9} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'err':>5}"
    ]
    for result in results:
        for scenario in SCENARIOS:
            for mode in ("uncached", "cached"):
                f = result["endpoints"][scenario][mode]
                lines.append(
                    f"{result['size']:>7} {scenario:16} {mode:9} {f['rps']:>9.1f} {f['p50']:>8.2f} "
                    f"{f['p95']:>8.2f} {f['p99']:>8.2f} {f['errors']:>5}"
                )
        c = result["checkout"]
        lines.append(
            f"{result['size']:>7} {'checkout x20':16} {'-':9} {c['orders_per_s']:>9.1f} {c['p50']:>8.2f} "
            f"{c['p95']:>8.2f} {c['p99']:>8.2f} {sum(v for k, v in c.items() if k.startswith('status_')):>5}"
        )
    return "\n".join(lines)


def ratios(results: list[dict]) -> list[str]:
    lines = []
    for result in results:
        e = result["endpoints"]
        list_cached, list_uncached = e["product_list"]["cached"]["rps"], e["product_list"]["uncached"]["rps"]
        health = e["health"]["cached"]["rps"]
        lines.append(
            f"{result['size']} products: cached/uncached product list {list_cached / list_uncached:.1f}x "
            f"(target >= 10x); cached product list vs /health/ {list_cached / health:.2f} (target >= 0.5)"
        )
        for scenario in SCENARIOS[1:]:
            s = e[scenario]
            lines.append(f"    {scenario:16} cached/uncached {s['cached']['rps'] / s['uncached']['rps']:.1f}x")
    if len(results) > 1:
        small, large = results[0], results[-1]
        for scenario in ("product_list", "search", "category_filter"):
            a = small["endpoints"][scenario]["uncached"]["p95"]
            b = large["endpoints"][scenario]["uncached"]["p95"]
            lines.append(
                f"uncached {scenario} p95: {a:.2f} ms at {small['size']} -> {b:.2f} ms at {large['size']} "
                f"= {b / a:.2f}x (target <= 3x)"
            )
    return lines


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results), figsize=(6 * len(results), 4.5), squeeze=False)
    for ax, result in zip(axes[0], results, strict=True):
        names = SCENARIOS
        x = range(len(names))
        uncached = [result["endpoints"][n]["uncached"]["rps"] for n in names]
        cached = [result["endpoints"][n]["cached"]["rps"] for n in names]
        ax.bar([i - 0.2 for i in x], uncached, width=0.4, label="cache off")
        ax.bar([i + 0.2 for i in x], cached, width=0.4, label="cache on")
        ax.set_xticks(list(x), names, rotation=30, ha="right")
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
    parser.add_argument("--plot", type=Path, help="write a PNG chart here (needs matplotlib)")
    parser.add_argument("--quick", action="store_true", help="CI mode: fail on any error, skip nothing else")
    args = parser.parse_args()

    results = [bench_size(size, args) for size in args.sizes]
    print("\n" + table(results))
    print("\n" + "\n".join(ratios(results)))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"{stamp}.json").write_text(
        json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "results": results}, indent=2)
    )
    if args.plot:
        plot(results, args.plot)
        print(f"\nchart: {args.plot}")
    errors = sum(f["errors"] for r in results for s in r["endpoints"].values() for f in s.values())
    if args.quick and errors:
        sys.exit(f"{errors} requests failed")


if __name__ == "__main__":
    main()
