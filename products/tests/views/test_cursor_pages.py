"""Cursor pages (`?cursor=`) and the list's count, counted once per catalog version."""

from decimal import Decimal

import pytest
from django.core import signing
from django.urls import reverse

from categories.tests.factories import CategoryFactory
from ecommerce.common.pagination import KeysetCursorPagination
from products.services import product_delete, product_update
from products.tests.factories import ProductFactory, gallery_queries, page_queries

pytestmark = pytest.mark.django_db

LIST = reverse("products:list")


def walk(client, params: dict, link: str = "next") -> list[int]:
    """Every product id, page after page, following the `link` links."""
    response = client.get(LIST, params)
    seen = []
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        seen += [item["id"] for item in body["results"]]
        if body[link] is None:
            return seen
        response = client.get(body[link])


class TestCursorPages:
    @pytest.mark.parametrize("ordering", [None, "price", "-price", "title", "-title", "created_at", "rating_avg"])
    def test_walks_every_product_once_in_the_pages_order(self, api_client, ordering):
        category = CategoryFactory()
        # Equal prices and ratings: ties are broken by the primary key, never skipped or repeated.
        for n in range(13):
            ProductFactory(category=category, price=Decimal(100 + n % 3), title=f"T{n % 4}")
        ProductFactory(is_active=False)
        params = {"cursor": "", "page_size": 4} | ({"ordering": ordering} if ordering else {})
        by_pages = walk(api_client, params)
        numbered = api_client.get(LIST, {"page_size": 100} | ({"ordering": ordering} if ordering else {})).json()
        assert sorted(by_pages) == sorted(item["id"] for item in numbered["results"])
        assert len(by_pages) == len(set(by_pages)) == 13
        field = (ordering or "-created_at").lstrip("-")
        values = [api_client.get(reverse("products:detail", args=[pk])).json()[field] for pk in by_pages]
        key = (lambda v: Decimal(v)) if field in ("price", "rating_avg") else str
        assert [key(v) for v in values] == sorted(map(key, values), reverse=(ordering or "-").startswith("-"))

    def test_previous_links_walk_back_to_the_first_page(self, api_client):
        ProductFactory.create_batch(9)
        forwards = []
        body = api_client.get(LIST, {"cursor": "", "page_size": 4}).json()
        assert body["previous"] is None
        pages = [body["results"]]
        while body["next"]:
            body = api_client.get(body["next"]).json()
            pages.append(body["results"])
        forwards = [[item["id"] for item in page] for page in pages]
        backwards = [[item["id"] for item in body["results"]]]
        while body["previous"]:
            body = api_client.get(body["previous"]).json()
            backwards.append([item["id"] for item in body["results"]])
        assert backwards == forwards[::-1]

    def test_a_page_costs_the_same_queries_at_any_depth(self, api_client, django_assert_num_queries):
        ProductFactory.create_batch(12)
        body = api_client.get(LIST, {"cursor": "", "page_size": 2}).json()
        for _ in range(4):
            with django_assert_num_queries(1 + gallery_queries()):  # the page, its variants and images: never a count
                body = api_client.get(body["next"]).json()

    @pytest.mark.parametrize(
        "cursor",
        [
            "garbage",
            signing.dumps({"f": "created_at", "d": True, "v": ["x", "1"], "b": False}, salt="another salt"),
            signing.dumps({"f": "price", "d": True, "v": ["1", "1"], "b": False}, salt=KeysetCursorPagination.salt),
            signing.dumps({"f": "created_at", "d": True, "v": ["soon", "1"], "b": False}, salt="x"),
        ],
    )
    def test_a_tampered_or_foreign_cursor_is_a_400(self, api_client, cursor):
        ProductFactory()
        response = api_client.get(LIST, {"cursor": cursor})
        assert response.status_code == 400
        assert "cursor" in response.json()

    def test_a_cursor_of_another_ordering_is_a_400(self, api_client):
        ProductFactory.create_batch(3)
        next_link = api_client.get(LIST, {"cursor": "", "page_size": 1, "ordering": "price"}).json()["next"]
        cursor = next_link.split("cursor=")[1].split("&")[0]
        assert api_client.get(LIST, {"cursor": cursor, "ordering": "title"}).status_code == 400


class TestListCount:
    def test_counted_once_per_catalog_version_and_filter_set(
        self, api_client, django_assert_num_queries, django_capture_on_commit_callbacks
    ):
        category = CategoryFactory()
        products = ProductFactory.create_batch(5, category=category)
        assert api_client.get(LIST, {"page_size": 2}).json()["count"] == 5
        with django_assert_num_queries(page_queries()):  # page 2: the count is known
            assert api_client.get(LIST, {"page_size": 2, "page": 2}).json()["count"] == 5
        with django_assert_num_queries(1 + page_queries()):  # another filter set is counted
            assert api_client.get(LIST, {"category__id": category.pk}).json()["count"] == 5
        with django_capture_on_commit_callbacks(execute=True):  # the new catalog version
            product_update(product=products[0], data={"is_active": False})
        assert api_client.get(LIST, {"page_size": 2, "page": 2}).json()["count"] == 4


class TestCategoryCounts:
    def counts(self, *categories) -> list[int]:
        for category in categories:
            category.refresh_from_db()
        return [category.product_count for category in categories]

    def test_kept_by_create_update_and_delete(self, api_client):
        books, art = CategoryFactory(), CategoryFactory()
        first, second = ProductFactory.create_batch(2, category=books)
        ProductFactory(category=books, is_active=False)
        assert self.counts(books, art) == [2, 0]
        product_update(product=first, data={"category": art})
        assert self.counts(books, art) == [1, 1]
        product_update(product=second, data={"is_active": False})
        assert self.counts(books, art) == [0, 1]
        product_update(product=second, data={"title": "Renamed"})
        assert self.counts(books, art) == [0, 1]
        product_delete(product=first)
        assert self.counts(books, art) == [0, 0]
