"""Load test of the whole shop: browsing, carts, checkout and payment, many customers at once.

gunicorn serves the shop on PostgreSQL and Redis, the Chapa sandbox and the SMS gateway sandbox
run as processes of their own, and this process plays N customers: each registers, then in a
loop browses the catalog, puts some of a few scarce products in the cart, checks out, and pays
(or fails to pay, or walks away) on the sandbox's checkout, whose callback makes the shop verify
the payment. A share of them (`--guests`) are guests instead: each round a new shopper fills a
cart without an account, asks for a sign-in code (`otp/request/`), reads it from the SMS that
reached the gateway sandbox, signs in with it (`otp/verify/`, a new account), merges the guest
cart and then checks out and pays as the others do. The catalog is sold in sizes (three
variants per product), and the scarce stock is a few variants of it. Afterwards it checks the
books:

- no answer was a 5xx;
- no variant was oversold: stock + units held by orders (less those returned to stock) = initial
  stock, for every variant;
- the stock ledger adds up: for every variant, its movements sum to its stock;
- every paid order is confirmed, once (one applied payment, one confirmation event);
- every order's total is its lines minus its discount plus its delivery fee, and the money
  applied (Chapa payments and the cash staff recorded) is the money of the paid orders;
- every guest's code signed in a new account, a phone is verified on one account only, and no
  merged guest cart is left behind (nor any guest cart the run did not merge).

About a third of the orders are paid in cash on delivery: staff record the cash, sometimes
two of them clicking at once (exactly one records it).

Some of the paid orders are delivered and some of their units come back: staff approve the
return, receive it (some units resellable) and refund a part of the order, in cash or through
Chapa's sandbox, sometimes two of them at once (exactly one refunds it). The books then also
say: every order's refunded amount is its refunds that went through, and at most its total;
paid - refunded = money kept, per order and in total; returned units came back into stock once.

    python -m bench.loadtest --users 50 --duration 180      # the full run
    python -m bench.loadtest --users 50 --duration 20       # the short run CI makes
"""

import argparse
import hashlib
import itertools
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from decimal import Decimal

import requests

from bench.load import percentile
from bench.run import PYTHON, ROOT, Server, database_url, free_port, manage, recreate_database, set_stock, sql

SCARCE_VARIANTS = 8
WEBHOOK_SECRET = "loadtest-webhook-secret"
SMS_TOKEN = "loadtest-sms-token"
# Guests' phones: a new Ethiopian mobile number for each shopper, 0915 and six digits
# (itertools.count hands out each number once, whichever thread asks).
PHONE_NUMBERS = itertools.count(1)
CODE_RE = re.compile(r"\b(\d{6})\b")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.events: Counter = Counter()
        self.server_errors: list[str] = []
        # Guest carts: the hashes of those merged, and how many were started but not merged.
        self.merged_carts: list[str] = []
        self.guest_carts_left = 0
        self.guest_phones: list[str] = []

    def record(self, kind: str, response: requests.Response, took: float) -> None:
        with self.lock:
            self.statuses[response.status_code] += 1
            self.latencies[kind].append(took * 1000)
            if response.status_code >= 500 and not (kind == "initiate" and response.status_code == 502):
                self.server_errors.append(f"{kind} {response.status_code} {response.text[:200]}")


def staff_clicks(call, kind: str, path: str, body: dict, staff_token: str, clicks: int) -> list:
    """`clicks` staff members posting the same thing at once; their answers, in no order."""
    answers = []

    def click():
        answers.append(call(kind, "POST", path, json=body, headers={"Authorization": f"Bearer {staff_token}"}))

    threads = [threading.Thread(target=click) for _ in range(clicks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def record_cash(call, staff_token: str, order: dict, stats: Stats, rng: random.Random) -> None:
    """Staff record the cash a courier brought back; now and then two of them at once."""
    clicks = 2 if rng.random() < 0.3 else 1
    body = {"amount": order["total"], "method": "cash"}
    path = f"/api/orders/{order['id']}/record_payment/"
    answers = [r.status_code for r in staff_clicks(call, "record", path, body, staff_token, clicks)]
    if sorted(answers) != [200, 409][:clicks]:  # one records it; a second click is told it is paid
        with stats.lock:
            stats.server_errors.append(f"recording cash for {order['id']} answered {answers}")
    stats.events["cash_recorded"] += 1


def address_add(call, phone: str) -> int:
    body = {"full_name": "Load Tester", "phone": phone, "line1": "Bole Road", "city": "Addis Ababa"}
    return call("address", "POST", "/api/addresses/", json={**body, "region": "Addis Ababa"}).json()["id"]


def sms_code(sms: str, phone: str) -> str | None:
    """The code in the latest SMS the gateway sandbox received for the phone (a 09… number)."""
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline:
        messages = requests.get(f"{sms}/_sandbox/state", timeout=60).json()["messages"]
        for message in reversed(messages):
            if message["to"] == "251" + phone[1:]:
                found = CODE_RE.search(message["message"])
                if found:
                    return found.group(1)
        # Sent at commit, before the answer; a failed send waits for its retry.
        time.sleep(0.2)
    return None


def guest_signs_in(call, session: requests.Session, sms: str, scarce: list[int], stats: Stats, rng) -> int | None:
    """A new shopper fills a guest cart, signs in with a code sent to their phone (a new account)
    and merges the cart into the account's: the address to ship to, or None if they gave up."""
    headers = {}
    for variant in rng.sample(scarce, rng.randint(1, 2)):
        added = call(
            "guest_cart",
            "POST",
            "/api/cart/add/",
            json={"variant_id": variant, "quantity": rng.randint(1, 3)},
            headers=headers,
        )
        if added.status_code == 201 and "X-Cart-Token" not in headers:
            headers["X-Cart-Token"] = added.json()["token"]
    if not headers:
        stats.events["guest_cart_refused"] += 1  # what they wanted sold out before the first line
        return None
    token = headers["X-Cart-Token"]
    phone = f"0915{next(PHONE_NUMBERS):06d}"
    asked = call("otp_request", "POST", "/api/auth/otp/request/", json={"phone": phone})
    code = sms_code(sms, phone) if asked.status_code == 202 else None
    signed_in = code and call("otp_verify", "POST", "/api/auth/otp/verify/", json={"phone": phone, "code": code})
    if not signed_in or signed_in.status_code != 200 or signed_in.json()["created"] is not True:
        with stats.lock:
            stats.guest_carts_left += 1
            stats.server_errors.append(
                f"guest {phone}: otp/request/ {asked.status_code}, code {'read' if code else 'never arrived'}, "
                f"otp/verify/ {signed_in.status_code if signed_in else '-'} {signed_in.text[:200] if signed_in else ''}"
            )
        return None
    session.headers["Authorization"] = f"Bearer {signed_in.json()['access']}"
    merged = call("merge", "POST", "/api/cart/merge/", json={"cart_token": token})
    with stats.lock:
        stats.guest_phones.append(phone)
        if merged.status_code == 200:
            stats.merged_carts.append(hashlib.sha256(token.encode()).hexdigest())
            stats.events["guests_merged"] += 1
            stats.events["merge_adjustments"] += len(merged.json()["adjustments"])
        else:
            stats.guest_carts_left += 1
            stats.server_errors.append(f"guest {phone}: merge/ answered {merged.status_code} {merged.text[:200]}")
            return None
    return address_add(call, phone)


# Of the paid orders, those delivered and then some of their units coming back: most of the few
# cash-on-delivery ones (checkout refuses cash above its limit), a quarter of the Chapa ones.
RETURNED_SHARE = {"cash": 0.75, "chapa": 0.25}


def return_and_refund(call, staff_token: str, order_id: str, stats: Stats, rng: random.Random) -> None:
    """Staff deliver a paid order; its customer sends some units back, and staff approve, receive
    (some resellable, some damaged, or refund before the goods are in) and refund a part of the
    order: cash on delivery in cash, Chapa through Chapa. Now and then two staff refund at once
    (exactly one refunds it)."""
    staff = {"Authorization": f"Bearer {staff_token}"}
    order = call("order", "GET", f"/api/orders/{order_id}/").json()
    if order["payment_status"] != "paid":
        return  # its payment failed, or the cash is still with the courier
    for status in ("processing", "shipped", "delivered"):
        call("deliver", "PATCH", f"/api/orders/{order_id}/update_status/", json={"status": status}, headers=staff)
    returned = {
        item["id"]: (rng.randint(1, item["quantity"]), Decimal(item["unit_price"]))
        for item in rng.sample(order["items"], rng.randint(1, len(order["items"])))
    }
    lines = [{"order_item_id": i, "quantity": n, "reason": "changed_mind"} for i, (n, _) in returned.items()]
    asked = call("return", "POST", f"/api/orders/{order_id}/returns/", json={"lines": lines})
    problems = [] if asked.status_code == 201 else [f"return of {order_id} answered {asked.status_code} {asked.text}"]
    if not problems:
        ret = asked.json()["id"]
        approved = call("approve", "POST", f"/api/returns/{ret}/approve/", headers=staff)
        if approved.status_code != 200:
            problems.append(f"approving return {ret} answered {approved.status_code} {approved.text}")
        if rng.random() < 0.8:
            conditions = [{"order_item_id": i, "condition": rng.choice(["resellable", "damaged"])} for i in returned]
            received = call(
                "receive", "POST", f"/api/returns/{ret}/receive/", json={"lines": conditions}, headers=staff
            )
            if received.status_code != 200:
                problems.append(f"receiving return {ret} answered {received.status_code} {received.text}")
        body = {"note": "Did not fit"} | ({"method": "cash"} if order["payment_method"] == "cash_on_delivery" else {})
        if rng.random() < 0.3:  # less than the lines' value: staff keep some for the wear
            body["amount"] = f"{sum(n * price for n, price in returned.values()) / 2:.2f}"
        clicks = 2 if rng.random() < 0.3 else 1
        answers = staff_clicks(call, "refund", f"/api/returns/{ret}/refund/", body, staff_token, clicks)
        if sorted(r.status_code for r in answers) != [200, 409][:clicks]:
            problems.append(f"refunding return {ret} answered {[(r.status_code, r.text[:200]) for r in answers]}")
        stats.events["returns_refunded" if not problems else "returns_failed"] += 1
    with stats.lock:
        stats.server_errors.extend(problems)


def check_refund_books(env: dict) -> list[str]:
    """Refunds against what was paid: every order's refunded amount is its refunds that went
    through and never more than its total; what the shop was paid less what it refunded is the
    money it kept, per order and in total; resellable returned units came back into stock once."""
    problems = [
        f"order {number}: refunded {refunded} but its refunds that went through add up to {rows} (total {total})"
        for number, refunded, rows, total in sql(
            env,
            """SELECT o.number, o.refunded_amount, COALESCE(SUM(r.amount), 0), o.total FROM orders_order o
               LEFT JOIN payments_refund r ON r.order_id = o.id AND r.status = 'succeeded' AND r.counted
               GROUP BY o.id HAVING o.refunded_amount <> COALESCE(SUM(r.amount), 0) OR o.refunded_amount > o.total""",
        )
    ]
    # Per order: the payment applied to it, less its refunds, is its total less its refunded amount.
    kept = """SELECT o.number, o.total - o.refunded_amount AS kept,
                (SELECT COALESCE(SUM(p.amount), 0) FROM payments_payment p WHERE p.order_id = o.id AND p.applied)
                - (SELECT COALESCE(SUM(r.amount), 0) FROM payments_refund r
                   WHERE r.order_id = o.id AND r.status = 'succeeded' AND r.counted) AS paid_less_refunded
              FROM orders_order o WHERE o.paid_at IS NOT NULL"""
    rows = sql(env, kept)
    problems += [f"order {n}: paid - refunded = {got}, but it kept {want}" for n, want, got in rows if want != got]
    [(paid, refunded)] = sql(
        env,
        """SELECT (SELECT COALESCE(SUM(amount), 0) FROM payments_payment WHERE applied),
                  (SELECT COALESCE(SUM(amount), 0) FROM payments_refund WHERE status = 'succeeded' AND counted)""",
    )
    if paid - refunded != sum(want for _, want, _ in rows):
        problems.append(f"paid {paid} - refunded {refunded} is not the money kept {sum(w for _, w, _ in rows)}")
    problems += [
        f"order {order_id}, variant {variant_id}: {restocked} resellable units returned, {moved} back in stock"
        for order_id, variant_id, restocked, moved in sql(
            env,
            """WITH restocked AS (
                 SELECT r.order_id, i.variant_id, SUM(l.quantity) AS units FROM orders_returnline l
                 JOIN orders_return r ON r.id = l.return_request_id JOIN orders_orderitem i ON i.id = l.order_item_id
                 WHERE l.restocked GROUP BY r.order_id, i.variant_id),
               moved AS (
                 SELECT order_id, variant_id, SUM(delta) AS units FROM products_stockmovement
                 WHERE reason = 'returned' GROUP BY order_id, variant_id)
               SELECT COALESCE(r.order_id, m.order_id), COALESCE(r.variant_id, m.variant_id),
                      COALESCE(r.units, 0), COALESCE(m.units, 0)
               FROM restocked r FULL JOIN moved m ON m.order_id = r.order_id AND m.variant_id = r.variant_id
               WHERE COALESCE(r.units, 0) <> COALESCE(m.units, 0)""",
        )
    ]
    return problems


def customer(
    base: str,
    sandbox: str,
    sms: str,
    staff_token: str,
    products: list[int],
    scarce: list[int],
    start: threading.Barrier,
    stop_at: list[float],
    stats: Stats,
    rng: random.Random,
    guest: bool,
) -> None:
    session = requests.Session()

    def call(kind, method, path, **kwargs):
        started = time.perf_counter()
        response = session.request(method, base + path, timeout=60, **kwargs)
        stats.record(kind, response, time.perf_counter() - started)
        return response

    if not guest:
        name = f"load{uuid.uuid4().hex[:12]}"
        password = "Load-Test-Pass-2026"
        call(
            "register",
            "POST",
            "/api/auth/register/",
            json={"username": name, "email": f"{name}@load.test", "password": password},
        )
        login = call("login", "POST", "/api/auth/login/", json={"username": name, "password": password})
        session.headers["Authorization"] = f"Bearer {login.json()['access']}"
        address = address_add(call, "0911000000")
    # Signing up costs a password hash or two each, a few seconds for 50 customers on a small
    # machine: the shopping clock starts once everyone is in.
    start.wait()
    while time.perf_counter() < stop_at[0]:
        if guest:  # each round a new shopper, with no account yet
            session = requests.Session()
        call("browse", "GET", f"/api/products/?page={rng.randint(1, 3)}")
        call("search", "GET", "/api/products/?search=coffee")
        call("detail", "GET", f"/api/products/{rng.choice(products)}/")
        if guest:
            address = guest_signs_in(call, session, sms, scarce, stats, rng)
            if address is None:
                continue
        else:
            for variant in rng.sample(scarce, rng.randint(1, 2)):
                call("cart", "POST", "/api/cart/add/", json={"variant_id": variant, "quantity": rng.randint(1, 3)})
        cash = rng.random() < 0.33
        body = {
            "shipping_address_id": address,
            "delivery_method": rng.choice(["pickup-bole", "addis-ababa-courier"]) if cash else "addis-ababa-courier",
            "payment_method": "cash_on_delivery" if cash else "chapa",
        }
        response = call(
            "checkout", "POST", "/api/orders/create/", json=body, headers={"Idempotency-Key": uuid.uuid4().hex}
        )
        if response.status_code != 201:
            stats.events[f"checkout_{response.status_code}_{response.json().get('code', 'invalid')}"] += 1
            call("cart", "DELETE", "/api/cart/clear/")
            continue
        stats.events["orders_cash" if cash else "orders"] += 1
        if cash:
            if rng.random() < 0.8:  # the rest are still out with the courier
                record_cash(call, staff_token, response.json(), stats, rng)
                if rng.random() < RETURNED_SHARE["cash"]:  # returns and refunds
                    return_and_refund(call, staff_token, response.json()["id"], stats, rng)
            continue
        order = response.json()["id"]
        payment = call("initiate", "POST", "/api/payments/initiate/", json={"order_id": order})
        if payment.status_code != 201:
            stats.events[f"initiate_{payment.status_code}"] += 1
            continue
        fate = rng.random()
        if fate < 0.75:
            outcome = "success"
        elif fate < 0.9:
            outcome = "failed"
        else:
            stats.events["abandoned"] += 1
            continue
        # The customer finishes on Chapa's page; Chapa calls the shop back, and the shop verifies.
        done = requests.post(
            f"{sandbox}/_sandbox/transactions/{payment.json()['tx_ref']}/complete",
            json={"status": outcome, "callback": True},
            timeout=60,
        ).json()
        stats.events[f"paid_{outcome}"] += 1
        if done["callback_status"] and done["callback_status"] >= 500:
            with stats.lock:
                stats.server_errors.append(f"callback {done['callback_status']}")
        if rng.random() < 0.5:  # and some customers check their order and click verify again
            call("order", "GET", f"/api/orders/{order}/")
            call("verify", "GET", f"/api/payments/verify/{payment.json()['id']}/")
        if outcome == "success" and rng.random() < RETURNED_SHARE["chapa"]:  # returns and refunds
            return_and_refund(call, staff_token, order, stats, rng)


def check_books(env: dict, initial: dict[int, int]) -> list[str]:
    problems = []
    held = dict(
        sql(
            env,
            """
        SELECT i.variant_id, COALESCE(SUM(i.quantity - COALESCE(back.units, 0)), 0) FROM orders_orderitem i
        JOIN orders_order o ON o.id = i.order_id
        LEFT JOIN (SELECT order_item_id, SUM(quantity) AS units FROM orders_returnline WHERE restocked
                   GROUP BY order_item_id) back ON back.order_item_id = i.id
        WHERE o.stock_reserved GROUP BY i.variant_id""",
        )
    )
    for variant_id, stock in sql(env, "SELECT id, stock FROM products_variant"):
        if stock < 0 or stock + held.get(variant_id, 0) != initial[variant_id]:
            problems.append(
                f"variant {variant_id}: stock {stock} + held {held.get(variant_id, 0)} != initial {initial[variant_id]}"
            )
    problems += [
        f"variant {variant_id}: the ledger adds up to {total}, the stock is {stock}"
        for variant_id, stock, total in sql(
            env,
            """SELECT v.id, v.stock, COALESCE(SUM(m.delta), 0) FROM products_variant v
               LEFT JOIN products_stockmovement m ON m.variant_id = v.id GROUP BY v.id, v.stock
               HAVING v.stock <> COALESCE(SUM(m.delta), 0)""",
        )
    ]
    for order_id, status, confirmations, successes in sql(
        env,
        """
        SELECT o.id, o.status,
          (SELECT COUNT(*) FROM orders_orderevent e WHERE e.order_id = o.id
             AND e.type IN ('payment_succeeded', 'payment_recorded', 'reinstated')),
          (SELECT COUNT(*) FROM payments_payment p WHERE p.order_id = o.id AND p.applied)
        FROM orders_order o WHERE o.payment_status IN ('paid', 'partially_refunded')""",
    ):
        if status not in ("confirmed", "delivered") or confirmations != 1 or successes != 1:
            problems.append(
                f"paid order {order_id}: status {status}, {confirmations} confirmations, "
                f"{successes} successful payments"
            )
    problems += [
        f"order {number}: total {total} is not its lines {lines} - {discount} + {fee}"
        for number, total, lines, discount, fee in sql(
            env,
            """SELECT o.number, o.total, SUM(i.line_total), o.discount_amount, o.delivery_fee
               FROM orders_order o JOIN orders_orderitem i ON i.order_id = o.id
               GROUP BY o.id HAVING o.total <> SUM(i.line_total) - o.discount_amount + o.delivery_fee""",
        )
    ]
    [(applied, paid)] = sql(
        env,
        """SELECT (SELECT COALESCE(SUM(amount), 0) FROM payments_payment WHERE status = 'success' AND applied),
                  (SELECT COALESCE(SUM(total), 0) FROM orders_order WHERE paid_at IS NOT NULL)""",
    )
    if applied != paid:
        problems.append(f"money applied {applied} is not the money of paid orders {paid}")
    problems += [
        f"order {number} is paid by {n} recorded payments"
        for number, n in sql(
            env,
            """SELECT o.number, COUNT(*) FROM orders_order o JOIN payments_payment p ON p.order_id = o.id
               WHERE p.method <> 'chapa' GROUP BY o.number HAVING COUNT(*) > 1""",
        )
    ]
    orphans = sql(
        env,
        """SELECT p.tx_ref FROM payments_payment p JOIN orders_order o ON o.id = p.order_id
                          WHERE p.status = 'success'
                          AND o.payment_status NOT IN ('paid', 'refund_pending', 'partially_refunded', 'refunded')""",
    )
    problems += [f"payment {tx} succeeded but its order is not paid" for (tx,) in orphans]
    return problems


def check_guests(env: dict, stats: Stats) -> list[str]:
    problems = [
        f"phone {phone} is verified on {n} accounts"
        for phone, n in sql(
            env, "SELECT phone, COUNT(*) FROM users_user WHERE phone_verified GROUP BY phone HAVING COUNT(*) > 1"
        )
    ]
    [(accounts,)] = sql(env, "SELECT COUNT(*) FROM users_user WHERE phone_verified")
    if accounts != len(stats.guest_phones):
        problems.append(
            f"{len(stats.guest_phones)} guests signed in by code, but {accounts} accounts have a verified phone"
        )
    hashes = ",".join(f"'{digest}'" for digest in stats.merged_carts) or "NULL"
    [(merged_left,)] = sql(env, f"SELECT COUNT(*) FROM cart_cart WHERE token_hash IN ({hashes})")
    if merged_left:
        problems.append(f"{merged_left} guest carts are still there after their merge")
    [(guest_carts,)] = sql(env, "SELECT COUNT(*) FROM cart_cart WHERE user_id IS NULL")
    if guest_carts != stats.guest_carts_left:
        problems.append(f"{guest_carts} guest carts are left, {stats.guest_carts_left} of them never merged")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=180)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--guests",
        type=float,
        default=0.3,
        help="the share of the customers who shop as guests and sign in by SMS code",
    )
    parser.add_argument(
        "--stock",
        type=int,
        help="units of each scarce product (default: about what the run sells, so that they run out near the end)",
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4"))
    args = parser.parse_args()

    recreate_database(args.database_url, "shop_load")
    sandbox_port, sms_port = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecommerce.settings.local",
        "DATABASE_URL": database_url(args.database_url, "shop_load"),
        "REDIS_URL": args.redis_url,
        "CHAPA_SECRET_KEY": "CHASECK_TEST-loadtest-key-0123456789",
        "CHAPA_BASE_URL": f"http://127.0.0.1:{sandbox_port}/v1",
        "CHAPA_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SMS_BACKEND": "afromessage",
        "SMS_BASE_URL": f"http://127.0.0.1:{sms_port}/api",
        "SMS_API_TOKEN": SMS_TOKEN,
        "LOG_LEVEL": "ERROR",
        # Every customer comes from this one address: the limits per client would stop them all.
        **{
            f"THROTTLE_{scope}": "1000000/min"
            for scope in ("ANON", "USER", "LOGIN", "REGISTER", "PASSWORD_RESET", "GUEST_CART", "OTP")
        },
        # The shop's hourly cap on codes is a guard against SMS pumping, which this is not.
        "OTP_HOURLY_LIMIT": "1000000",
    }
    for key in ("CELERY_BROKER_URL", "DEBUG"):
        env.pop(key, None)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "--products", "2000", "--variants", "3")
    staff_password = "Load-Test-Staff-2026"
    manage(
        {**env, "DJANGO_SUPERUSER_PASSWORD": staff_password},
        "createsuperuser",
        "--noinput",
        "--username",
        "loadstaff",
        "--email",
        "loadstaff@load.test",
    )
    units = args.stock or max(20, int(args.users * args.duration / 20))
    scarce = [
        row[0]
        for row in sql(
            env,
            "SELECT v.id FROM products_variant v JOIN products_product p ON p.id = v.product_id "
            f"WHERE p.is_active AND v.is_active AND p.slug LIKE 'catalog-%' ORDER BY v.id LIMIT {SCARCE_VARIANTS}",
        )
    ]
    set_stock(env, scarce, units)
    initial = dict(sql(env, "SELECT id, stock FROM products_variant"))
    products = [row[0] for row in sql(env, "SELECT id FROM products_product WHERE is_active ORDER BY id LIMIT 300")]

    web_port = free_port()
    env["SITE_URL"] = f"http://127.0.0.1:{web_port}"  # where Chapa's callbacks come back
    sandbox_process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "payments.sandbox",
            "--port",
            str(sandbox_port),
            "--webhook-secret",
            WEBHOOK_SECRET,
            "--webhook-url",
            f"{env['SITE_URL']}/api/payments/webhook/",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    sms_process = subprocess.Popen(
        [PYTHON, "-m", "ecommerce.outbox.sms_sandbox", "--port", str(sms_port), "--token", SMS_TOKEN],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Server(env, args.workers, port=web_port)
    stats = Stats()
    staff_token = requests.post(
        server.base + "/api/auth/login/", json={"username": "loadstaff", "password": staff_password}, timeout=60
    ).json()["access"]
    stop_at = [0.0]
    start = threading.Barrier(args.users, action=lambda: stop_at.__setitem__(0, time.perf_counter() + args.duration))
    guests = round(args.users * args.guests)
    print(
        f"{args.users - guests} customers sign up and {guests} shop as guests who sign in by SMS code, "
        f"for {args.duration:.0f}s against {server.base} …",
        flush=True,
    )
    threads = [
        threading.Thread(
            target=customer,
            args=(
                server.base,
                f"http://127.0.0.1:{sandbox_port}",
                f"http://127.0.0.1:{sms_port}",
                staff_token,
                products,
                scarce,
                start,
                stop_at,
                stats,
                random.Random(n),
                n < guests,
            ),
        )
        for n in range(args.users)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    server.stop()
    sandbox_process.terminate()
    sms_process.terminate()

    total = sum(stats.statuses.values())
    statuses = dict(sorted(stats.statuses.items()))
    print(f"\n{total} requests in {elapsed:.1f}s = {total / elapsed:.1f} req/s; statuses {statuses}")
    print(f"{'request':10} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind, values in sorted(stats.latencies.items()):
        values.sort()
        print(
            f"{kind:10} {len(values):>7} {percentile(values, 50):>8.1f} {percentile(values, 95):>8.1f} "
            f"{percentile(values, 99):>8.1f}"
        )
    print(f"events: {dict(sorted(stats.events.items()))}")
    sold = {
        vid: initial[vid] - stock
        for vid, stock in sql(env, f"SELECT id, stock FROM products_variant WHERE id IN ({','.join(map(str, scarce))})")
    }
    print(f"units of the {len(scarce)} scarce variants held by orders: {sum(sold.values())} of {units * len(scarce)}")
    problems = stats.server_errors + check_books(env, initial) + check_guests(env, stats) + check_refund_books(env)
    if problems:
        print("\nPROBLEMS:\n" + "\n".join(problems[:50]))
        sys.exit(1)
    print(
        "books balance: no 5xx, no variant oversold, the ledger adds up, every paid order confirmed once, "
        "every total is its lines - discount + delivery, the money applied is the money of paid orders; "
        f"{len(stats.guest_phones)} guests signed in by code, each a new account, one account per phone, "
        "no guest cart left behind"
    )
    print(
        "refunds balance: every order's refunded amount is its refunds that went through and at most its total, "
        "paid - refunded = kept per order and in total, returned units back in stock once"
    )


if __name__ == "__main__":
    main()
