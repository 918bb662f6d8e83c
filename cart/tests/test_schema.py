"""The API docs show how a guest reaches a cart: the X-Cart-Token header on every cart endpoint
(sent, and answered), a security scheme Swagger UI's Authorize dialog takes, and merge/."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

GUEST_ENDPOINTS = [
    ("/api/cart/", "get", "200"),
    ("/api/cart/add/", "post", "201"),
    ("/api/cart/items/{id}/", "patch", "200"),
    ("/api/cart/items/{id}/", "delete", "200"),
    ("/api/cart/clear/", "delete", "200"),
]


@pytest.fixture
def schema(api_client):
    return api_client.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


@pytest.mark.parametrize(("path", "method", "success"), GUEST_ENDPOINTS)
def test_every_cart_endpoint_takes_and_answers_the_cart_token(schema, path, method, success):
    operation = schema["paths"][path][method]
    [header] = [p for p in operation["parameters"] if p["in"] == "header" and p["name"] == "X-Cart-Token"]
    assert not header.get("required") and header["schema"]["type"] == "string"
    assert "X-Cart-Token" in operation["responses"][success]["headers"]
    assert {"jwtAuth": []} in operation["security"] and {"cartToken": []} in operation["security"]
    assert ({} in operation["security"]) == (path == "/api/cart/add/")  # only add/ needs neither


def test_the_cart_token_is_a_security_scheme_and_a_field_of_the_cart(schema):
    assert schema["components"]["securitySchemes"]["cartToken"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Cart-Token",
    }
    token = schema["components"]["schemas"]["CartOutput"]["properties"]["token"]
    assert token["type"] == "string" and token["nullable"] is True


def test_merge_is_documented_with_its_adjustments(schema):
    operation = schema["paths"]["/api/cart/merge/"]["post"]
    assert operation["security"] == [{"jwtAuth": []}]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][body]["required"] == ["cart_token"]
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    adjustment = schema["components"]["schemas"][answer]["properties"]["adjustments"]["items"]["$ref"]
    fields = schema["components"]["schemas"][adjustment.rsplit("/", 1)[1]]
    assert set(fields["required"]) == {"variant_id", "requested", "kept", "reason"}
    reasons = schema["components"]["schemas"][fields["properties"]["reason"]["$ref"].rsplit("/", 1)[1]]["enum"]
    assert set(reasons) == {"insufficient_stock", "unavailable", "cart_too_large"}
