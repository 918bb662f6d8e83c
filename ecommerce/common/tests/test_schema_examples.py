"""The request examples of the API docs work as sent. Swagger UI fills a body from the schema,
each integer with its `maximum`: ids of 2**63 - 1 (which JavaScript rounds to
9223372036854776000) and a quantity of 10000, refused when tried."""

import pytest
from django.urls import reverse

from addresses.tests.factories import AddressFactory
from cart.services import cart_item_add
from conftest import client_for
from products.tests.factories import ProductFactory


@pytest.fixture
def schema(api_client):
    return api_client.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def test_the_cart_add_examples_are_taken_as_sent(django_db_reset_sequences, schema, user):
    # given a fresh shop's first product (as in the demo catalog): product 1, its variant 1
    product = ProductFactory(stock=5)
    assert (product.pk, product.variants.get().pk) == (1, 1)
    examples = schema["paths"]["/api/cart/add/"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    assert len(examples) == 2  # one per way of naming what to add
    for name, example in examples.items():
        # when a customer sends it from the docs
        response = client_for(user).post(reverse("cart:add"), example["value"], format="json")
        # then it is added
        assert response.status_code == 201, (name, response.json())
    assert response.json()["items"][0]["quantity"] == 2  # the same size, once by each


def test_no_integer_of_a_request_body_is_sampled_at_its_maximum(db, schema):
    bounded = 0
    for name, component in schema["components"]["schemas"].items():
        if not name.endswith("Request"):
            continue
        for field, spec in component.get("properties", {}).items():
            if spec.get("type") == "integer" and "maximum" in spec:
                bounded += 1
                example = spec.get("example")
                assert example is not None, f"{name}.{field}"
                assert spec.get("minimum", example) <= example <= min(spec["maximum"], 1000), f"{name}.{field}"
    assert bounded > 10  # the walk found them


def test_the_checkout_examples_are_taken_as_sent(django_db_reset_sequences, schema, user):
    # given a customer whose first address is address 1
    address = AddressFactory(user=user)
    assert address.pk == 1
    content = schema["paths"]["/api/orders/create/"]["post"]["requestBody"]["content"]["application/json"]
    for name, example in content["examples"].items():
        cart_item_add(user=user, product_id=ProductFactory(stock=5).pk, quantity=1)
        # when the customer sends it from the docs
        response = client_for(user).post(reverse("orders:create"), example["value"], format="json")
        # then the order is placed as asked
        assert response.status_code == 201, (name, response.json())
        assert response.json()["buyer_tin"] == example["value"].get("buyer_tin", "")
    assert len(content["examples"]) == 2
