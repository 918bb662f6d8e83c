"""The cart in Amharic: what it refuses, said in the customer's language; codes and the
shortage lines stay as a program reads them."""

import pytest
from django.urls import reverse
from django.utils import translation

from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

AMHARIC = {"HTTP_ACCEPT_LANGUAGE": "am"}


def test_more_than_the_stock_is_refused_in_amharic(auth_client):
    product = ProductFactory(title="ሀበሻ ቀሚስ", stock=2)
    sku = product.variants.get().sku

    with translation.override("am"):
        response = auth_client.post(reverse("cart:add"), {"product_id": product.pk, "quantity": 3}, **AMHARIC)

    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == f"ከ«ሀበሻ ቀሚስ» ({sku}) ያለው ክምችት 2 ብቻ ነው፤ የግዢ ጋሪው 3 ይይዝ ነበር።"
    assert body["code"] == "insufficient_stock" and body["lines"][0]["available"] == 2


def test_a_product_not_for_sale_is_refused_in_amharic(auth_client):
    product = ProductFactory(is_active=False)

    with translation.override("am"):
        response = auth_client.post(reverse("cart:add"), {"product_id": product.pk}, **AMHARIC)

    assert response.status_code == 400
    assert response.json() == {"product_id": ["ይህ ምርት የለም ወይም ለሽያጭ አልቀረበም።"]}


def test_a_token_of_no_cart_is_refused_in_amharic(api_client):
    response = api_client.get(reverse("cart:detail"), HTTP_X_CART_TOKEN="no-such-token", **AMHARIC)

    assert response.status_code == 404
    assert response.json() == {
        "detail": "በዚህ ቶከን የግዢ ጋሪ አልተገኘም፤ ጊዜው አልፎበታል ወይም ከመለያዎ ጋሪ ጋር ተዋሕዷል። አዲስ ይጀምሩ።",
        "code": "cart_not_found",
    }
