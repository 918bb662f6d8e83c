"""Schemathesis against the live schema, in process through the WSGI app: for every operation
and generated input, anonymous and authenticated, no 5xx and every answer as documented. Then
every numeric input of every operation once more, with the numbers Python misreads."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from addresses.tests.factories import AddressFactory
from coupons.tests.factories import CouponFactory
from ecommerce.common.tests.endpoints import json_body, numeric_kind
from ecommerce.common.tests.endpoints import schema as openapi
from ecommerce.wsgi import application
from orders.tests.factories import place_order
from products.tests.factories import ProductFactory
from users.tests.factories import StaffFactory, UserFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FUZZ = hypothesis_settings(
    max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the WSGI app, whose request signals close 'old' connections; inside a
    test's transaction that would close the test's own connection (Django's test client
    unhooks the same handler for the same reason)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def shop_data(db, settings):
    """A little of everything, so generated requests also reach real objects."""
    settings.CHAPA_BASE_URL = "http://127.0.0.1:9/v1"  # no gateway: payments answer 502, never 500
    settings.CHAPA_CONNECT_TIMEOUT = settings.CHAPA_READ_TIMEOUT = 0.5
    settings.CHAPA_MAX_RETRIES = 0
    customer = UserFactory()
    for _ in range(3):
        ProductFactory(stock=1000)
    AddressFactory(user=customer)
    CouponFactory(code="FUZZ10")
    place_order(user=customer)
    return customer


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {RefreshToken.for_user(user).access_token}"}


@schema.parametrize()
@FUZZ
def test_anonymous(case, shop_data):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_customer(case, shop_data):
    case.call_and_validate(headers=bearer(shop_data), checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_staff(case, shop_data):
    case.call_and_validate(headers=bearer(StaffFactory()), checks=CHECKS)


# Digits of other scripts and number-like characters ('٣', '²', '½'), values beyond any column,
# and spellings that int() or Decimal() accept but the contract does not.
HOSTILE_NUMBER = st.one_of(
    st.text(st.characters(categories=["Nd", "No", "Nl"], exclude_characters="0123456789"), min_size=1, max_size=4),
    st.integers(min_value=2**63).map(str),
    st.sampled_from(["1_000", " 1", "1e400", "NaN", "-Infinity", "0x10"]),
)
HOSTILE_JSON_NUMBER = st.one_of(
    HOSTILE_NUMBER, st.integers(min_value=2**63), st.floats(min_value=1e13, allow_infinity=False)
)


def _operation(context) -> dict:
    return openapi()["paths"][context.operation.path][context.operation.method.lower()]


def _numeric_query(context) -> set[str]:
    parameters = _operation(context).get("parameters", [])
    return {p["name"] for p in parameters if p["in"] == "query" and numeric_kind(p["schema"])}


def _numeric_body(context) -> set[str]:
    body = json_body(_operation(context)) or {}
    return {name for name, field in body.get("properties", {}).items() if numeric_kind(field)}


def _with_hostile(values, names: set[str], hostile):
    # Every numeric input present, optional ones too, so that none is left out by chance.
    if not isinstance(values, dict):
        return st.just(values)
    return st.fixed_dictionaries({**{k: st.just(v) for k, v in values.items()}, **dict.fromkeys(names, hostile)})


def flatmap_query(context, query):
    return _with_hostile(query, _numeric_query(context), HOSTILE_NUMBER)


def flatmap_body(context, body):
    return _with_hostile(body, _numeric_body(context), HOSTILE_JSON_NUMBER)


numeric_schema = schema.include(lambda context: bool(_numeric_query(context) or _numeric_body(context)))


@numeric_schema.hooks.apply(flatmap_query)
@numeric_schema.hooks.apply(flatmap_body)
@numeric_schema.parametrize()
@hypothesis_settings(FUZZ, max_examples=6)
def test_hostile_numbers(case, shop_data):
    for user in (shop_data, StaffFactory()):
        case.call_and_validate(headers=bearer(user), checks=CHECKS)
