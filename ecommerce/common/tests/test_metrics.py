"""/metrics: Prometheus text behind METRICS_TOKEN, invisible (404) to everyone else."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from celery.signals import task_success
from django.urls import reverse

from addresses.tests.factories import AddressFactory
from cart.services import cart_item_add
from ecommerce.common.tests.processes import ShopServer, shared_database_url, shop_env
from orders.tests.factories import place_order
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
URL = reverse("metrics")
TOKEN = "metrics-token-for-tests-0123456789"


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client) -> str:
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def sample(text: str, name: str, **labels) -> float:
    """The value of one sample in the exposition text (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    for line in text.splitlines():
        if line.startswith(f"{name}{{") and all(part in line for part in wanted.split(",")):
            return float(line.rsplit(" ", 1)[1])
        if not labels and line.startswith(f"{name} "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def grew(before: str, after: str, name: str, **labels) -> float:
    return sample(after, name, **labels) - sample(before, name, **labels)


def test_without_a_token_set_it_does_not_exist(client, settings):
    settings.METRICS_TOKEN = None
    assert client.get(URL).status_code == 404
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Token {TOKEN}", TOKEN, f"Bearer {TOKEN}x"])
def test_a_missing_or_wrong_token_is_a_404(client, metrics_token, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    assert client.get(URL, **extra).status_code == 404


def test_requests_by_view_and_status_with_latency_and_query_times(client, api_client, metrics_token):
    product = ProductFactory()
    before = scrape(client)
    api_client.get(reverse("products:detail", args=[product.pk]))
    api_client.get(reverse("products:detail", args=[product.pk + 1000]))
    text = scrape(client)
    for status in ("200", "404"):
        labels = {"view": "products:detail", "method": "GET", "status": status}
        assert (
            sample(text, "shop_http_requests_total", **labels)
            == sample(before, "shop_http_requests_total", **labels) + 1
        )
    assert sample(text, "shop_http_request_duration_seconds_count", view="products:detail") >= 2
    assert sample(text, "shop_db_query_duration_seconds_count", alias="default") > 0
    assert grew(before, text, "shop_catalog_cache_lookup_duration_seconds_count", result="miss") == 2


def test_checkouts_payments_orders_outbox_and_tasks(client, auth_client, user, metrics_token):
    before = scrape(client)
    product = ProductFactory(stock=1)
    address = AddressFactory(user=user)
    cart_item_add(user=user, product_id=product.pk, quantity=1)
    assert auth_client.post(reverse("orders:create"), {"shipping_address_id": address.pk}).status_code == 201
    place_order(user=user)
    task_success.send(sender=type("Task", (), {"name": "ecommerce.outbox.tasks.outbox_flush"})())
    text = scrape(client)
    assert (
        sample(text, "shop_checkouts_total", outcome="placed")
        == sample(before, "shop_checkouts_total", outcome="placed") + 1
    )
    assert sample(text, "shop_orders", status="pending") == 2
    assert "# TYPE shop_payments gauge" in text
    assert 'shop_outbox_backlog{channel="email"}' in text and 'shop_outbox_backlog{channel="sms"}' in text
    task = {"task": "ecommerce.outbox.tasks.outbox_flush", "outcome": "success"}
    assert grew(before, text, "shop_celery_tasks_total", **task) == 1


def test_gunicorn_workers_are_summed_in_multiprocess_mode(transactional_db, postgres, tmp_path):
    """The container's gunicorn config: every worker's requests show in one scrape, those of
    workers already recycled (after 10 requests each) included."""
    env = shop_env(
        DATABASE_URL=shared_database_url(), METRICS_TOKEN=TOKEN, PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics")
    )
    recycled = ("--access-logfile", "-", "--max-requests", "10", "--max-requests-jitter", "0")
    server = ShopServer(env, workers=3, args=("--config", "docker/gunicorn.conf.py", *recycled))
    try:
        with ThreadPoolExecutor(12) as pool:  # at once, on new connections: spread over the workers
            statuses = list(pool.map(lambda _: requests.get(f"{server.url}/health/ready/").status_code, range(60)))
        assert set(statuses) == {200}
        assert requests.get(f"{server.url}/metrics").status_code == 404
        text = requests.get(f"{server.url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text
    finally:
        server.stop()
    # whichever worker answered them
    assert sample(text, "shop_http_requests_total", view="health-ready", method="GET", status="200") == 60
    assert len(list((tmp_path / "metrics").glob("counter_*.db"))) >= 6  # 60 requests, 10 per process


def test_label_values_come_from_a_fixed_set(client, auth_client, metrics_token):
    # given methods and a path a client made up, and a checkout body with a field named like its code
    invented = ["FOO", "PROPFIND", "X" * 200]
    before = scrape(client)

    # when they are sent
    for method in invented:
        assert client.generic(method, reverse("health")).status_code == 405
    assert client.get("/made-up-path/").status_code == 404
    auth_client.post(reverse("orders:create"), {"code": "made-up"}, format="json")

    # then they all count in one "other" series, and nothing a client wrote became a label value
    text = scrape(client)
    assert grew(before, text, "shop_http_requests_total", view="health", method="other", status="405") == 3
    assert not any(f'"{method}"' in text for method in invented)
    assert grew(before, text, "shop_checkouts_total", outcome="http_400") == 1
    assert grew(before, text, "shop_http_requests_total", view="unresolved", method="GET", status="404") == 1
    assert "made-up" not in text and "ErrorDetail" not in text
