"""Read replicas against real PostgreSQL streaming replication, and the outage of the primary.

The test's primary is a throwaway cluster of its own (initdb in a temporary directory), with a
streaming replica made from it by `pg_basebackup -R`: the primary is then really stopped in the
outage test, which the machine's shared cluster (other test runs use it) never may be. The shop
runs under gunicorn, configured only by DATABASE_URL and DATABASE_REPLICA_URLS.
"""

import contextlib
import shutil
import time

import pytest
import requests

from ecommerce.common.tests.processes import (
    PostgresCluster,
    ShopServer,
    manage,
    postgres_root,
    require_postgres_binaries,
    shop_env,
)

STAFF = {"username": "replica-staff", "password": "Replica-Staff-2026"}


@pytest.fixture(scope="module")
def clusters():
    require_postgres_binaries()
    root = postgres_root()
    primary = PostgresCluster(root, "primary").init()
    primary.start()
    replica = None
    try:
        primary.sql("CREATE DATABASE shop")
        env = shop_env(DATABASE_URL=primary.url("shop"))
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo")
        manage(
            {**env, "DJANGO_SUPERUSER_USERNAME": STAFF["username"], "DJANGO_SUPERUSER_PASSWORD": STAFF["password"]}
            | {"DJANGO_SUPERUSER_EMAIL": "replica-staff@shop.test"},
            "createsuperuser",
            "--noinput",
        )
        replica = PostgresCluster(root, "replica").replica_of(primary)
        replica.start()
        yield primary, replica
    finally:
        for cluster in (replica, primary):
            if cluster is not None:
                with contextlib.suppress(RuntimeError):  # already stopped by the test
                    cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def shop(clusters):
    primary, replica = clusters
    server = ShopServer(
        shop_env(
            DATABASE_URL=primary.url("shop"),
            DATABASE_REPLICA_URLS=replica.url("shop"),
            # Short enough that the test sees misses served by the replica, long enough to
            # show hits while the primary is down.
            CATALOG_CACHE_SECONDS="2",
            DB_CONN_MAX_AGE="0",
        )
    )
    yield server
    server.stop()


def wait_until(condition, what: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def caught_up(primary, replica) -> bool:
    (lsn,) = primary.sql("SELECT pg_current_wal_lsn()")[0]
    return replica.sql(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn")[0][0]


def session_for(shop, username: str, password: str) -> requests.Session:
    session = requests.Session()
    token = session.post(f"{shop.url}/api/auth/login/", json={"username": username, "password": password}, timeout=10)
    session.headers["Authorization"] = f"Bearer {token.json()['access']}"
    return session


def customer(shop) -> requests.Session:
    name = f"buyer{time.monotonic_ns()}"
    password = "Buyer-Pass-2026"
    requests.post(
        f"{shop.url}/api/auth/register/",
        json={"username": name, "email": f"{name}@shop.test", "password": password},
        timeout=10,
    ).raise_for_status()
    session = session_for(shop, name, password)
    address = session.post(
        f"{shop.url}/api/addresses/",
        json={"full_name": "Replica Buyer", "phone": "0911000000", "line1": "Bole Road", "city": "Addis Ababa"},
        timeout=10,
    )
    session.address_id = address.json()["id"]
    return session


def a_product(shop) -> dict:
    products = requests.get(f"{shop.url}/api/products/", params={"in_stock": "true"}, timeout=10).json()["results"]
    return next(p for p in products if len(p["variants"]) == 1)


def title_seen(shop, product_id: int, session=None) -> str:
    response = (session or requests).get(f"{shop.url}/api/products/{product_id}/", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["title"]


def test_public_reads_come_from_the_replica_and_writes_and_staff_from_the_primary(clusters, shop):
    primary, replica = clusters
    staff, buyer = session_for(shop, **STAFF), customer(shop)
    product = a_product(shop)
    wait_until(lambda: caught_up(primary, replica), "the replica to catch up")
    replica.sql("SELECT pg_wal_replay_pause()")
    try:
        edited = staff.patch(f"{shop.url}/api/products/{product['id']}/", json={"title": "Edited on the primary"})
        assert edited.status_code == 200, edited.text
        time.sleep(2.1)  # any cached page of the old catalog version has expired

        assert title_seen(shop, product["id"], staff) == "Edited on the primary"  # staff: the primary
        assert title_seen(shop, product["id"]) == product["title"]  # the public: the paused replica
        assert title_seen(shop, product["id"], buyer) == product["title"]
        listed = requests.get(f"{shop.url}/api/products/", params={"search": "Edited"}, timeout=10).json()
        assert listed["count"] == 0

        # Checkout reads and locks on the primary: it sees the product as it is now.
        line = {"variant_id": product["variants"][0]["id"], "quantity": 1}
        added = buyer.post(f"{shop.url}/api/cart/add/", json=line)
        assert added.status_code in (200, 201), added.text
        order = buyer.post(
            f"{shop.url}/api/orders/create/",
            json={"shipping_address_id": buyer.address_id, "delivery_method": "pickup-bole"},
        )
        assert order.status_code == 201, order.text
        assert order.json()["items"][0]["product_title"] == "Edited on the primary"
        assert [o["id"] for o in buyer.get(f"{shop.url}/api/orders/").json()["results"]] == [order.json()["id"]]
        # ... and so do staff: the new order's stock movement is there at once.
        ledger = staff.get(f"{shop.url}/api/products/{product['id']}/stock-movements/").json()["results"]
        assert ledger[0]["reason"] == "checkout" and ledger[0]["order_id"] == order.json()["id"]
    finally:
        replica.sql("SELECT pg_wal_replay_resume()")
    wait_until(lambda: title_seen(shop, product["id"]) == "Edited on the primary", "the replica to replay the edit")


def test_with_the_primary_down_the_catalog_answers_and_writes_are_a_503(clusters, shop):
    primary, replica = clusters
    staff, buyer = session_for(shop, **STAFF), customer(shop)
    product = a_product(shop)
    orders_before = primary.sql("SELECT count(*) FROM orders_order", "shop")[0][0]
    cart_lines_before = primary.sql("SELECT count(*) FROM cart_cartitem", "shop")[0][0]
    wait_until(lambda: caught_up(primary, replica), "the replica to catch up")
    assert requests.get(f"{shop.url}/api/products/", timeout=10).status_code == 200  # cached now

    primary.stop()
    try:
        for path in ("/api/products/", f"/api/products/{product['id']}/", "/api/categories/", "/api/products/?page=1"):
            response = requests.get(f"{shop.url}{path}", timeout=10)
            assert response.status_code == 200, (path, response.text)
        assert title_seen(shop, product["id"]) == product["title"]  # a miss: read from the replica

        for session, method, path, body in (
            (buyer, "post", "/api/cart/add/", {"variant_id": product["variants"][0]["id"], "quantity": 1}),
            (
                buyer,
                "post",
                "/api/orders/create/",
                {"shipping_address_id": buyer.address_id, "delivery_method": "pickup-bole"},
            ),
            (staff, "patch", f"/api/products/{product['id']}/", {"title": "Never written"}),
        ):
            response = getattr(session, method)(f"{shop.url}{path}", json=body, timeout=20)
            assert response.status_code == 503, (path, response.status_code, response.text)
            assert response.headers["Retry-After"]
            assert response.json()["code"] == "service_unavailable"
    finally:
        primary.start()

    # Nothing half-written: no order, no cart line, no edit.
    assert primary.sql("SELECT count(*) FROM orders_order", "shop")[0][0] == orders_before
    assert primary.sql("SELECT count(*) FROM cart_cartitem", "shop")[0][0] == cart_lines_before
    assert title_seen(shop, product["id"], staff) == product["title"]
