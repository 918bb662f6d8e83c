"""The shop through a real PgBouncer in transaction pooling mode (as docker-compose runs it):
three gunicorn workers share one server connection, so anything that needs a session (a
server-side cursor, a prepared statement, a SET) would fail or leak here."""

import shutil

import pytest
import requests

from ecommerce.common.tests.processes import (
    PgBouncer,
    PostgresCluster,
    ShopServer,
    manage,
    postgres_root,
    require_postgres_binaries,
    shop_env,
)


@pytest.fixture(scope="module")
def bounced_shop():
    from conftest import skip_or_fail

    require_postgres_binaries()
    if not PgBouncer.BINARY.exists():
        skip_or_fail("needs pgbouncer (Debian package pgbouncer)")
    root = postgres_root()
    primary = PostgresCluster(root, "primary").init()
    primary.start()
    bouncer = server = None
    try:
        primary.sql("CREATE DATABASE shop")
        manage(shop_env(DATABASE_URL=primary.url("shop")), "migrate", "--noinput", "-v0")
        bouncer = PgBouncer(root, primary, database="shop", pool_size=1)
        env = shop_env(DATABASE_URL=bouncer.url("shop"), DB_CONN_MAX_AGE="60", CATALOG_CACHE_SECONDS="0")
        manage(env, "seed_demo", "--products", "30", "--variants", "2")  # bulk writes through the pool
        server = ShopServer(env, workers=3)
        yield server, bouncer
    finally:
        for process in (server, bouncer, primary):
            if process is not None:
                process.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_the_shop_works_through_transaction_pooling(bounced_shop):
    shop, bouncer = bounced_shop
    (pool,) = [row for row in bouncer.show("POOLS") if row["database"] == "shop"]
    assert pool["pool_mode"] == "transaction"

    session = requests.Session()
    name, password = "bounced", "Bounced-Pass-2026"
    assert session.post(
        f"{shop.url}/api/auth/register/", json={"username": name, "email": f"{name}@shop.test", "password": password}
    ).ok
    token = session.post(f"{shop.url}/api/auth/login/", json={"username": name, "password": password}).json()
    session.headers["Authorization"] = f"Bearer {token['access']}"
    address = session.post(
        f"{shop.url}/api/addresses/",
        json={"full_name": "Bounced Buyer", "phone": "0911000000", "line1": "Bole Road", "city": "Addis Ababa"},
    ).json()["id"]
    for _ in range(3):  # every request again, so each worker has had its turn on the one connection
        products = requests.get(f"{shop.url}/api/products/", params={"in_stock": "true", "page_size": 5}).json()
        assert products["count"] > 0
        first = requests.get(f"{shop.url}/api/products/", params={"cursor": "", "page_size": 5}).json()
        assert requests.get(first["next"]).status_code == 200
        assert requests.get(f"{shop.url}/api/categories/").status_code == 200
        variant = products["results"][0]["variants"][0]["id"]
        assert session.post(f"{shop.url}/api/cart/add/", json={"variant_id": variant, "quantity": 1}).ok
        order = session.post(
            f"{shop.url}/api/orders/create/", json={"shipping_address_id": address, "delivery_method": "pickup-bole"}
        )
        assert order.status_code == 201, order.text
        assert order.json()["created_at"].endswith("Z")  # the session's time zone was never needed
    assert len(session.get(f"{shop.url}/api/orders/").json()["results"]) == 3

    clients = sum(int(row["cl_active"]) + int(row["cl_waiting"]) for row in bouncer.show("POOLS"))
    servers = [row for row in bouncer.show("SERVERS") if row["database"] == "shop"]
    assert len(servers) == 1 and clients >= 2  # several workers, one server connection
