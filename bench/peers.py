"""The shop against the peer a Django team would pick instead: django-oscar with django-oscar-api.

For each catalog size: the shop's database is seeded (`seed_demo --products N`, one variant a
product), the same catalog (ids, titles, descriptions, creation times, prices, stock,
categories) is copied into a minimal oscar shop (bench/oscarsite, oscar's documented setup, in
a PostgreSQL database of its own, migrated by oscar), and both are served by gunicorn with the
same number of workers on loopback, sharing PostgreSQL and Redis. Each scenario is measured on
both in alternating rounds (who goes first alternates too), with the same keep-alive clients.

Every answer is checked: before a scenario is measured, one answer to each of its paths is
parsed and compared with the database (status, `count`, the ids of the page, in order for the
shop, as a set for oscar whose list orders by creation time alone); during the load every
answer must be 200 with that same body. Any failed check fails the run.

    python -m bench.peers --sizes 10000 100000 --duration 5 --rounds 3
    python -m bench.peers --smoke          # CI: 2,000 products, 2 s, one round; proves it works

oscar and oscar-api (bench/oscar-requirements.txt, pinned) are installed on first use into a
virtualenv of their own, .cache/bench-oscar-venv, never into the shop's.
"""

import argparse
import hashlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

import psycopg
import redis

from bench.run import (
    COMMON_TERM,
    PYTHON,
    ROOT,
    Server,
    database_url,
    manage,
    recreate_database,
    set_stock,
    shop_env,
    sql,
)

VENV = ROOT / ".cache" / "bench-oscar-venv"
REQUIREMENTS = ROOT / "bench" / "oscar-requirements.txt"
OSCAR_PASSWORD = "Bench-Pass-2026"
# (name, label, the shop's server): the table's rows, in the order docs/scaling.md lists them.
SCENARIOS = [
    ("product_list", "product list, ours uncached", "uncached"),
    ("deep_page", "deep page, ours uncached", "uncached"),
    ("category_filter", "category filter, ours uncached", "uncached"),
    ("product_detail", "product detail, ours uncached", "uncached"),
    ("product_list_cached", "product list, ours cached", "cached"),
]


def oscar_python() -> str:
    """The oscar virtualenv's interpreter, (re)installed when the pins changed."""
    python = VENV / "bin" / "python"
    marker = VENV / "requirements.sha256"
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if not python.exists() or not marker.exists() or marker.read_text() != digest:
        print(f"== installing django-oscar and django-oscar-api into {VENV.relative_to(ROOT)}", flush=True)
        subprocess.run([PYTHON, "-m", "venv", "--clear", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
            check=True,
        )
        marker.write_text(digest)
    return str(python)


def oscar_env(url: str, redis_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VIRTUAL_ENV"))}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "bench.oscarsite.settings",
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "PYTHONPATH": str(ROOT),
    }


def oscar_run(python: str, env: dict, *args: str) -> str:
    result = subprocess.run([python, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"oscar: {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def export_catalog(env: dict, buyers: list[str]) -> dict:
    """The shop's active catalog as the oscar loader reads it (bench/oscarsite/load.py)."""
    products = sql(
        env,
        "SELECT DISTINCT ON (p.id) p.id, p.title, p.description, p.price::text, p.stock, p.category_id,"
        " p.created_at, v.sku FROM products_product p JOIN products_variant v ON v.product_id = p.id"
        " WHERE p.is_active AND v.is_active ORDER BY p.id, v.id",
    )
    used = {row[5] for row in products}
    categories = sql(env, "SELECT id, name, slug, description FROM categories_category ORDER BY id")
    return {
        "categories": [
            {"id": c[0], "name": c[1], "slug": c[2], "description": c[3]} for c in categories if c[0] in used
        ],
        "products": [
            {
                "id": p[0],
                "title": p[1],
                "description": p[2],
                "price": p[3],
                "stock": p[4],
                "category_id": p[5],
                "created_at": p[6].isoformat(),
                "sku": p[7],
            }
            for p in products
        ],
        "buyers": buyers,
        "password": OSCAR_PASSWORD,
    }


def newest(
    env: dict, *, category: int | None = None, search: str | None = None, offset: int = 0, limit: int = 20
) -> list[int]:
    where = "p.is_active" + (" AND p.category_id = %s" if category else "")
    where += " AND p.search_text LIKE %s" if search else ""
    params = [category] if category else []
    params += [f"%{search}%"] if search else []
    with psycopg.connect(env["DATABASE_URL"]) as connection:
        rows = connection.execute(
            f"SELECT p.id FROM products_product p WHERE {where} ORDER BY p.created_at DESC, p.id DESC"
            f" OFFSET {offset} LIMIT {limit}",
            params,
        ).fetchall()
    return [row[0] for row in rows]


def scenarios(env: dict, categories: dict[int, int]) -> dict[str, dict]:
    """{scenario: {"shop": [(path, truth)], "oscar": [(path, truth)]}}; a truth is what the
    answer must say: ("page", count, ids) or ("detail", id)."""
    active = sql(env, "SELECT count(*) FROM products_product WHERE is_active")[0][0]
    deep = min(500, max(1, active // 20))
    first = ("page", active, newest(env))
    out = {
        "product_list": {"shop": [("/api/products/", first)], "oscar": [("/api/products/", first)]},
        "deep_page": {
            side: [(f"/api/products/?page={deep}", ("page", active, newest(env, offset=(deep - 1) * 20)))]
            for side in ("shop", "oscar")
        },
        "category_filter": {"shop": [], "oscar": []},
        "product_detail": {"shop": [], "oscar": []},
    }
    counts = dict(sql(env, "SELECT category_id, count(*) FROM products_product WHERE is_active GROUP BY 1"))
    for ours, theirs in sorted(categories.items()):
        truth = ("page", counts[ours], newest(env, category=ours))
        out["category_filter"]["shop"].append((f"/api/products/?category__id={ours}", truth))
        out["category_filter"]["oscar"].append((f"/api/products/?category={theirs}", truth))
    for product in newest(env, limit=200):
        for side in ("shop", "oscar"):
            out["product_detail"][side].append((f"/api/products/{product}/", ("detail", product)))
    out["product_list_cached"] = out["product_list"]
    # The shop alone (oscar-api's list has no search): its common-word search, uncached.
    matches = sql(env, f"SELECT count(*) FROM products_product WHERE is_active AND search_text LIKE '%{COMMON_TERM}%'")
    truth = ("page", matches[0][0], newest(env, search=COMMON_TERM))
    out["common_search"] = {"shop": [(f"/api/products/?search={COMMON_TERM}", truth)]}
    return out


def check(base: str, side: str, paths: list[tuple[str, tuple]]) -> tuple[dict[str, str], int]:
    """Fetch each path once, compare the answer with its truth; {path: sha256 of the body}, and
    the mean answer size in bytes. Exits on the first wrong answer."""
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    digests, sizes = {}, []
    for path, truth in paths:
        connection.request("GET", path, headers={"Accept": "application/json"})
        response = connection.getresponse()
        body = response.read()
        problem = None
        if response.status != 200:
            problem = f"status {response.status}"
        else:
            answer = json.loads(body)
            if truth[0] == "detail":
                if answer.get("id") != truth[1]:
                    problem = f"id {answer.get('id')}, expected {truth[1]}"
            else:
                ids = [item["id"] for item in answer["results"]]
                if answer["count"] != truth[1]:
                    problem = f"count {answer['count']}, expected {truth[1]}"
                elif (ids if side == "shop" else sorted(ids)) != (truth[2] if side == "shop" else sorted(truth[2])):
                    problem = f"ids {ids}, expected {truth[2]}"
        if problem:
            sys.exit(f"{side} {path}: wrong answer: {problem}")
        digests[path] = hashlib.sha256(body).hexdigest()
        sizes.append(len(body))
    connection.close()
    return digests, round(statistics.mean(sizes))


def load(base: str, paths: list[str], expect: dict[str, str], *, concurrency: int, duration: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(expect, file)
    command = [PYTHON, "-m", "bench.load", "--base", base, "--concurrency", str(concurrency)]
    command += ["--duration", str(duration), "--expect", file.name]
    for path in paths:
        command += ["--path", path]
    try:
        return json.loads(subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    finally:
        os.unlink(file.name)


def checkout(base: str, peer: str, products: list[int], buyers: list[str], args) -> dict:
    command = [PYTHON, "-m", "bench.checkout", "--base", base, "--peer", peer, "--buyers", str(args.buyers)]
    command += ["--duration", str(args.duration), "--warm"]
    for product in products:
        command += ["--variant", str(product)]
    for name in buyers:
        command += ["--account", name]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"{peer} checkout failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def bench_size(size: int, args, python: str) -> dict:
    shop_db, oscar_db = f"{args.prefix}_{size}", f"{args.prefix}_oscar_{size}"
    print(f"\n== {size} products: databases {shop_db} and {oscar_db}", flush=True)
    redis.Redis.from_url(args.redis_url).flushdb()  # nothing cached from an earlier run
    recreate_database(args.database_url, shop_db)
    env = shop_env(database_url(args.database_url, shop_db), args.redis_url)
    manage(env, "migrate", "--noinput", "-v0")
    started = time.monotonic()
    manage(env, "seed_demo", "--products", str(size), "--variants", "1")
    print(f"   shop seeded in {time.monotonic() - started:.1f}s", flush=True)

    started = time.monotonic()
    recreate_database(args.database_url, oscar_db)
    oenv = oscar_env(database_url(args.database_url, oscar_db), args.redis_url)
    oscar_run(python, oenv, "-m", "django", "migrate", "--noinput", "-v0")
    buyers = [f"buyer{n:03d}" for n in range(args.buyers)]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(export_catalog(env, buyers), file)
    try:
        loaded = json.loads(oscar_run(python, oenv, "-m", "bench.oscarsite.load", file.name))
    finally:
        os.unlink(file.name)
    categories = {int(k): v for k, v in loaded["categories"].items()}
    print(f"   oscar migrated and loaded in {time.monotonic() - started:.1f}s", flush=True)
    ties = sql(env, "SELECT count(*) - count(DISTINCT created_at) FROM products_product WHERE is_active")[0][0]

    paths = scenarios(env, categories)
    # Checkout buys 50 generated products (one variant each on both sides), restocked after
    # the catalog is measured, so that its answers stay the same while they are checked.
    stocked = [
        row[0] for row in sql(env, "SELECT id FROM products_product WHERE slug LIKE 'catalog-%' ORDER BY id LIMIT 50")
    ]
    variants = [
        row[0] for row in sql(env, f"SELECT id FROM products_variant WHERE product_id IN ({str(stocked)[1:-1]})")
    ]
    servers = {}
    try:
        servers["uncached"] = Server({**env, "CATALOG_CACHE_SECONDS": "0"}, args.workers)
        servers["cached"] = Server({**env, "CATALOG_CACHE_SECONDS": "300"}, args.workers)
        servers["oscar"] = Server(
            oenv, args.workers, python=python, app="bench.oscarsite.wsgi", health="/api/products/?page=1"
        )
        result = {"size": size, "created_at_ties": ties, "scenarios": {}}
        for name, _, mode in SCENARIOS:
            sides = {"shop": servers[mode], "oscar": servers["oscar"]}
            expect, sizes = {}, {}
            for side, server in sides.items():
                expect[side], sizes[side] = check(server.base, side, paths[name][side])
            rounds = []
            for n in range(args.rounds):
                figures = {}
                for side in ("shop", "oscar") if n % 2 == 0 else ("oscar", "shop"):
                    figures[side] = load(
                        sides[side].base,
                        [path for path, _ in paths[name][side]],
                        expect[side],
                        concurrency=args.concurrency,
                        duration=args.duration,
                    )
                rounds.append(figures)
            result["scenarios"][name] = {"rounds": rounds, "bytes": sizes}
            print(f"   {name:20} " + "  ".join(round_line(r) for r in rounds), flush=True)

        searches = paths["common_search"]["shop"]
        expect, size = check(servers["uncached"].base, "shop", searches)
        share = searches[0][1][1] / max(1, sql(env, "SELECT count(*) FROM products_product WHERE is_active")[0][0])
        rounds = [
            load(
                servers["uncached"].base,
                [path for path, _ in searches],
                expect,
                concurrency=args.concurrency,
                duration=args.duration,
            )
            for _ in range(args.rounds)
        ]
        result["common_search"] = {"rounds": rounds, "share": share, "bytes": size}
        print("   common_search        p95 " + " / ".join(f"{r['p95']:.0f}" for r in rounds) + " ms", flush=True)

        set_stock(env, variants, 1_000_000)
        with psycopg.connect(oenv["DATABASE_URL"]) as connection:
            connection.execute(
                "UPDATE partner_stockrecord SET num_in_stock = 1000000 WHERE product_id = ANY(%s)", [stocked]
            )
        rounds = []
        for n in range(args.rounds):
            figures = {}
            for side in ("shop", "oscar") if n % 2 == 0 else ("oscar", "shop"):
                if side == "shop":
                    figures[side] = checkout(servers["cached"].base, "shop", variants, [], args)
                else:
                    figures[side] = checkout(servers["oscar"].base, "oscar", stocked, buyers, args)
            rounds.append(figures)
            print(
                f"   checkout x{args.buyers:<9} shop {figures['shop']['orders_per_s']} orders/s,"
                f" oscar {figures['oscar']['orders_per_s']} orders/s",
                flush=True,
            )
        result["checkout"] = {"rounds": rounds}
        return result
    finally:
        for server in servers.values():
            server.stop()


def round_line(figures: dict) -> str:
    return f"{figures['shop']['rps']:.0f}/{figures['oscar']['rps']:.0f}"


def errors(figures: dict) -> int:
    if "errors" in figures:
        return figures["errors"]
    return sum(v for k, v in figures.items() if k.startswith("status_"))


def summary(rounds: list[dict], key: str) -> tuple[float, float, float, float, float]:
    """Medians of each side's `key`, and the median, lowest and highest of the rounds' ratios."""
    ratios = [r["shop"][key] / r["oscar"][key] if r["oscar"][key] else float("inf") for r in rounds]
    return (
        statistics.median(r["shop"][key] for r in rounds),
        statistics.median(r["oscar"][key] for r in rounds),
        statistics.median(ratios),
        min(ratios),
        max(ratios),
    )


def table(results: list[dict], args) -> str:
    lines = []
    for result in results:
        lines += [
            f"\n{result['size']:,} products, gunicorn -w {args.workers} each, {args.concurrency} keep-alive clients,"
            f" {args.rounds} alternating rounds of {args.duration:g} s (medians; ratio range = spread of the rounds)",
            "",
            "| scenario | ours | oscar-api | ours / oscar | rounds' range | answer bytes ours / oscar |",
            "|---|---|---|---|---|---|",
        ]
        for name, label, _ in SCENARIOS:
            s = result["scenarios"][name]
            ours, theirs, ratio, low, high = summary(s["rounds"], "rps")
            p95 = [statistics.median(r[side]["p95"] for r in s["rounds"]) for side in ("shop", "oscar")]
            lines.append(
                f"| {label} | {ours:,.0f} req/s, p95 {p95[0]:.0f} ms | {theirs:,.0f} req/s, p95 {p95[1]:.0f} ms"
                f" | **{ratio:.2f}** | {low:.2f}–{high:.2f} | {s['bytes']['shop']:,} / {s['bytes']['oscar']:,} |"
            )
        c = result["checkout"]["rounds"]
        ours, theirs, ratio, low, high = summary(c, "orders_per_s")
        p99 = [statistics.median(r[side]["p99"] for r in c) for side in ("shop", "oscar")]
        lines.append(
            f"| checkout, {args.buyers} buyers | {ours:.1f} orders/s, p99 {p99[0]:.0f} ms"
            f" | {theirs:.1f} orders/s, p99 {p99[1]:.0f} ms | **{ratio:.2f}** | {low:.2f}–{high:.2f} |"
            f" p99 ours / oscar {p99[0] / p99[1]:.2f} |"
            if p99[1]
            else f"| checkout, {args.buyers} buyers | {ours:.1f} orders/s | {theirs:.1f} orders/s | - | - | - |"
        )
        search = result["common_search"]
        lines.append(
            f"| common-word search (`search={COMMON_TERM}`, {search['share']:.0%} of products), ours uncached"
            f" | {statistics.median(r['rps'] for r in search['rounds']):,.0f} req/s, p95 of each round "
            + " / ".join(f"{r['p95']:.0f}" for r in search["rounds"])
            + f" ms | - | - | - | {search['bytes']:,} / - |"
        )
        failed = {
            f"{name} {side}": errors(r[side])
            for name, s in result["scenarios"].items()
            for r in s["rounds"]
            for side in ("shop", "oscar")
            if errors(r[side])
        }
        failed |= {f"checkout {side}": errors(r[side]) for r in c for side in ("shop", "oscar") if errors(r[side])}
        if sum(errors(r) for r in search["rounds"]):
            failed["common search shop"] = sum(errors(r) for r in search["rounds"])
        lines.append(f"\nfailed answers: {failed or 'none'}")
        if result["created_at_ties"]:
            lines.append(f"products sharing a creation time: {result['created_at_ties']}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--duration", type=float, default=5, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; medians are kept")
    parser.add_argument("--concurrency", type=int, default=8, help="keep-alive clients")
    parser.add_argument("--buyers", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers, each side")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"))
    parser.add_argument("--prefix", default="shop_bench_peers", help="<prefix>_<size>, <prefix>_oscar_<size>")
    parser.add_argument("--smoke", action="store_true", help="CI: 2,000 products, 2 s, one round")
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.duration, args.rounds = [2000], 2, 1

    python = oscar_python()
    results = [bench_size(size, args, python) for size in args.sizes]
    print(table(results, args))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    document = {"args": {k: str(v) for k, v in vars(args).items()}, "results": results}
    (out / f"peers-{stamp}.json").write_text(json.dumps(document, indent=2))
    failed = sum(
        errors(r[side])
        for result in results
        for rounds in [*(s["rounds"] for s in result["scenarios"].values()), result["checkout"]["rounds"]]
        for r in rounds
        for side in ("shop", "oscar")
    )
    if failed:
        sys.exit(f"{failed} answers failed their check")


if __name__ == "__main__":
    main()
