"""Checkout load: N buyers, each in its own thread with its own account, add to cart and
check out in a loop for a while. Prints one JSON object with orders/s and latencies.

Every buyer walks the same list of variants from its start, so most of them want the same item
at the same moment, as in a sale: they queue on that variant's and product's rows."""

import argparse
import json
import threading
import time
import uuid

import requests

from bench.load import percentile


def buyer(base: str, variants: list[int], stop_at: list[float], gate: threading.Barrier, out: dict) -> None:
    session = requests.Session()
    name = f"bench{uuid.uuid4().hex[:10]}"
    password = "Bench-Pass-2026"
    session.post(
        f"{base}/api/auth/register/", json={"username": name, "email": f"{name}@bench.test", "password": password}
    ).raise_for_status()
    token = session.post(f"{base}/api/auth/login/", json={"username": name, "password": password}).json()["access"]
    session.headers["Authorization"] = f"Bearer {token}"
    address = session.post(
        f"{base}/api/addresses/",
        json={
            "full_name": "Bench Buyer",
            "phone": "0911000000",
            "line1": "Bole Road",
            "city": "Addis Ababa",
            "region": "Addis Ababa",
        },
    ).json()["id"]
    gate.wait()
    n = 0
    while time.perf_counter() < stop_at[0]:
        variant = variants[n % len(variants)]
        n += 1
        session.post(f"{base}/api/cart/add/", json={"variant_id": variant, "quantity": 1})
        started = time.perf_counter()
        response = session.post(
            f"{base}/api/orders/create/",
            json={"shipping_address_id": address, "delivery_method": "addis-ababa-courier"},
        )
        took = (time.perf_counter() - started) * 1000
        key = "orders" if response.status_code == 201 else f"status_{response.status_code}"
        with out["lock"]:
            out[key] = out.get(key, 0) + 1
            if response.status_code == 201:
                out["latencies"].append(took)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--variant", type=int, action="append", required=True)
    parser.add_argument("--buyers", type=int, default=20)
    parser.add_argument("--duration", type=float, default=10)
    args = parser.parse_args()
    out = {"lock": threading.Lock(), "latencies": []}
    gate = threading.Barrier(args.buyers + 1)
    stop_at = [float("inf")]
    threads = [
        threading.Thread(target=buyer, args=(args.base, args.variant, stop_at, gate, out)) for _ in range(args.buyers)
    ]
    for thread in threads:
        thread.start()
    gate.wait()
    began = time.perf_counter()
    stop_at[0] = began + args.duration
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    values = sorted(out.pop("latencies"))
    out.pop("lock")
    print(
        json.dumps(
            {
                **out,
                "seconds": round(elapsed, 3),
                "orders_per_s": round(len(values) / elapsed, 1),
                "p50": round(percentile(values, 50), 2),
                "p95": round(percentile(values, 95), 2),
                "p99": round(percentile(values, 99), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
