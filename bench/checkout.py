"""Checkout load: N buyers, each in its own thread with its own account, add to cart and
check out in a loop for a while. Prints one JSON object with orders/s and latencies.

Every buyer walks the same list of variants from its start, so most of them want the same item
at the same moment, as in a sale: they queue on that variant's and product's rows.

`--peer oscar` drives the django-oscar shop of bench/peers.py the same way through oscar-api:
its `Session-Id` login, basket/add-product/ and checkout/. `--warm` places one order for every
buyer (one buyer at a time) before the clock starts, so that first-order work (oscar's analytics
rows, created by the first purchase of each product and of each user) is not measured, and
cannot race: under ATOMIC_REQUESTS two first purchases of a product end one of them in a 500."""

import argparse
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import requests

from bench.load import percentile

PASSWORD = "Bench-Pass-2026"


class ShopBuyer:
    def __init__(self, base: str, name: str | None = None):
        self.base = base
        self.session = requests.Session()
        name = name or f"bench{uuid.uuid4().hex[:10]}"
        self.session.post(
            f"{base}/api/auth/register/", json={"username": name, "email": f"{name}@bench.test", "password": PASSWORD}
        ).raise_for_status()
        login = self.session.post(f"{base}/api/auth/login/", json={"username": name, "password": PASSWORD})
        self.session.headers["Authorization"] = f"Bearer {login.json()['access']}"
        self.address = self.session.post(
            f"{base}/api/addresses/",
            json={
                "full_name": "Bench Buyer",
                "phone": "0911000000",
                "line1": "Bole Road",
                "city": "Addis Ababa",
                "region": "Addis Ababa",
            },
        ).json()["id"]

    def add(self, variant: int) -> None:
        self.session.post(f"{self.base}/api/cart/add/", json={"variant_id": variant, "quantity": 1})

    def checkout(self) -> int:
        return self.session.post(
            f"{self.base}/api/orders/create/",
            json={"shipping_address_id": self.address, "delivery_method": "addis-ababa-courier"},
        ).status_code


class OscarBuyer:
    """oscar-api's header sessions: the client names an anonymous session, logs in on it and
    gets the authenticated session's id back in the `Session-Id` header."""

    def __init__(self, base: str, name: str):
        self.base = base
        self.session = requests.Session()
        realm = urlsplit(base).hostname
        self.session.headers["Session-Id"] = f"SID:ANON:{realm}:{uuid.uuid4().hex}"
        login = self.session.post(f"{base}/api/login/", json={"username": name, "password": PASSWORD})
        if login.status_code != 200 or not login.headers.get("Session-Id", "").startswith("SID:AUTH:"):
            raise RuntimeError(f"oscar-api login failed: {login.status_code} {login.text[:200]}")
        self.session.headers["Session-Id"] = login.headers["Session-Id"]
        self.basket = self.session.get(f"{base}/api/basket/").json()["url"]
        self.country = f"{base}/api/countries/ET/"

    def add(self, variant: int) -> None:
        answer = self.session.post(
            f"{self.base}/api/basket/add-product/",
            json={"url": f"{self.base}/api/products/{variant}/", "quantity": 1},
        )
        if answer.status_code == 200:
            self.basket = answer.json()["url"]

    def checkout(self) -> int:
        return self.session.post(
            f"{self.base}/api/checkout/",
            json={
                "basket": self.basket,
                "shipping_address": {
                    "first_name": "Bench",
                    "last_name": "Buyer",
                    "line1": "Bole Road",
                    "line4": "Addis Ababa",
                    "state": "Addis Ababa",
                    "phone_number": "+251911000000",
                    "country": self.country,
                },
            },
        ).status_code


# The status a placed order is answered with.
PLACED = {"shop": 201, "oscar": 200}


def run(buyers: list, variants: list[int], *, peer: str, duration: float, warm: bool) -> dict:
    out = {"lock": threading.Lock(), "latencies": []}
    if warm:
        for buyer in buyers:
            buyer.add(variants[0])
            if buyer.checkout() != PLACED[peer]:
                raise RuntimeError(f"{peer}: a warm-up order was not placed")
        first = buyers[0]  # every product's first purchase, in one order
        for variant in variants:
            first.add(variant)
        if first.checkout() != PLACED[peer]:
            raise RuntimeError(f"{peer}: the warm-up order of every product was not placed")
    gate = threading.Barrier(len(buyers) + 1)
    stop_at = [float("inf")]

    def loop(buyer) -> None:
        gate.wait()
        n = 0
        while time.perf_counter() < stop_at[0]:
            buyer.add(variants[n % len(variants)])
            n += 1
            started = time.perf_counter()
            status = buyer.checkout()
            took = (time.perf_counter() - started) * 1000
            key = "orders" if status == PLACED[peer] else f"status_{status}"
            with out["lock"]:
                out[key] = out.get(key, 0) + 1
                if status == PLACED[peer]:
                    out["latencies"].append(took)

    threads = [threading.Thread(target=loop, args=(buyer,)) for buyer in buyers]
    for thread in threads:
        thread.start()
    gate.wait()
    began = time.perf_counter()
    stop_at[0] = began + duration
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    values = sorted(out.pop("latencies"))
    out.pop("lock")
    return {
        **out,
        "seconds": round(elapsed, 3),
        "orders_per_s": round(len(values) / elapsed, 1),
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "p99": round(percentile(values, 99), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--variant", type=int, action="append", required=True)
    parser.add_argument("--buyers", type=int, default=20)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--peer", choices=sorted(PLACED), default="shop")
    parser.add_argument("--account", action="append", help="oscar: the buyers' usernames (made by its loader)")
    parser.add_argument("--warm", action="store_true", help="one order per buyer before the clock starts")
    args = parser.parse_args()
    with ThreadPoolExecutor(4) as pool:  # logins hash passwords: a few at a time
        if args.peer == "oscar":
            buyers = list(pool.map(lambda name: OscarBuyer(args.base, name), args.account[: args.buyers]))
        else:
            buyers = list(pool.map(lambda _: ShopBuyer(args.base), range(args.buyers)))
    print(json.dumps(run(buyers, args.variant, peer=args.peer, duration=args.duration, warm=args.warm)))


if __name__ == "__main__":
    main()
