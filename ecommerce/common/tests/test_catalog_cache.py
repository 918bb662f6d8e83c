"""The catalog response cache: hits, invalidation from every write path, staff isolation, and
failing open when Redis goes away."""

import os
import shutil
import subprocess
import sys
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from categories.tests.factories import CategoryFactory
from conftest import client_for, skip_or_fail
from ecommerce.common.tests.admin_forms import form_data
from ecommerce.common.tests.processes import free_port, shared_database_url
from products.models import Product, ProductImage
from products.tests.factories import ProductFactory, default_variant, product_with_sizes
from reviews.tests.factories import buy
from users.tests.factories import UserFactory

LIST = reverse("products:list")
CATEGORIES = reverse("categories:list")


def detail(product):
    return reverse("products:detail", args=[product.pk])


def variant_url(product, variant):
    return reverse("products:variant-detail", args=[product.pk, variant.pk])


@pytest.fixture
def commit_hooks(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (the invalidation) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.django_db
class TestCatalogCache:
    def test_second_read_is_a_hit_without_queries(self, api_client, django_assert_num_queries):
        ProductFactory.create_batch(3)
        first = api_client.get(LIST, {"ordering": "price"})
        assert first["X-Cache"] == "MISS"
        with django_assert_num_queries(0):
            second = api_client.get(LIST, {"ordering": "price"})
        assert second["X-Cache"] == "HIT"
        assert second.content == first.content
        assert second.json()["count"] == 3

    def test_key_is_the_normalised_query(self, api_client):
        ProductFactory()
        api_client.get(LIST, {"ordering": "price", "page_size": 5})
        assert api_client.get(f"{LIST}?page_size=5&ordering=price")["X-Cache"] == "HIT"
        assert api_client.get(f"{LIST}?page_size=5&ordering=price&utm_source=x")["X-Cache"] == "HIT"
        assert api_client.get(LIST, {"ordering": "-price", "page_size": 5})["X-Cache"] == "MISS"

    def test_links_name_only_the_parameters_of_the_key(self, api_client):
        # Finding 16: the first requester's junk must not reach everyone served from the cache.
        ProductFactory.create_batch(3)
        first = api_client.get(f"{LIST}?page_size=1&ordering=price&utm_source=evil%3Cscript%3E")
        assert first["X-Cache"] == "MISS"
        assert "utm_source" not in first.json()["next"] and "evil" not in first.content.decode()
        second = api_client.get(f"{LIST}?ordering=price&page_size=1")
        assert second["X-Cache"] == "HIT"
        assert second.json()["next"] == "http://testserver/api/products/?ordering=price&page=2&page_size=1"

    def test_a_new_review_is_visible_on_the_next_read(self, api_client, commit_hooks):
        # Finding 15: a rating is not stock; it may not lag for the cache's whole TTL.
        product = ProductFactory()
        buyer = UserFactory()
        buy(user=buyer, product=product)
        assert api_client.get(detail(product)).json()["review_count"] == 0
        assert api_client.get(LIST).json()["results"][0]["rating_avg"] == "0.00"
        with commit_hooks():
            response = client_for(buyer).post(reverse("reviews:list"), {"product": product.pk, "rating": 4})
        assert response.status_code == 201
        assert api_client.get(detail(product)).json()["review_count"] == 1
        assert api_client.get(LIST).json()["results"][0]["rating_avg"] == "4.00"

    def test_errors_are_not_cached(self, api_client):
        assert api_client.get(LIST, {"min_price": "abc"}).status_code == 400
        assert api_client.get(detail(Product(pk=999999))).status_code == 404
        assert api_client.get(LIST, {"min_price": "abc"}).status_code == 400

    def test_detail_and_categories_are_cached(self, api_client):
        product = ProductFactory()
        for url in (detail(product), CATEGORIES):
            assert api_client.get(url)["X-Cache"] == "MISS"
            assert api_client.get(url)["X-Cache"] == "HIT"

    def test_api_edit_makes_the_next_read_fresh(self, api_client, staff_client, commit_hooks):
        product = ProductFactory(title="Old title", price=Decimal("10.00"))
        api_client.get(detail(product))
        api_client.get(LIST)
        with commit_hooks():
            assert staff_client.patch(detail(product), {"title": "New title"}).status_code == 200
        assert api_client.get(detail(product)).json()["title"] == "New title"
        assert api_client.get(LIST).json()["results"][0]["title"] == "New title"

    def test_admin_edit_makes_the_next_read_fresh(self, api_client, staff, commit_hooks):
        product = ProductFactory(price=Decimal("10.00"))
        api_client.get(detail(product))
        admin = Client()
        staff.is_superuser = True
        staff.save()
        admin.force_login(staff)
        url = reverse("admin:products_product_change", args=[product.pk])
        shown = form_data(admin.get(url).content.decode(), "product_form")
        with commit_hooks():
            response = admin.post(url, shown | {"base_price": "99.00"})
        assert response.status_code == 302, response.content
        assert api_client.get(detail(product)).json()["price"] == "99.00"

    def test_category_rename_and_deletes_refresh_listings(self, api_client, staff_client, commit_hooks):
        category = CategoryFactory(name="Coffee")
        product = ProductFactory(category=category)
        api_client.get(LIST)
        api_client.get(CATEGORIES)
        with commit_hooks():
            staff_client.patch(reverse("categories:detail", args=[category.pk]), {"name": "Buna"})
        assert api_client.get(LIST).json()["results"][0]["category"]["name"] == "Buna"
        assert api_client.get(CATEGORIES).json()["results"][0]["name"] == "Buna"
        with commit_hooks():
            staff_client.delete(detail(product))
        assert api_client.get(LIST).json()["count"] == 0
        assert api_client.get(detail(product)).status_code == 404

    def test_variant_changes_are_visible_on_the_next_read(self, api_client, staff_client, commit_hooks):
        # Issue 22, defect 1: the product's totals are recounted by a queryset update (no signal).
        # given a product in two sizes, read (and cached) by the public
        product = product_with_sizes(sizes=("S", "M"), stock=5, price=Decimal("100.00"))
        small, medium = product.variants.order_by("pk")

        def public_view():
            shown = api_client.get(detail(product)).json()
            listed = api_client.get(LIST).json()["results"][0]
            return shown, listed

        public_view()
        assert api_client.get(detail(product))["X-Cache"] == "HIT"
        assert api_client.get(LIST)["X-Cache"] == "HIT"

        # when staff give the small size a price of its own
        with commit_hooks():
            response = staff_client.patch(variant_url(product, small), {"price": "80.00"}, format="json")
        assert response.status_code == 200, response.content
        # then the next read shows it
        shown, listed = public_view()
        assert [v["price"] for v in shown["variants"]] == ["80.00", "100.00"]
        assert (listed["price"], listed["price_max"]) == ("80.00", "100.00")

        # when they deactivate the medium size, it is no longer offered, nor its stock counted
        with commit_hooks():
            response = staff_client.patch(variant_url(product, medium), {"is_active": False}, format="json")
        assert response.status_code == 200, response.content
        shown, listed = public_view()
        assert [v["sku"] for v in shown["variants"]] == [small.sku]
        assert (shown["stock"], listed["stock"], listed["price_max"]) == (5, 5, "80.00")

        # when they add a size, it is offered on the next read
        sizes = [{"name": "Size", "values": ["S", "M", "L"]}]
        with commit_hooks():
            assert staff_client.patch(detail(product), {"options": sizes}, format="json").status_code == 200
        public_view()
        with commit_hooks():
            response = staff_client.post(
                reverse("products:variants", args=[product.pk]),
                {"sku": "BIG", "options": {"Size": "L"}, "price": "120.00", "stock": 2},
                format="json",
            )
        assert response.status_code == 201, response.content
        shown, listed = public_view()
        assert [v["sku"] for v in shown["variants"]] == [small.sku, "BIG"]
        assert (listed["price_max"], listed["stock"]) == ("120.00", 7)

        # when they delete the small size, it is gone on the next read
        with commit_hooks():
            assert staff_client.delete(variant_url(product, small)).status_code == 204
        shown, listed = public_view()
        assert [v["sku"] for v in shown["variants"]] == ["BIG"]
        assert (listed["price"], listed["stock"]) == ("120.00", 2)

    def test_a_staff_stock_adjustment_is_visible_on_the_next_read(self, api_client, staff_client, commit_hooks):
        product = ProductFactory(stock=0)
        variant = default_variant(product)
        assert api_client.get(detail(product)).json()["in_stock"] is False
        with commit_hooks():
            response = staff_client.post(
                reverse("products:variant-stock", args=[product.pk, variant.pk]),
                {"delta": 4, "reason": "restock"},
                format="json",
            )
        assert response.status_code == 200, response.content
        shown = api_client.get(detail(product)).json()
        assert (shown["in_stock"], shown["stock"], shown["variants"][0]["stock"]) == (True, 4, 4)

    def test_an_answer_is_cached_for_the_scheme_and_host_it_was_built_for(self, api_client):
        # Image addresses are absolute, built from the request: the key holds scheme and host.
        product = ProductFactory()
        ProductImage.objects.create(product=product, file="products/a.jpg", width=4, height=3)
        origins = [("http", "testserver"), ("http", "localhost"), ("https", "localhost"), ("http", "testserver")]
        answers = [
            api_client.get(detail(product), secure=scheme == "https", HTTP_HOST=host) for scheme, host in origins
        ]
        assert [a.json()["image"]["url"] for a in answers] == [f"{s}://{h}/media/products/a.jpg" for s, h in origins]
        assert [a["X-Cache"] for a in answers] == ["MISS", "MISS", "MISS", "HIT"]

    def test_staff_and_public_never_share_entries(self, api_client, staff_client):
        ProductFactory(title="Hidden", is_active=False)
        ProductFactory(title="Visible")
        staff_view = staff_client.get(LIST)
        assert staff_view.json()["count"] == 2 and "X-Cache" not in staff_view
        public = api_client.get(LIST)
        assert [p["title"] for p in public.json()["results"]] == ["Visible"]
        assert staff_client.get(LIST).json()["count"] == 2  # staff never read the public entry

    def test_cache_can_be_turned_off(self, api_client, settings):
        settings.CATALOG_CACHE_SECONDS = 0
        ProductFactory()
        api_client.get(LIST)
        assert "X-Cache" not in api_client.get(LIST)


@pytest.mark.django_db(transaction=True)
def test_a_change_from_another_process_reaches_this_one(postgres, api_client):
    """Another server instance (here: `manage.py shell` in its own process) edits a product;
    this instance's next read is fresh. The version lives in the shared Redis."""
    if "django_redis" not in settings.CACHES["default"]["BACKEND"]:
        skip_or_fail("needs Redis: set REDIS_URL=redis://...")
    product = ProductFactory(title="Before")
    assert api_client.get(detail(product)).json()["title"] == "Before"
    assert api_client.get(detail(product))["X-Cache"] == "HIT"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecommerce.settings.local",
        "DATABASE_URL": shared_database_url(),
    }
    code = f"from products.models import Product; p = Product.objects.get(pk={product.pk}); p.title = 'After'; p.save()"
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert api_client.get(detail(product)).json()["title"] == "After"


@pytest.fixture
def own_redis(settings, tmp_path):
    """A Redis server process of this test's own, which the test may kill."""
    binary = shutil.which("redis-server")
    if binary is None:
        skip_or_fail("needs redis-server installed")
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    settings.DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    from django.core.cache import cache

    deadline = time.monotonic() + 10
    while True:
        try:
            cache.set("ping", 1)
            if cache.get("ping") == 1:
                break
        except Exception:
            pass
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.05)
    yield process
    process.kill()
    process.wait()


@pytest.mark.django_db
def test_api_still_answers_when_redis_dies(own_redis, api_client, staff_client, django_capture_on_commit_callbacks):
    product = ProductFactory(title="Served from the database")
    assert api_client.get(LIST)["X-Cache"] == "MISS"
    assert api_client.get(LIST)["X-Cache"] == "HIT"

    own_redis.kill()
    own_redis.wait()

    started = time.monotonic()
    for url in (LIST, detail(product), CATEGORIES):
        response = api_client.get(url)
        assert response.status_code == 200, url
    assert api_client.get(LIST).json()["results"][0]["title"] == "Served from the database"
    with django_capture_on_commit_callbacks(execute=True):  # a write, and its failed invalidation
        assert staff_client.patch(detail(product), {"title": "Renamed"}).status_code == 200
    assert time.monotonic() - started < 10  # each Redis call gives up after its short timeout
    assert Product.objects.get(pk=product.pk).title == "Renamed"
