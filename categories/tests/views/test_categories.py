import pytest
from django.urls import reverse

from categories.models import Category
from categories.tests.factories import CategoryFactory
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

LIST = reverse("categories:list")


def detail(pk):
    return reverse("categories:detail", args=[pk])


class TestCategoryRead:
    def test_list_is_public_paginated_and_counts_active_products(self, api_client):
        books = CategoryFactory(name="Books", slug="books", description="Reading")
        CategoryFactory(name="Art", slug="art")
        ProductFactory.create_batch(2, category=books)
        ProductFactory(category=books, is_active=False)

        response = api_client.get(LIST)

        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 2
        assert body["previous"] is None and body["next"] is None
        assert body["results"][1] == {
            "id": books.pk,
            "name": "Books",
            "slug": "books",
            "description": "Reading",
            "product_count": 2,
        }
        assert body["results"][0]["name"] == "Art"

    def test_list_query_count_is_constant(self, api_client, django_assert_max_num_queries):
        for _ in range(30):
            ProductFactory()
        with django_assert_max_num_queries(2):
            response = api_client.get(LIST, {"page_size": 30})
        assert len(response.json()["results"]) == 30

    def test_detail(self, api_client):
        category = CategoryFactory()
        response = api_client.get(detail(category.pk))
        assert response.status_code == 200
        assert response.json()["slug"] == category.slug

    def test_missing_detail_is_404(self, api_client):
        assert api_client.get(detail(999999)).status_code == 404


class TestCategoryWrite:
    def test_anonymous_write_is_401(self, api_client):
        assert api_client.post(LIST, {"name": "Toys"}).status_code == 401
        assert not Category.objects.exists()

    def test_customer_write_is_403(self, auth_client):
        category = CategoryFactory()
        assert auth_client.post(LIST, {"name": "Toys"}).status_code == 403
        assert auth_client.patch(detail(category.pk), {"name": "X"}).status_code == 403
        assert auth_client.delete(detail(category.pk)).status_code == 403
        category.refresh_from_db()
        assert category.name != "X"

    def test_staff_creates_with_generated_unique_slug(self, staff_client):
        first = staff_client.post(LIST, {"name": "Home & Kitchen", "description": "Pots"})
        assert first.status_code == 201
        assert first.json() == {
            "id": first.json()["id"],
            "name": "Home & Kitchen",
            "slug": "home-kitchen",
            "description": "Pots",
            "product_count": 0,
            "translations": {},
        }
        second = staff_client.post(LIST, {"name": "Home Kitchen"})
        assert second.json()["slug"] == "home-kitchen-2"

    def test_amharic_name_gets_a_slug(self, staff_client):
        response = staff_client.post(LIST, {"name": "ቡና"})
        assert response.status_code == 201
        assert response.json()["slug"] == "ቡና"

    def test_duplicate_name_or_slug_is_400(self, staff_client):
        CategoryFactory(name="Books", slug="books")
        assert "name" in staff_client.post(LIST, {"name": "Books"}).json()
        response = staff_client.post(LIST, {"name": "Novels", "slug": "books"})
        assert response.status_code == 400
        assert "slug" in response.json()

    def test_invalid_slug_is_400(self, staff_client):
        response = staff_client.post(LIST, {"name": "Novels", "slug": "not a slug!"})
        assert response.status_code == 400
        assert "slug" in response.json()

    def test_put_patch_delete(self, staff_client):
        category = CategoryFactory(name="Old", slug="old")
        response = staff_client.put(detail(category.pk), {"name": "New", "description": "d"})
        assert response.status_code == 200
        assert (response.json()["name"], response.json()["slug"]) == ("New", "old")
        response = staff_client.patch(detail(category.pk), {"slug": ""})
        assert response.json()["slug"] == "new"
        assert staff_client.delete(detail(category.pk)).status_code == 204
        assert not Category.objects.filter(pk=category.pk).exists()

    def test_delete_category_with_products_is_409(self, staff_client):
        product = ProductFactory()
        response = staff_client.delete(detail(product.category_id))
        assert response.status_code == 409
        assert response.json()["code"] == "protected"
        assert Category.objects.filter(pk=product.category_id).exists()
