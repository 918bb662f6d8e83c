"""track/: anyone with an order's number and its shipping phone sees how it is going, and
nothing about who it is for; everything else is one and the same 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from addresses.tests.factories import AddressFactory
from ecommerce.settings import base as base_settings
from orders.services import order_payment_received, order_status_change
from orders.tests.factories import DeliveryMethodFactory, place_order
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

TRACK = reverse("orders:track")


def track(client, number, phone, **extra):
    return client.get(TRACK, {"number": number, "phone": phone}, **extra)


@pytest.fixture
def order(user, staff):
    # given an order shipped to Abebe's phone, paid and on its way
    address = AddressFactory(
        user=user, full_name="Abebe Bikila", phone="0911234567", line1="Bole Road, House 12", city="Addis Ababa"
    )
    method = DeliveryMethodFactory(code="courier", name="Bole Courier", fee=Decimal("150.00"))
    product = ProductFactory(title="Yirgacheffe coffee", price=Decimal("400.00"), stock=5)
    placed = place_order(
        user=user, lines=[(product, 2)], address=address, delivery_method=method.code, notes="Gate B, call first"
    )
    order_payment_received(order_id=placed.pk, payment_ref="CHAPA-1")
    order_status_change(order_id=placed.pk, new_status="processing", actor=staff)
    order_status_change(
        order_id=placed.pk,
        new_status="shipped",
        actor=staff,
        tracking={"carrier": "EMS", "number": "EE123456789ET", "url": "https://ems.example.et/t/EE123456789ET"},
    )
    placed.refresh_from_db()
    return placed


class TestTrack:
    @pytest.mark.parametrize(
        "phone", ["0911234567", "0911 23 45 67", "+251 911-234567", "251911234567", "+251911234567"]
    )
    def test_the_number_and_the_shipping_phone_in_any_usual_form_show_the_order(self, api_client, order, phone):
        response = track(api_client, order.number, phone)

        assert response.status_code == 200, response.content
        body = response.json()
        assert body == {
            "number": order.number,
            "status": "shipped",
            "payment_status": "paid",
            "total": "950.00",
            "delivery": {"method": "courier", "name": "Bole Courier", "kind": "courier", "fee": "150.00"},
            "tracking": {"carrier": "EMS", "number": "EE123456789ET", "url": "https://ems.example.et/t/EE123456789ET"},
            "events": body["events"],
        }
        assert [(e["type"], e["status"]) for e in body["events"]] == [
            ("placed", "pending"),
            ("payment_succeeded", "confirmed"),
            ("status_changed", "processing"),
            ("status_changed", "shipped"),
        ]
        assert all(set(event) == {"type", "status", "created_at"} for event in body["events"])

    def test_nothing_personal_is_shown(self, api_client, order, user):
        content = track(api_client, order.number, "0911234567").content.decode()
        for personal in (
            "Abebe",
            "Bikila",
            "Bole Road",
            "House 12",
            "Yirgacheffe",
            "Gate B",
            user.email,
            str(order.pk),
        ):
            assert personal not in content, personal

    def test_the_number_is_read_without_regard_to_case_and_spaces(self, api_client, order):
        assert track(api_client, f" {order.number.lower()} ", "0911234567").status_code == 200

    @pytest.mark.parametrize(
        ("number", "phone"),
        [
            ("own", "0911234568"),  # someone else's phone
            ("own", "0711234567"),  # same digits, another network
            ("own", "not a phone"),
            ("own", "--"),
            ("ZZZZZZZZ", "0911234567"),  # no such order
            ("ZZZZZZZZ", "--"),
        ],
    )
    def test_a_wrong_phone_and_an_unknown_number_are_the_same_404(self, api_client, order, number, phone):
        response = track(api_client, order.number if number == "own" else number, phone)
        assert response.status_code == 404
        assert response.json() == track(api_client, "ZZZZZZZZ", "0911234567").json()

    def test_another_orders_phone_does_not_open_it(self, api_client, order, other_user):
        address = AddressFactory(user=other_user, phone="0922000000")
        other = place_order(user=other_user, address=address, delivery_method="courier")
        assert track(api_client, order.number, "0922000000").status_code == 404
        assert track(api_client, other.number, "0922000000").status_code == 200

    def test_a_wrong_phone_costs_what_an_unknown_number_costs(self, api_client, order, django_assert_num_queries):
        # one query each: a wrong guess at a phone is not told apart by the time it takes
        with django_assert_num_queries(1):
            assert track(api_client, order.number, "0911000000").status_code == 404
        with django_assert_num_queries(1):
            assert track(api_client, "ZZZZZZZZ", "0911000000").status_code == 404

    def test_an_order_shipped_abroad_is_found_by_its_phone_as_written(self, api_client, user):
        address = AddressFactory(user=user, country="KE", region="", city="Nairobi", phone="+254 712 345678")
        order = place_order(user=user, address=address)
        assert track(api_client, order.number, "+254712345678").status_code == 200
        assert track(api_client, order.number, "+254 712 000000").status_code == 404

    @pytest.mark.parametrize("query", [{}, {"number": "ABC"}, {"phone": "0911234567"}, {"number": "", "phone": ""}])
    def test_missing_parameters_are_400(self, api_client, query):
        response = api_client.get(TRACK, query)
        assert response.status_code == 400
        assert set(response.json()) <= {"number", "phone"} and response.json()

    def test_anyone_may_ask_signed_in_or_not_even_with_a_stale_token(self, auth_client, api_client, order):
        assert track(auth_client, order.number, "0911234567").status_code == 200
        stale = track(api_client, order.number, "0911234567", HTTP_AUTHORIZATION="Bearer not-a-token")
        assert stale.status_code == 200

    def test_throttled_per_client_with_retry_after(self, api_client, order, settings):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "track": "3/min"},
        }
        statuses = [
            track(api_client, order.number, f"09110000{n:02}", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
            for n in range(3)
        ]
        assert statuses == [404, 404, 404]
        response = track(api_client, order.number, "0911234567")
        assert response.status_code == 429 and int(response["Retry-After"]) > 0
        assert track(api_client, order.number, "0911234567", REMOTE_ADDR="203.0.113.9").status_code == 200

    def test_the_default_rate_is_logins(self):
        rates = base_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        assert rates["track"] == rates["login"]


def test_the_schema_shows_track_open_with_its_two_parameters(api_client):
    schema = api_client.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/orders/track/"]["get"]
    assert operation["security"] == [{}]
    assert {(p["name"], p["in"], p.get("required")) for p in operation["parameters"]} == {
        ("number", "query", True),
        ("phone", "query", True),
    }
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    fields = set(schema["components"]["schemas"][answer]["properties"])
    assert fields == {"number", "status", "payment_status", "total", "delivery", "tracking", "events"}
