"""Bad input of every kind is a 400 (or 415) with a message, never a 500, never a write."""

import json

import pytest
from django.urls import reverse

from addresses.tests.factories import AddressFactory
from cart.models import CartItem
from categories.models import Category
from categories.tests.factories import CategoryFactory
from products.models import Product
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    return ProductFactory(stock=5)


def post_raw(client, url, body: str, content_type="application/json"):
    return client.generic("POST", url, body, content_type=content_type)


@pytest.mark.parametrize(
    ("url_name", "who"),
    [
        ("cart:add", "customer"),
        ("orders:create", "customer"),
        ("addresses:list", "customer"),
        ("products:list", "staff"),
        ("coupons:validate", "customer"),
        ("users:register", "anonymous"),
    ],
)
class TestMalformedBodies:
    def client(self, who, api_client, auth_client, staff_client):
        return {"anonymous": api_client, "customer": auth_client, "staff": staff_client}[who]

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ('{"product_id": 1,', "JSON parse error"),
            ("[1, 2, 3]", "Expected a dictionary, but got list"),
            ('"just a string"', "Expected a dictionary, but got str"),
            ("12", "Expected a dictionary, but got int"),
            ("null", "No data provided"),
        ],
    )
    def test_not_an_object(self, url_name, who, api_client, auth_client, staff_client, body, message):
        response = post_raw(self.client(who, api_client, auth_client, staff_client), reverse(url_name), body)
        assert response.status_code == 400
        assert message in json.dumps(response.json())

    def test_form_encoded_body_is_415(self, url_name, who, api_client, auth_client, staff_client):
        response = post_raw(
            self.client(who, api_client, auth_client, staff_client),
            reverse(url_name),
            "a=1",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 415
        assert "Unsupported media type" in response.json()["detail"]


class TestWrongValues:
    @pytest.mark.parametrize(
        ("body", "field", "fragment"),
        [
            ({"product_id": "abc"}, "product_id", "valid integer"),
            ({"product_id": []}, "product_id", "valid integer"),
            ({"quantity": "two"}, "quantity", "valid integer"),
            ({"quantity": 0}, "quantity", "greater than or equal to 1"),
            ({"quantity": -5}, "quantity", "greater than or equal to 1"),
            ({"quantity": 10**30}, "quantity", "less than or equal to"),
            ({"quantity": 2.5}, "quantity", "valid integer"),
            ({"product_id": 10**30}, "product_id", "less than or equal to"),
            ({"colour": "red"}, "colour", "Unknown field."),
        ],
    )
    def test_cart_add(self, auth_client, product, body, field, fragment):
        response = auth_client.post(
            reverse("cart:add"), {"product_id": product.pk, "quantity": 1, **body}, format="json"
        )
        assert response.status_code == 400
        assert any(fragment in message for message in response.json()[field]), response.json()
        assert not CartItem.objects.exists()

    @pytest.mark.parametrize(
        ("body", "field", "fragment"),
        [
            ({"price": "1e400"}, "price", "no more than 12 digits"),
            ({"price": 10**20}, "price", "no more than 12 digits"),
            ({"price": "NaN"}, "price", "valid number"),
            ({"price": "Infinity"}, "price", "valid number"),
            ({"stock": 10**20}, "stock", "less than or equal to"),
            ({"title": "x" * 10_000}, "title", "no more than 200 characters"),
            ({"title": "bad\x00title"}, "title", "Null characters are not allowed."),
            ({"title": {"nested": "object"}}, "title", "Not a valid string."),
            ({"is_active": "maybe"}, "is_active", "valid boolean"),
            ({"category_id": "one"}, "category_id", "Incorrect type"),
        ],
    )
    def test_product_create(self, staff_client, body, field, fragment):
        category = CategoryFactory()
        payload = {"title": "Kettle", "price": "10.00", "category_id": category.pk, **body}
        response = staff_client.post(reverse("products:list"), payload, format="json")
        assert response.status_code == 400
        assert any(fragment in message for message in response.json()[field]), response.json()
        assert not Product.objects.exists()

    def test_unicode_is_welcome(self, staff_client, auth_client):
        response = staff_client.post(reverse("categories:list"), {"name": "ቡና እና ሻይ ☕", "description": "ምርጥ"})
        assert response.status_code == 201
        assert response.json()["name"] == "ቡና እና ሻይ ☕"
        address = auth_client.post(
            reverse("addresses:list"),
            {"full_name": "አበበ ከበደ", "phone": "0911234567", "line1": "ቦሌ መንገድ 12", "city": "አዲስ አበባ"},
        )
        assert address.status_code == 201 and address.json()["full_name"] == "አበበ ከበደ"

    @pytest.mark.parametrize("field", ["full_name", "line1", "city", "region", "postal_code"])
    def test_ten_thousand_characters(self, auth_client, field):
        payload = {"full_name": "A", "phone": "0911234567", "line1": "B", "city": "C", field: "x" * 10_000}
        response = auth_client.post(reverse("addresses:list"), payload)
        assert response.status_code == 400
        assert "no more than" in response.json()[field][0]

    @pytest.mark.parametrize(
        "params",
        [
            {"search": "a\x00b"},
            {"min_price": "1e400"},
            {"category__id": "9" * 40},
            {"ordering": "price,-price,title,x"},
        ],
    )
    def test_query_parameters(self, api_client, params):
        response = api_client.get(reverse("products:list"), params)
        assert response.status_code == 400
        assert set(response.json()) == set(params)

    def test_huge_page_size_is_capped(self, api_client):
        assert api_client.get(reverse("products:list"), {"page_size": "9" * 40}).status_code == 200

    def test_huge_review_filter(self, api_client):
        response = api_client.get(reverse("reviews:list"), {"product": "9" * 40})
        assert response.status_code == 400 and "product" in response.json()

    def test_huge_ids_in_paths_are_404(self, auth_client, api_client):
        assert api_client.get(f"/api/products/{'9' * 40}/").status_code == 404
        assert auth_client.patch(f"/api/cart/items/{'9' * 40}/", {"quantity": 1}).status_code == 404
        assert api_client.get("/api/orders/not-a-uuid/").status_code == 404

    def test_order_notes_and_coupon_limits(self, auth_client, user, product):
        auth_client.post(reverse("cart:add"), {"product_id": product.pk})
        address = AddressFactory(user=user)
        response = auth_client.post(
            reverse("orders:create"),
            {"shipping_address_id": address.pk, "notes": "n" * 10_000, "coupon_code": "c" * 500},
        )
        assert response.status_code == 400
        assert set(response.json()) == {"notes", "coupon_code"}
        assert Product.objects.get(pk=product.pk).stock == 5
        assert Category.objects.count() == 1


@pytest.mark.parametrize("host", [".fdki", "evil.example.com", "a b"])
def test_a_host_not_allowed_is_a_json_400_on_the_api(api_client, host):
    response = api_client.post(reverse("users:password-change"), {}, HTTP_HOST=host)
    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request."}
