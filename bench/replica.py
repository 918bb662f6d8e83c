"""The catalog and checkout with and without a read replica.

A throwaway primary and its streaming replica (initdb, then `pg_basebackup -R`) run on ports of
their own; `bench.run` seeds the catalog on the primary and measures it there alone, then again,
on the same data, with DATABASE_REPLICA_URLS pointing at the replica (public catalog reads go
there). Prints both figures side by side. Needs the PostgreSQL server programs and Redis.

    python -m bench.replica --size 10000 --duration 5
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import CATALOG, PYTHON, ROOT
from ecommerce.common.tests.processes import PostgresCluster, postgres_root

PREFIX = "shop_replica"


def caught_up(primary: PostgresCluster, replica: PostgresCluster, timeout: float = 300) -> None:
    """Wait until the replica has replayed everything the primary wrote (the seeding)."""
    target = primary.sql("SELECT pg_current_wal_lsn()")[0][0]
    deadline = time.monotonic() + timeout
    while replica.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0][0] is not True:
        if time.monotonic() > deadline:
            sys.exit("the replica did not catch up with the primary")
        time.sleep(0.5)


def measure(primary: PostgresCluster, args, out: Path, *extra: str) -> dict:
    command = [
        *(PYTHON, "-m", "bench.run", "--sizes", str(args.size), "--duration", str(args.duration)),
        *("--database-url", primary.url(), "--prefix", PREFIX, "--reuse", "--json", str(out), *extra),
    ]
    subprocess.run(command, cwd=ROOT, check=True)
    return json.loads(out.read_text())["results"][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--duration", type=float, default=5)
    args = parser.parse_args()

    root = postgres_root()
    primary, replica = PostgresCluster(root, "primary").init(), PostgresCluster(root, "replica")
    primary.start()
    try:
        replica.replica_of(primary).start()
        try:
            with tempfile.TemporaryDirectory() as scratch:
                alone = measure(primary, args, Path(scratch) / "alone.json")
                caught_up(primary, replica)
                replicated = measure(
                    primary,
                    args,
                    Path(scratch) / "replica.json",
                    "--replica-urls",
                    replica.url(f"{PREFIX}_{args.size}"),
                )
        finally:
            replica.stop()
    finally:
        primary.stop()
        shutil.rmtree(root, ignore_errors=True)

    print(f"\n{args.size} products, uncached catalog and checkout, primary alone vs with a read replica:")
    print(f"{'scenario':16} {'primary req/s':>14} {'with replica':>13} {'ratio':>6}")
    for scenario in CATALOG:
        before, after = alone["endpoints"][scenario]["uncached"], replicated["endpoints"][scenario]["uncached"]
        print(f"{scenario:16} {before['rps']:14.1f} {after['rps']:13.1f} {after['rps'] / before['rps']:6.2f}")
    before, after = alone["checkout"], replicated["checkout"]
    print(
        f"{'checkout':16} {before['orders_per_s']:14.1f} {after['orders_per_s']:13.1f} "
        f"{after['orders_per_s'] / before['orders_per_s']:6.2f}   (p99 {before['p99']} -> {after['p99']} ms)"
    )


if __name__ == "__main__":
    main()
