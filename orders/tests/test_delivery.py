"""Delivery methods, fees, VAT and cash on delivery: the options quote, checkout, and the
state machine's cash-on-delivery rules."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from addresses.tests.factories import AddressFactory
from cart.services import cart_item_add
from conftest import client_for
from coupons.tests.factories import CouponFactory
from orders.exceptions import (
    CashOnDeliveryUnavailable,
    DeliveryMethodRequired,
    DeliveryUnavailable,
    InvalidTransition,
    PaymentRequired,
)
from orders.models import DeliveryKind, Order, OrderEvent
from orders.services import order_cancel, order_expire_overdue, order_status_change
from orders.tests.factories import DeliveryMethodFactory, place_order
from products.models import Product
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
OPTIONS = reverse("delivery:options")
CREATE = reverse("orders:create")


def snapshot():
    """Everything a refused checkout must leave as it was."""
    return (
        Order.objects.count(),
        OrderEvent.objects.count(),
        sorted(Product.objects.values_list("pk", "stock")),
    )


@pytest.fixture
def methods(db):
    return {
        "addis": DeliveryMethodFactory(
            code="addis", name="Addis Ababa courier", fee=Decimal("150.00"), free_over=Decimal("5000.00")
        ),
        "regional": DeliveryMethodFactory(
            code="regional",
            name="Regional courier",
            regions=["Oromia", "Amhara"],
            cities=["Hawassa"],
            fee=Decimal("400.00"),
            cash_on_delivery=False,
        ),
        "pickup": DeliveryMethodFactory(
            code="pickup", name="Pickup at the shop", kind=DeliveryKind.PICKUP, regions=[], fee=Decimal("0.00")
        ),
        "inactive": DeliveryMethodFactory(code="old", name="Old courier", is_active=False),
    }


def fill_cart(user, price="1000.00", quantity=1):
    product = ProductFactory(price=Decimal(price), stock=10)
    cart_item_add(user=user, product_id=product.pk, quantity=quantity)
    return product


class TestDeliveryOptions:
    def test_methods_serving_the_address_cheapest_first_with_the_fee_for_the_cart(self, methods, auth_client, user):
        fill_cart(user, price="6000.00")  # over the Addis courier's free_over
        address = AddressFactory(user=user, region="Addis Ababa")
        response = auth_client.get(OPTIONS, {"address_id": address.pk})
        assert response.status_code == 200
        body = response.json()
        assert [(o["code"], o["fee"], o["fee_for_cart"]) for o in body] == [
            ("addis", "150.00", "0.00"),
            ("pickup", "0.00", "0.00"),
        ]
        assert body[0] == {
            "code": "addis",
            "name": "Addis Ababa courier",
            "kind": "courier",
            "fee": "150.00",
            "free_over": "5000.00",
            "fee_for_cart": "0.00",
            "estimated_days_min": 1,
            "estimated_days_max": 2,
            "cash_on_delivery": True,
        }

    def test_region_or_city_matches_ignoring_case_and_spaces(self, methods, auth_client, user):
        by_city = AddressFactory(user=user, region="Sidama", city="  hawassa ")
        no_region = AddressFactory(user=user, region="", city="Gondar")
        codes = lambda address: [o["code"] for o in auth_client.get(OPTIONS, {"address_id": address.pk}).json()]  # noqa: E731
        assert codes(by_city) == ["pickup", "regional"]
        assert codes(no_region) == ["pickup"]  # only a method serving every region

    def test_an_address_given_in_amharic_is_served_as_its_region(self, methods, auth_client):
        # given a courier for one city, named in Amharic, and two addresses written in Amharic
        DeliveryMethodFactory(code="harar", name="Harar courier", regions=[], cities=["ሐረር"], fee=Decimal("90.00"))

        def address(**fields) -> int:
            given = {"full_name": "ሀና", "phone": "0911234567", "line1": "ቀበሌ 05", **fields}
            created = auth_client.post(reverse("addresses:list"), given)
            assert created.status_code == 201, created.json()
            return created.json()["id"]

        adama, harar = address(city="አዳማ", region="ኦሮሚያ"), address(city="ሀረር", region="ሀረሪ")

        # when the customer asks how each can be delivered
        codes = lambda pk: [o["code"] for o in auth_client.get(OPTIONS, {"address_id": pk}).json()]  # noqa: E731

        # then Oromia's courier serves the first, the city's (spelt ሐረር) the second
        assert codes(adama) == ["pickup", "regional"]
        assert codes(harar) == ["pickup", "harar"]

    def test_an_address_abroad_is_served_by_no_method(self, methods, auth_client, user):
        # Nairobi, Kenya, with a region that happens to be an Ethiopian one
        nairobi = AddressFactory(user=user, country="KE", city="Nairobi", region="Addis Ababa", phone="+254712345678")
        response = auth_client.get(OPTIONS, {"address_id": nairobi.pk})
        assert (response.status_code, response.json()) == (200, [])

    def test_another_users_address_is_404(self, methods, auth_client, other_user):
        response = auth_client.get(OPTIONS, {"address_id": AddressFactory(user=other_user).pk})
        assert response.status_code == 404

    def test_address_id_is_required(self, auth_client):
        assert auth_client.get(OPTIONS).status_code == 400


class TestCheckoutDelivery:
    def test_fee_is_part_of_the_total_and_the_coupon_never_discounts_it(self, methods, auth_client, user):
        fill_cart(user, price="1000.00")
        CouponFactory(code="TENOFF", discount_type="percentage", value=Decimal("10"))
        address = AddressFactory(user=user)
        response = auth_client.post(
            CREATE, {"shipping_address_id": address.pk, "delivery_method": "addis", "coupon_code": "TENOFF"}
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["subtotal"], body["discount_amount"], body["delivery_fee"], body["total"]) == (
            "1000.00",
            "100.00",
            "150.00",
            "1050.00",
        )
        assert body["delivery"] == {
            "method": "addis",
            "name": "Addis Ababa courier",
            "kind": "courier",
            "fee": "150.00",
        }
        assert body["vat_amount"] == "136.96"  # 1050 × 0.15 / 1.15 = 136.9565… half-up

    def test_free_over_is_compared_with_the_subtotal_after_the_coupon(self, methods, user):
        fill_cart(user, price="5200.00")
        CouponFactory(code="FIVE", discount_type="fixed", value=Decimal("300.00"))
        order = place_order(user=user, lines=[], delivery_method="addis", coupon_code="FIVE")
        assert (order.delivery_fee, order.total) == (Decimal("150.00"), Decimal("5050.00"))

    def test_free_delivery_from_free_over(self, methods, user):
        fill_cart(user, price="5000.00")
        order = place_order(user=user, lines=[], delivery_method="addis")
        assert (order.delivery_fee, order.total) == (Decimal("0.00"), Decimal("5000.00"))

    @pytest.mark.parametrize(
        ("given", "error"),
        [
            ({}, DeliveryMethodRequired),
            ({"delivery_method": "nope"}, DeliveryUnavailable),
            ({"delivery_method": "old"}, DeliveryUnavailable),  # inactive
            ({"delivery_method": "regional"}, DeliveryUnavailable),  # does not serve Addis Ababa
            ({"delivery_method": "regional", "payment_method": "cash_on_delivery"}, DeliveryUnavailable),
            ({"delivery_method": "pickup", "payment_method": "cash_on_delivery", "coupon_code": ""}, None),
        ],
    )
    def test_bad_delivery_is_400_and_nothing_is_written(self, methods, auth_client, user, given, error):
        fill_cart(user)
        address = AddressFactory(user=user)
        before = snapshot()
        response = auth_client.post(CREATE, {"shipping_address_id": address.pk, **given})
        if error is None:
            assert response.status_code == 201
            return
        assert response.status_code == 400
        assert response.json()["code"] == error.default_code
        assert snapshot() == before
        assert user.cart.items.count() == 1  # the cart is kept

    @pytest.mark.parametrize(
        "given",
        [
            {"delivery_method": "addis"},
            {"delivery_method": "addis", "payment_method": "cash_on_delivery"},
            {"delivery_method": "pickup"},
        ],
    )
    def test_an_address_abroad_cannot_be_delivered_to(self, methods, auth_client, user, given):
        fill_cart(user)
        nairobi = AddressFactory(user=user, country="KE", city="Nairobi", region="Addis Ababa", phone="+254712345678")
        before = snapshot()
        response = auth_client.post(CREATE, {"shipping_address_id": nairobi.pk, **given})
        assert response.status_code == 400
        assert response.json()["code"] == DeliveryUnavailable.default_code
        assert "only within Ethiopia" in response.json()["detail"]
        assert snapshot() == before

    def test_a_shop_without_methods_delivers_free(self, auth_client, user):
        fill_cart(user)
        response = auth_client.post(CREATE, {"shipping_address_id": AddressFactory(user=user).pk})
        assert response.status_code == 201
        assert (response.json()["delivery"], response.json()["delivery_fee"]) == (None, "0.00")

    def test_the_database_keeps_total_equal_to_subtotal_minus_discount_plus_fee(self, methods, user):
        fill_cart(user)
        order = place_order(user=user, lines=[], delivery_method="addis")
        with pytest.raises(IntegrityError), transaction.atomic():
            Order.objects.filter(pk=order.pk).update(delivery_fee=Decimal("0.00"))

    def test_vat_rate_zero_turns_vat_off(self, methods, user, settings):
        settings.VAT_RATE = Decimal("0")
        fill_cart(user)
        assert place_order(user=user, lines=[], delivery_method="addis").vat_amount == Decimal("0.00")


class TestCashOnDelivery:
    def test_confirmed_at_once_unpaid_with_no_payment_window(self, methods, auth_client, user):
        product = fill_cart(user)
        response = auth_client.post(
            CREATE,
            {
                "shipping_address_id": AddressFactory(user=user).pk,
                "delivery_method": "addis",
                "payment_method": "cash_on_delivery",
            },
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["status"], body["payment_status"], body["payment_method"], body["expires_at"]) == (
            "confirmed",
            "unpaid",
            "cash_on_delivery",
            None,
        )
        assert Product.objects.get(pk=product.pk).stock == 9  # holds its stock
        assert order_expire_overdue() == 0

    @pytest.mark.parametrize("case", ["method_takes_no_cash", "over_cod_max_total", "no_methods"])
    def test_cod_unavailable_is_400_and_nothing_is_written(self, db, auth_client, user, settings, case):
        if case != "no_methods":
            DeliveryMethodFactory(code="addis", cash_on_delivery=case != "method_takes_no_cash")
        settings.COD_MAX_TOTAL = Decimal("500.00")
        fill_cart(user, price="400.00" if case != "over_cod_max_total" else "600.00")
        before = snapshot()
        body = {"shipping_address_id": AddressFactory(user=user).pk, "payment_method": "cash_on_delivery"}
        if case != "no_methods":
            body["delivery_method"] = "addis"
        response = auth_client.post(CREATE, body)
        assert (response.status_code, response.json()["code"]) == (400, CashOnDeliveryUnavailable.default_code)
        assert snapshot() == before

    def test_delivered_needs_the_payment_recorded(self, methods, user, staff):
        fill_cart(user)
        order = place_order(user=user, lines=[], delivery_method="addis", payment_method="cash_on_delivery")
        order_status_change(order_id=order.pk, new_status="processing", actor=staff)
        order_status_change(order_id=order.pk, new_status="shipped", actor=staff)
        events = OrderEvent.objects.count()
        response = client_for(staff).patch(
            reverse("orders:update-status", args=[order.pk]), {"status": "delivered"}, format="json"
        )
        assert (response.status_code, response.json()["code"]) == (400, PaymentRequired.default_code)
        order.refresh_from_db()
        assert (order.status, OrderEvent.objects.count()) == ("shipped", events)

    def test_customer_may_cancel_while_confirmed_and_unpaid(self, methods, user):
        product = fill_cart(user)
        order = place_order(user=user, lines=[], delivery_method="addis", payment_method="cash_on_delivery")
        order_cancel(order_id=order.pk, actor=user)
        order.refresh_from_db()
        assert (order.status, order.payment_status) == ("cancelled", "unpaid")
        assert Product.objects.get(pk=product.pk).stock == 10

    def test_customer_may_not_cancel_once_processing(self, methods, user, staff):
        fill_cart(user)
        order = place_order(user=user, lines=[], delivery_method="addis", payment_method="cash_on_delivery")
        order_status_change(order_id=order.pk, new_status="processing", actor=staff)
        with pytest.raises(InvalidTransition):
            order_cancel(order_id=order.pk, actor=user)

    def test_initiate_with_chapa_is_400(self, methods, auth_client, user):
        fill_cart(user)
        order = place_order(user=user, lines=[], delivery_method="addis", payment_method="cash_on_delivery")
        response = auth_client.post(reverse("payments:initiate"), {"order_id": str(order.pk)})
        assert (response.status_code, response.json()["code"]) == (400, "order_not_payable")
        assert not order.payments.exists()


class TestShippingWithTracking:
    def test_tracking_is_kept_and_in_the_customers_email(
        self, methods, user, staff, django_capture_on_commit_callbacks
    ):
        fill_cart(user)
        order = place_order(user=user, lines=[], delivery_method="addis", payment_method="cash_on_delivery")
        order_status_change(order_id=order.pk, new_status="processing", actor=staff)
        mail.outbox.clear()
        tracking = {"carrier": "Zemen Express", "number": "ZE-4471", "url": "https://track.example.et/ZE-4471"}
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(staff).patch(
                reverse("orders:update-status", args=[order.pk]),
                {"status": "shipped", "tracking": tracking},
                format="json",
            )
        assert response.status_code == 200
        assert response.json()["tracking"] == tracking
        (message,) = mail.outbox
        assert "Zemen Express, number ZE-4471" in message.body
        assert "https://track.example.et/ZE-4471" in message.body

    def test_tracking_on_another_move_is_400(self, methods, user, staff):
        fill_cart(user)
        order = place_order(user=user, lines=[], delivery_method="addis", payment_method="cash_on_delivery")
        events = OrderEvent.objects.count()
        response = client_for(staff).patch(
            reverse("orders:update-status", args=[order.pk]),
            {"status": "processing", "tracking": {"carrier": "X", "number": "1"}},
            format="json",
        )
        assert response.status_code == 400 and "tracking" in response.json()
        order.refresh_from_db()
        assert (order.status, order.tracking, OrderEvent.objects.count()) == ("confirmed", None, events)
