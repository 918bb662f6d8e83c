from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from categories.tests.factories import CategoryFactory
from products.models import Product
from products.tests.factories import ProductFactory, default_variant, page_queries, product_with_sizes

pytestmark = pytest.mark.django_db

LIST = reverse("products:list")


def detail(pk):
    return reverse("products:detail", args=[pk])


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


class TestProductRead:
    def test_detail_shape(self, api_client):
        product = ProductFactory(title="Jebena", slug="jebena", price=Decimal("650.00"), stock=3, description="Clay")
        response = api_client.get(detail(product.pk))
        assert response.status_code == 200
        body = response.json()
        assert body == {
            "id": product.pk,
            "title": "Jebena",
            "slug": "jebena",
            "description": "Clay",
            "price": "650.00",
            "price_max": "650.00",
            "currency": "ETB",
            "category": {"id": product.category.pk, "name": product.category.name, "slug": product.category.slug},
            "stock": 3,
            "in_stock": True,
            "is_active": True,
            "rating_avg": "0.00",
            "review_count": 0,
            "image": None,
            "images": [],
            "options": [],
            "variants": [
                {
                    "id": default_variant(product).pk,
                    "sku": f"SKU-{product.pk}",
                    "options": {},
                    "price": "650.00",
                    "stock": 3,
                    "in_stock": True,
                    "is_active": True,
                }
            ],
            "created_at": body["created_at"],
            "updated_at": body["updated_at"],
        }
        assert body["created_at"].endswith("Z")

    def test_inactive_product_is_hidden_from_customers_but_not_staff(self, api_client, auth_client, staff_client):
        hidden = ProductFactory(is_active=False)
        ProductFactory()
        assert api_client.get(detail(hidden.pk)).status_code == 404
        assert auth_client.get(detail(hidden.pk)).status_code == 404
        assert api_client.get(LIST).json()["count"] == 1
        assert staff_client.get(detail(hidden.pk)).status_code == 200
        assert staff_client.get(LIST).json()["count"] == 2

    @pytest.mark.parametrize("page_size", [5, 50])
    def test_list_query_count_does_not_grow_with_page_size(self, api_client, django_assert_num_queries, page_size):
        for n in range(50):
            if n % 2:
                ProductFactory(category=CategoryFactory())
            else:
                product_with_sizes(category=CategoryFactory())
        with django_assert_num_queries(1 + page_queries()):  # the count and the page
            response = api_client.get(LIST, {"page_size": page_size})
        assert len(response.json()["results"]) == page_size

    def test_detail_is_two_queries(self, api_client, django_assert_num_queries):
        product = product_with_sizes()
        with django_assert_num_queries(3):  # the product, its variants and its images
            api_client.get(detail(product.pk))

    def test_pagination(self, api_client):
        ProductFactory.create_batch(25)
        first = api_client.get(LIST).json()
        assert first["count"] == 25 and len(first["results"]) == 20
        assert "page=2" in first["next"]
        second = api_client.get(LIST, {"page": 2}).json()
        assert len(second["results"]) == 5
        assert {p["id"] for p in first["results"]}.isdisjoint({p["id"] for p in second["results"]})

    def test_page_size_is_capped_at_100(self, api_client):
        ProductFactory.create_batch(105)
        assert len(api_client.get(LIST, {"page_size": 500}).json()["results"]) == 100


class TestProductFilters:
    @pytest.fixture
    def catalog(self):
        phones = CategoryFactory(name="Phones", slug="phones")
        coffee = CategoryFactory(name="Coffee", slug="coffee")
        return {
            "phone": ProductFactory(title="Tecno phone", category=phones, price=Decimal("15000"), stock=5),
            "laptop": ProductFactory(
                title="Lenovo", description="A LAPTOP for work", category=phones, price=Decimal("50000"), stock=0
            ),
            "beans": ProductFactory(title="Sidamo beans", category=coffee, price=Decimal("780"), stock=100),
            "pot": ProductFactory(title="Jebena", category=coffee, price=Decimal("650"), stock=2),
        }

    def test_category_by_id_and_slug(self, api_client, catalog):
        phones = catalog["phone"].category
        assert sorted(titles(api_client.get(LIST, {"category__id": phones.pk}))) == ["Lenovo", "Tecno phone"]
        assert sorted(titles(api_client.get(LIST, {"category__slug": "coffee"}))) == ["Jebena", "Sidamo beans"]

    def test_price_range_and_stock(self, api_client, catalog):
        assert sorted(titles(api_client.get(LIST, {"min_price": "700", "max_price": "15000"}))) == [
            "Sidamo beans",
            "Tecno phone",
        ]
        assert "Lenovo" not in titles(api_client.get(LIST, {"in_stock": "true"}))
        assert titles(api_client.get(LIST, {"in_stock": "false"})) == ["Lenovo"]

    def test_search_title_and_description_case_insensitive(self, api_client, catalog):
        assert titles(api_client.get(LIST, {"search": "laptop"})) == ["Lenovo"]
        assert titles(api_client.get(LIST, {"search": "SIDAMO"})) == ["Sidamo beans"]

    @pytest.mark.parametrize(
        ("ordering", "expected"),
        [
            ("price", ["Jebena", "Sidamo beans", "Tecno phone", "Lenovo"]),
            ("-price", ["Lenovo", "Tecno phone", "Sidamo beans", "Jebena"]),
            ("title", ["Jebena", "Lenovo", "Sidamo beans", "Tecno phone"]),
            ("-title", ["Tecno phone", "Sidamo beans", "Lenovo", "Jebena"]),
            ("created_at", ["Tecno phone", "Lenovo", "Sidamo beans", "Jebena"]),
            ("-created_at", ["Jebena", "Sidamo beans", "Lenovo", "Tecno phone"]),
        ],
    )
    def test_ordering(self, api_client, catalog, ordering, expected):
        assert titles(api_client.get(LIST, {"ordering": ordering})) == expected

    def test_ordering_by_rating(self, api_client, catalog):
        Product.objects.filter(pk=catalog["pot"].pk).update(rating_avg=Decimal("4.5"))
        Product.objects.filter(pk=catalog["beans"].pk).update(rating_avg=Decimal("3.0"))
        assert titles(api_client.get(LIST, {"ordering": "-rating_avg"}))[:2] == ["Jebena", "Sidamo beans"]

    def test_filters_combine(self, api_client, catalog):
        response = api_client.get(
            LIST, {"category__slug": "coffee", "min_price": "700", "in_stock": "true", "search": "beans"}
        )
        assert titles(response) == ["Sidamo beans"]

    @pytest.mark.parametrize(
        "params",
        [
            {"min_price": "abc"},
            {"max_price": "1e999"},
            {"min_price": "-5"},
            {"ordering": "password"},
            {"ordering": "stock"},
            {"in_stock": "maybe"},
            {"category__id": "x"},
            {"page": "abc"},
            {"page": "0"},
            {"page_size": "-1"},
            {"search": "x" * 201},
        ],
    )
    def test_bad_parameter_values_are_400(self, api_client, catalog, params):
        response = api_client.get(LIST, params)
        assert response.status_code == 400
        assert set(response.json()) == set(params)

    def test_page_out_of_range_is_404(self, api_client, catalog):
        assert api_client.get(LIST, {"page": 99}).status_code == 404


class TestProductWrite:
    def payload(self, **overrides):
        category = CategoryFactory()
        return {"title": "Mesob basket", "price": "1800.00", "category_id": category.pk, "stock": 4, **overrides}

    def test_anonymous_401_customer_403(self, api_client, auth_client):
        payload = self.payload()
        assert api_client.post(LIST, payload).status_code == 401
        assert auth_client.post(LIST, payload).status_code == 403
        assert not Product.objects.exists()

    def test_staff_create(self, staff_client):
        response = staff_client.post(LIST, self.payload(description="Woven in Harar"))
        assert response.status_code == 201
        body = response.json()
        assert (body["title"], body["slug"], body["price"], body["currency"], body["stock"]) == (
            "Mesob basket",
            "mesob-basket",
            "1800.00",
            "ETB",
            4,
        )
        product = Product.objects.get(pk=body["id"])
        assert product.description == "Woven in Harar"

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("price", "-1.00"),
            ("price", "abc"),
            ("price", "10000000000000"),
            ("price", "1.999"),
            ("stock", -1),
            ("stock", 10**12),
            ("stock", "many"),
            ("category_id", 999999),
            ("currency", "USD"),
            ("title", ""),
            ("title", "x" * 201),
        ],
    )
    def test_bad_values_are_400(self, staff_client, field, value):
        response = staff_client.post(LIST, self.payload(**{field: value}))
        assert response.status_code == 400
        assert field in response.json()
        assert not Product.objects.exists()

    def test_malformed_json_is_400(self, staff_client):
        response = staff_client.post(LIST, "{not json", content_type="application/json")
        assert response.status_code == 400
        assert "detail" in response.json()

    def test_patch_put_delete(self, staff_client, auth_client):
        product = ProductFactory(stock=1)
        assert auth_client.patch(detail(product.pk), {"is_active": False}).status_code == 403
        response = staff_client.patch(detail(product.pk), {"price": "12.50", "is_active": False})
        assert response.status_code == 200
        assert (response.json()["price"], response.json()["is_active"]) == ("12.50", False)
        new_category = CategoryFactory()
        response = staff_client.put(
            detail(product.pk), {"title": "Renamed", "price": "10.00", "category_id": new_category.pk}
        )
        assert response.status_code == 200
        assert response.json()["category"]["id"] == new_category.pk
        assert staff_client.delete(detail(product.pk)).status_code == 204
        assert not Product.objects.filter(pk=product.pk).exists()

    @pytest.mark.parametrize("method", ["patch", "put"])
    def test_stock_is_read_only_after_creation(self, staff_client, method):
        product = ProductFactory(stock=4, price=Decimal("10.00"))
        body = {"title": "Renamed", "price": "10.00", "category_id": product.category_id, "stock": 9}
        response = getattr(staff_client, method)(detail(product.pk), body)
        assert response.status_code == 400
        assert response.json()["code"] == "stock_read_only"
        product.refresh_from_db()
        assert (product.stock, product.title) == (4, product.title)

    def test_put_requires_the_full_representation(self, staff_client):
        product = ProductFactory()
        response = staff_client.put(detail(product.pk), {"title": "Only a title"})
        assert response.status_code == 400
        assert {"price", "category_id"} <= set(response.json())


class TestProductConstraints:
    """The database itself refuses negative stock and prices, whatever code path writes them."""

    @pytest.mark.parametrize(("field", "value"), [("stock", -1), ("price", Decimal("-0.01"))])
    def test_check_constraints(self, field, value):
        product = ProductFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Product.objects.filter(pk=product.pk).update(**{field: value})
