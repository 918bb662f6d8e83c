"""Two staff members saving the same unique value at once: the one who loses the race gets the
same 400 on the field as if they had come a moment later, never a 500. Real parallel
connections on PostgreSQL; the loser is made to lose for certain (see `race_under_lock`)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from categories.models import Category
from categories.tests.factories import CategoryFactory
from conftest import client_for
from coupons.models import Coupon
from coupons.services import CODE_TAKEN
from coupons.tests.factories import CouponFactory
from ecommerce.common.tests.concurrency import race_under_lock
from products.models import Product
from products.tests.factories import ProductFactory
from users.tests.factories import StaffFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]

SLUG_TAKEN = "Product with this Slug already exists."


def staff_request(method: str, url: str, body: dict):
    client = client_for(StaffFactory())
    return lambda: getattr(client, method)(url, body, format="json")


def coupon_body(code: str) -> dict:
    now = timezone.now()
    return {
        "code": code,
        "discount_type": "fixed",
        "value": "10.00",
        "valid_from": now.isoformat(),
        "valid_to": (now + timedelta(days=7)).isoformat(),
    }


def test_creating_a_product_with_a_slug_just_taken():
    category = CategoryFactory()
    body = {"title": "Kettle", "slug": "kettle", "price": "10.00", "category_id": category.pk}
    response = race_under_lock(
        lock=lambda: ProductFactory(slug="kettle", category=category),
        other=staff_request("post", reverse("products:list"), body),
    )
    assert response.status_code == 400, response
    assert response.json() == {"slug": [SLUG_TAKEN]}
    assert Product.objects.filter(slug="kettle").count() == 1


def test_renaming_a_product_to_a_slug_just_taken():
    product = ProductFactory(slug="teapot")
    response = race_under_lock(
        lock=lambda: ProductFactory(slug="kettle"),
        other=staff_request("patch", reverse("products:detail", args=[product.pk]), {"slug": "kettle"}),
    )
    assert response.status_code == 400, response
    assert response.json() == {"slug": [SLUG_TAKEN]}
    assert Product.objects.get(pk=product.pk).slug == "teapot"


def test_creating_a_category_just_created():
    response = race_under_lock(
        lock=lambda: CategoryFactory(name="Coffee", slug="coffee"),
        other=staff_request("post", reverse("categories:list"), {"name": "Coffee"}),
    )
    assert response.status_code == 400, response
    assert response.json() == {
        "name": ["Category with this Name already exists."],
        "slug": ["Category with this Slug already exists."],
    }
    assert Category.objects.count() == 1


def test_renaming_a_category_to_a_slug_just_taken():
    category = CategoryFactory(name="Tea", slug="tea")
    response = race_under_lock(
        lock=lambda: CategoryFactory(name="Coffee", slug="coffee"),
        other=staff_request("patch", reverse("categories:detail", args=[category.pk]), {"slug": "coffee"}),
    )
    assert response.status_code == 400, response
    assert response.json() == {"slug": ["Category with this Slug already exists."]}


def test_creating_a_coupon_whose_code_was_just_taken_in_another_case():
    response = race_under_lock(
        lock=lambda: CouponFactory(code="SALE10"),
        other=staff_request("post", reverse("coupons:list"), coupon_body("sale10")),
    )
    assert response.status_code == 400, response
    assert response.json() == {"code": [CODE_TAKEN]}
    assert Coupon.objects.count() == 1


def test_renaming_a_coupon_to_a_code_just_taken():
    coupon = CouponFactory(code="WELCOME")
    response = race_under_lock(
        lock=lambda: CouponFactory(code="SALE10"),
        other=staff_request("patch", reverse("coupons:detail", args=[coupon.pk]), {"code": "Sale10"}),
    )
    assert response.status_code == 400, response
    assert response.json() == {"code": [CODE_TAKEN]}
    assert Coupon.objects.get(pk=coupon.pk).code == "WELCOME"


def test_without_a_race_the_answer_is_the_same(staff_client):
    CouponFactory(code="SALE10")
    ProductFactory(slug="kettle")
    assert staff_client.post(reverse("coupons:list"), coupon_body("Sale10")).json() == {"code": [CODE_TAKEN]}
    body = {"title": "Kettle", "slug": "kettle", "price": "10.00", "category_id": CategoryFactory().pk}
    assert staff_client.post(reverse("products:list"), body).json() == {"slug": [SLUG_TAKEN]}
