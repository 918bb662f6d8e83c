"""What translated catalog content costs the uncached product list, in English and in Amharic.

Two worker processes serve the same PostgreSQL database in-process (Django's test client, the
catalog cache off): one runs the shop as it was before translations (commit 2d456eb, exported
with `git archive` unless --old names a checkout), the other this tree. Rounds alternate
between them (the order flips every round, so neither always runs warm); each round times
`--requests` GETs of the product list and keeps its median request. Prints, per language, the
median of the rounds' ratios new/old with their spread (the middle half, and the extremes).

    python bench/product_list_timing.py --rounds 12 --products 1200

The database (`--database`, default shop_bench_translations on BENCH_DATABASE_URL's server) is
made afresh, migrated by this tree (the old code reads the same tables and ignores the new
columns), seeded with `seed_demo --products N --variants 3`, and every product, category and
option is given an Amharic translation so that Amharic reads take the translated path.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
OLD_COMMIT = "2d456eb"
LANGUAGES = ["en", "am"]

# Run inside each worker, from the root of the tree it measures.
WORKER = r"""
import json, os, sys, time
import django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# Hundreds of anonymous requests a minute from one client, the bench's own: none is throttled.
override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}).enable()
client = Client()
url = "/api/products/?page_size=" + os.environ["BENCH_PAGE_SIZE"]
for line in sys.stdin:
    language, count = line.split()
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    timings = []
    for _ in range(int(count)):
        started = time.perf_counter()
        response = client.get(url, **headers)
        timings.append(time.perf_counter() - started)
    assert response.status_code == 200, response.content[:200]
    body = response.json()["results"]
    # The round's median request: a spike of the machine's other work moves it least.
    timings.sort()
    print(json.dumps({"seconds": timings[len(timings) // 2], "title": body[0]["title"]}), flush=True)
"""

TRANSLATE = """
UPDATE products_product SET translations = jsonb_build_object('am', jsonb_build_object(
    'title', 'ምርት ' || id, 'description', 'የሙከራ ምርት ቁጥር ' || id || '።'));
UPDATE categories_category SET translations = jsonb_build_object('am', jsonb_build_object('name', 'ምድብ ' || id));
UPDATE products_productoption SET translations = '{"am": {"name": "መጠን"}}';
UPDATE products_productoptionvalue
    SET translations = jsonb_build_object('am', jsonb_build_object('value', 'መጠን ' || value));
UPDATE products_product SET option_summary = (
    SELECT coalesce(jsonb_agg(option || jsonb_build_object('translations', jsonb_build_object('am',
        jsonb_build_object('name', 'መጠን', 'values',
            (SELECT jsonb_agg('መጠን ' || v) FROM jsonb_array_elements_text(option->'values') v))))), '[]')
    FROM jsonb_array_elements(option_summary) option);
ANALYZE;
"""


def database_url(name: str) -> str:
    server = urlsplit(os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return urlunsplit(server._replace(path=f"/{name}"))


def environment(url: str, page_size: int) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "CELERY_BROKER_URL")}
    return env | {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "ecommerce.settings.local",
        "CATALOG_CACHE_SECONDS": "0",
        "ALLOWED_HOSTS": "testserver",
        "BENCH_PAGE_SIZE": str(page_size),
    }


def prepare(name: str, products: int, env: dict) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    run = {"cwd": ROOT, "env": env, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input"], **run)
    seed = ["seed_demo", "--products", str(products), "--variants", "3"]
    subprocess.run([sys.executable, "manage.py", *seed], **run, stderr=subprocess.DEVNULL)
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
        for statement in filter(str.strip, TRANSLATE.split(";")):
            connection.execute(statement)


def old_tree(given: str | None, scratch: Path) -> Path:
    if given:
        return Path(given)
    tree = scratch / OLD_COMMIT
    tree.mkdir()
    archive = subprocess.run(["git", "archive", OLD_COMMIT], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


class Worker:
    def __init__(self, tree: Path, env: dict):
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=tree,
            env=env | {"PYTHONPATH": str(tree)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def time(self, language: str, requests: int) -> dict:
        self.process.stdin.write(f"{language} {requests}\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--requests", type=int, default=20, help="GETs per round")
    parser.add_argument("--products", type=int, default=1200)
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--database", default="shop_bench_translations")
    parser.add_argument("--old", help="a checkout of the code before translations (default: exported from git)")
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run")
    args = parser.parse_args()

    env = environment(database_url(args.database), args.page_size)
    if not args.reuse:
        prepare(args.database, args.products, env)
    with tempfile.TemporaryDirectory() as scratch:
        workers = {"old": Worker(old_tree(args.old, Path(scratch)), env), "new": Worker(ROOT, env)}
        try:
            for language in LANGUAGES:  # warm both: imports, plans, connections
                for worker in workers.values():
                    worker.time(language, 3)
            seconds = {(code, language): [] for code in workers for language in LANGUAGES}
            titles = {}
            for number in range(args.rounds):
                for language in LANGUAGES:
                    order = ["old", "new"] if number % 2 == 0 else ["new", "old"]
                    for code in order:
                        timed = workers[code].time(language, args.requests)
                        seconds[code, language].append(timed["seconds"])
                        titles[code, language] = timed["title"]
        finally:
            for worker in workers.values():
                worker.close()

    print(f"{args.products} products, page_size={args.page_size}, {args.rounds} rounds of {args.requests} GETs")
    for language in LANGUAGES:
        old, new = seconds["old", language], seconds["new", language]
        ratios = sorted(n / o for n, o in zip(new, old, strict=True))
        quartiles = statistics.quantiles(ratios, n=4)
        print(
            f"{language}: old {statistics.median(old) * 1000:.1f} ms, new {statistics.median(new) * 1000:.1f} ms "
            f"per request; new/old {statistics.median(ratios):.3f} (middle half {quartiles[0]:.3f}-"
            f"{quartiles[2]:.3f}, all {ratios[0]:.3f}-{ratios[-1]:.3f}); "
            f"first title old {titles['old', language]!r}, new {titles['new', language]!r}"
        )


if __name__ == "__main__":
    main()
