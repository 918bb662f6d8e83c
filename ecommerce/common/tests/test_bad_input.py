"""Bad input of every kind is a 400 (or 415) with a message, never a 500, never a write."""

import hashlib
import hmac
import json

import pytest
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from addresses.tests.factories import AddressFactory
from cart.models import CartItem
from categories.models import Category
from categories.tests.factories import CategoryFactory
from conftest import client_for
from ecommerce.common.exception_handler import TOO_DEEP as TOO_DEEP_ANYWHERE
from ecommerce.common.parsers import MAX_JSON_DEPTH, TOO_DEEP
from ecommerce.common.tests.endpoints import api_endpoints, json_body, numeric_kind, schema_operations, url_of
from ecommerce.common.tests.test_access_matrix import MATRIX, ROLES
from products.models import Product
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    return ProductFactory(stock=5)


# --- The battery: each class of hostile input against every endpoint that takes it, read from
# the URL conf and the OpenAPI schema (a new endpoint is covered without being listed here).

OPERATIONS = schema_operations()
BODY_OPERATIONS = sorted(key for key, operation in OPERATIONS.items() if json_body(operation) is not None)
LIST_OPERATIONS = sorted(
    key for key, operation in OPERATIONS.items() if any(p["name"] == "page" for p in operation.get("parameters", []))
)
NUMERIC_QUERY_PARAMETERS = sorted(
    (*key, parameter["name"], kind)
    for key, operation in OPERATIONS.items()
    for parameter in operation.get("parameters", [])
    if parameter["in"] == "query" and (kind := numeric_kind(parameter["schema"]))
)
NUMERIC_BODY_FIELDS = sorted(
    (*key, field, kind)
    for key, operation in OPERATIONS.items()
    for field, field_schema in (json_body(operation) or {}).get("properties", {}).items()
    if (kind := numeric_kind(field_schema))
)
BODY_FIELDS = sorted(
    (*key, field)
    for key, operation in OPERATIONS.items()
    for field in (json_body(operation) or {}).get("properties", {})
)
INTEGER_PATH_OPERATIONS = sorted(
    key
    for key, operation in OPERATIONS.items()
    if any(p["in"] == "path" and p["schema"]["type"] == "integer" for p in operation.get("parameters", []))
)
# Endpoints that read the raw bytes (Chapa's signed webhook checks the signature first).
RAW_BODY = {("payments:webhook", "post")}

# Numbers in other scripts and forms: Python reads some of them (int("٣") == 3), chokes on
# others ("²".isdigit() is True, int("²") fails); the contract takes ASCII digits only.
NOT_ASCII_NUMBERS = ["²", "٣", "١٢", "１", "߁", "1_000", " 1", "1 ", "+1", "0x1", "1e3"]
BEYOND_ANY_COLUMN = ["9" * 20, "9" * 40, "-" + "9" * 40]
HOSTILE_BODY_NUMBERS = {
    "integer": [10**30, -(10**30), 2**63, 2.5, "²", "9" * 40, "NaN", [], {}],
    "decimal": [1e20, "1e20", "1e400", "-1e400", "NaN", "Infinity", "9" * 40, "²", [], {}],
}


def role_that_reaches(name: str, method: str) -> str:
    """The first role whose request gets past authentication and permissions to the input."""
    statuses = dict(zip(ROLES, MATRIX[(name, method)], strict=False))
    return next(role for role in ("customer", "staff", "anonymous") if statuses[role] not in (401, 403, 404))


def send(world, name, method, *, body=None, raw=None, query=None, obj=None, content_type="application/json"):
    user = world["users"][role_that_reaches(name, method)]
    url = url_of(name, obj if obj is not None else world["objects"].get(name))
    client = client_for(user)
    if raw is not None:
        return client.generic(method.upper(), url, raw, content_type=content_type)
    if method == "get":
        return client.get(url, query or {})
    return getattr(client, method)(url, body if body is not None else {}, format="json")


def test_the_battery_sees_every_endpoint():
    assert set(OPERATIONS) <= api_endpoints()
    assert len(BODY_OPERATIONS) > 25 and len(LIST_OPERATIONS) >= 7 and len(NUMERIC_BODY_FIELDS) > 10
    assert ("reviews:list", "get", "product", "integer") in NUMERIC_QUERY_PARAMETERS


@pytest.mark.parametrize(("name", "method"), sorted(set(BODY_OPERATIONS) - RAW_BODY))
class TestEveryJsonBody:
    def test_nested_a_thousand_levels_deep_is_400(self, world, name, method):
        response = send(world, name, method, raw='{"a": ' + "[" * 1000 + "]" * 1000 + "}")
        assert response.status_code == 400, response.content[:300]
        assert response.json() == {"detail": TOO_DEEP}

    def test_nested_just_deep_enough_is_parsed(self, world, name, method):
        nested = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
        response = send(world, name, method, raw='{"a": ' + nested + "}")
        assert response.status_code != 500 and response.json() != {"detail": TOO_DEEP}

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ('{"product_id": 1,', "JSON parse error"),
            ("[1, 2, 3]", "Expected a dictionary, but got list"),
            ('"just a string"', "Expected a dictionary, but got str"),
            ("12", "Expected a dictionary, but got int"),
            ("null", "No data provided"),
            ('{"a": NaN}', "JSON parse error"),
        ],
    )
    def test_not_an_object_is_400(self, world, name, method, body, message):
        response = send(world, name, method, raw=body)
        assert response.status_code == 400, response.content[:300]
        assert message in json.dumps(response.json())

    def test_form_encoded_body_is_415(self, world, name, method):
        response = send(world, name, method, raw="a=1", content_type="application/x-www-form-urlencoded")
        assert response.status_code == 415
        assert "Unsupported media type" in response.json()["detail"]


@pytest.mark.parametrize(("name", "method", "field", "kind"), NUMERIC_BODY_FIELDS)
def test_every_numeric_body_field_refuses_what_no_column_holds(world, name, method, field, kind):
    for value in HOSTILE_BODY_NUMBERS[kind]:
        response = send(world, name, method, body={field: value})
        assert response.status_code == 400, (value, response.content[:300])
        assert field in response.json(), (value, response.json())


@pytest.mark.parametrize(("name", "method", "field"), BODY_FIELDS)
def test_every_body_field_survives_digits_of_other_scripts(world, name, method, field):
    for value in ("²", "٣", "١٢٣"):
        response = send(world, name, method, body={field: value})
        assert response.status_code < 500, (value, response.content[:300])


def test_a_country_is_two_ascii_letters(auth_client):
    body = {"full_name": "A", "phone": "0911234567", "line1": "B", "city": "C"}
    for country in ("²", "٣", "231", "ETH", "E"):
        response = auth_client.post(reverse("addresses:list"), {**body, "country": country})
        assert response.status_code == 400 and list(response.json()) == ["country"], (country, response.json())
    response = auth_client.post(reverse("addresses:list"), {**body, "country": "ke", "phone": "+254712345678"})
    assert response.status_code == 201 and response.json()["country"] == "KE", response.json()


def test_recursion_anywhere_is_a_400_not_a_500(api_client, settings):
    # The webhook decodes its signed body itself, past the bounded parser.
    body = ("[" * 100_000 + "]" * 100_000).encode()
    signature = hmac.new(settings.CHAPA_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = api_client.generic(
        "POST", reverse("payments:webhook"), body, content_type="application/json", HTTP_X_CHAPA_SIGNATURE=signature
    )
    assert response.status_code == 400
    assert response.json() == {"detail": TOO_DEEP_ANYWHERE}


@pytest.mark.parametrize(("name", "method", "parameter", "kind"), NUMERIC_QUERY_PARAMETERS)
def test_every_numeric_query_parameter_takes_ascii_digits_only(world, name, method, parameter, kind):
    # (An empty value is no value: DRF and django-filter both read `?page=` as absent.)
    for value in [*NOT_ASCII_NUMBERS, "abc", "1.5" if kind == "integer" else "1.5.5"]:
        response = send(world, name, method, query={parameter: value})
        assert response.status_code == 400, (value, response.content[:300])
        assert parameter in response.json(), (value, response.json())
    for value in BEYOND_ANY_COLUMN:
        response = send(world, name, method, query={parameter: value})
        # Refused (400), a page past the end (404) or a page size capped at the maximum (200).
        assert response.status_code in (200, 400, 404), (value, response.content[:300])


@pytest.mark.parametrize(("name", "method"), LIST_OPERATIONS)
def test_every_list_names_its_bad_page_parameter(world, name, method):
    for parameter in ("page", "page_size"):
        for value in ("0", "-1", "²", "٣"):
            response = send(world, name, method, query={parameter: value})
            assert response.status_code == 400 and parameter in response.json(), (value, response.content[:300])


def _with_each_id_huge(ids, value: str) -> list:
    """The path's ids with all of them `value`, and (for several) each one alone: a real
    product's id before a huge image id is looked up differently from two huge ones."""
    if not isinstance(ids, tuple):
        return [value]
    return [tuple(value for _ in ids), *(ids[:n] + (value,) + ids[n + 1 :] for n in range(len(ids)))]


@pytest.mark.parametrize(("name", "method"), INTEGER_PATH_OPERATIONS)
def test_every_id_in_a_path_beyond_any_column_is_404(world, name, method):
    # 2**63 is one past the largest primary key; SQLite's driver refuses it (OverflowError).
    for value in [str(2**63), "14275625045689442304", *BEYOND_ANY_COLUMN[:2]]:
        entry = MATRIX[(name, method)]
        for obj in _with_each_id_huge(world["objects"].get(name), value):
            response = send(world, name, method, obj=obj, body=entry[4] if len(entry) > 4 else {})
            # A view may validate the body before it looks the object up: an empty PUT is a 400 first.
            expected = (404,) if method in ("get", "delete") else (400, 404)
            assert response.status_code in expected, (obj, response.content[:300])


def test_every_id_in_a_path_is_bounded():
    """Django's own `int` converter takes any number of digits; every id in the shop's paths
    takes the bounded `id` converter, so that no view ever sees an id no column holds."""
    unbounded = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif not pattern.callback.__module__.startswith("django."):  # Django's admin shortcut
                unbounded.extend(route for c in pattern.pattern.converters.values() if isinstance(c, IntConverter))

    walk(get_resolver().url_patterns, "")
    assert unbounded == []


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


QUERY_PARAMETERS = sorted(
    (*key, parameter["name"])
    for key, operation in OPERATIONS.items()
    for parameter in operation.get("parameters", [])
    if parameter["in"] == "query"
)
NUL_REFUSED = str(ProhibitNullCharactersValidator.message)


@pytest.mark.parametrize(("name", "method", "parameter"), QUERY_PARAMETERS)
def test_every_query_parameter_refuses_a_nul_character(world, name, method, parameter):
    # PostgreSQL cannot hold a NUL in a text value: passed on to a query it would be a 500.
    response = send(world, name, method, query={parameter: "Size:M\x00"})
    assert response.status_code == 400, response.content[:300]
    assert response.json() == {parameter: [NUL_REFUSED]}


def test_a_nul_anywhere_in_the_query_or_the_path_is_a_400(api_client):
    assert api_client.get(reverse("products:list"), {"made_up": "a\x00"}).json() == {"made_up": [NUL_REFUSED]}
    assert api_client.get(reverse("products:list"), {"option": ["Size:M", "Colour:\x00"]}).status_code == 400
    assert api_client.get("/api/products/?a%00b=1").status_code == 400
    assert api_client.get("/api/categories/a%00b/").status_code == 400
