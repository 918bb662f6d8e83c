"""Order SMS, sent through the AfroMessage backend to the sandbox gateway over real HTTP, at the
order's shipping phone, in the customer's language."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from addresses.tests.factories import AddressFactory
from cart.services import cart_item_add
from conftest import client_for
from ecommerce.outbox.kinds import sms_kind
from ecommerce.outbox.models import OutboxSms
from ecommerce.outbox.services import outbox_flush
from ecommerce.outbox.sms_parts import sms_parts
from orders.events import status_changed_event
from orders.models import Order, Return, ReturnEvent
from orders.services import order_cancel, order_payment_received, order_place_from_cart, order_status_change
from orders.sms import (
    ORDER_CANCELLED,
    ORDER_CONFIRMED,
    ORDER_DELIVERED,
    ORDER_PAID,
    ORDER_PLACED,
    ORDER_SHIPPED,
    RETURN_STATUS,
)
from orders.tests.factories import DeliveryMethodFactory, place_order
from products.exceptions import InsufficientStock
from products.tests.factories import ProductFactory, set_stock
from users.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PHONE, INTERNATIONAL = "0911234567", "251911234567"
TRACKING = {"carrier": "Selam Express", "number": "SE-4471", "url": "https://track.example.et/SE-4471"}


def customer(language="en", **fields):
    user = UserFactory(language=language, **fields)
    AddressFactory(user=user, phone=PHONE, is_default=True)
    return user


def order_of(user, **kwargs) -> Order:
    return place_order(user=user, address=user.addresses.get(), **kwargs)


def texts(gateway) -> list[str]:
    return [m["message"] for m in gateway.messages(to=INTERNATIONAL)]


def paid_order(user, **kwargs) -> Order:
    order = order_of(user, **kwargs)
    order_payment_received(order_id=order.pk, payment_ref="paid-at-the-shop")
    return order


class TestOrderSms:
    def test_the_customer_hears_of_each_step_of_a_paid_order(
        self, sms_gateway, staff, django_capture_on_commit_callbacks
    ):
        # given / when: placed, paid, shipped with tracking, delivered
        user = customer()
        with django_capture_on_commit_callbacks(execute=True):
            order = paid_order(user)
        with django_capture_on_commit_callbacks(execute=True):
            for status in ("processing", "shipped", "delivered"):
                order_status_change(
                    order_id=order.pk,
                    new_status=status,
                    actor=staff,
                    tracking=TRACKING if status == "shipped" else None,
                )
        # then: one SMS a step (processing sends none), at the shipping phone
        total = f"{order.total:,.2f} ETB"
        assert texts(sms_gateway) == [
            f"Shop: We received order {order.number} ({total}). It is confirmed once it is paid.",
            f"Shop: We received your payment of {total} for order {order.number}. Thank you!",
            f"Shop: Order {order.number} is on its way. Selam Express tracking number: SE-4471 "
            "https://track.example.et/SE-4471",
            f"Shop: Order {order.number} has been delivered. Thank you for shopping with us!",
        ]
        assert set(OutboxSms.objects.values_list("status", flat=True)) == {"sent"}

    def test_a_cash_on_delivery_order_is_confirmed_with_the_amount_to_pay(
        self, sms_gateway, django_capture_on_commit_callbacks
    ):
        user = customer()
        method = DeliveryMethodFactory(code="addis")
        with django_capture_on_commit_callbacks(execute=True):
            order = order_of(user, delivery_method=method.code, payment_method="cash_on_delivery")
        total = f"{order.total:,.2f} ETB"
        assert texts(sms_gateway) == [
            f"Shop: Order {order.number} is confirmed. Please pay {total} in cash on delivery."
        ]

    def test_a_cancelled_order_says_so_and_a_paid_one_that_its_money_comes_back(
        self, sms_gateway, staff, django_capture_on_commit_callbacks
    ):
        user = customer()
        unpaid, paid = order_of(user), paid_order(user)
        with django_capture_on_commit_callbacks(execute=True):
            order_cancel(order_id=unpaid.pk, actor=user)
            order_status_change(order_id=paid.pk, new_status="cancelled", actor=staff)
        assert texts(sms_gateway)[-2:] == [
            f"Shop: Order {unpaid.number} has been cancelled.",
            f"Shop: Order {paid.number} has been cancelled. The money you paid will be refunded.",
        ]

    def test_an_english_staff_member_shipping_an_amharic_customers_order_sends_amharic(
        self, sms_gateway, django_capture_on_commit_callbacks
    ):
        # given a customer who reads Amharic, and a paid order of theirs
        user = customer(language="am")
        order = paid_order(user)
        staff = StaffFactory(language="en")
        client = client_for(staff)
        url = reverse("orders:update-status", args=[order.pk])
        # when an English-speaking staff member ships it
        with django_capture_on_commit_callbacks(execute=True):
            for status, extra in (("processing", {}), ("shipped", {"tracking": TRACKING})):
                response = client.patch(url, {"status": status, **extra}, format="json", HTTP_ACCEPT_LANGUAGE="en")
                assert response.status_code == 200, response.json()
        assert response["Content-Language"] == "en"
        # then the SMS is in Amharic
        assert texts(sms_gateway) == [
            f"Shop: ትዕዛዝ {order.number} ተልኳል። የSelam Express መከታተያ ቁጥር፦ SE-4471 https://track.example.et/SE-4471"
        ]

    def test_a_customer_who_turned_sms_off_gets_none(self, sms_gateway, staff, django_capture_on_commit_callbacks):
        user = customer(sms_notifications=False)
        with django_capture_on_commit_callbacks(execute=True):
            order = paid_order(user)
            order_status_change(order_id=order.pk, new_status="cancelled", actor=staff)
        assert not OutboxSms.objects.exists()
        assert sms_gateway.state()["send_calls"] == 0

    def test_an_order_shipped_to_a_phone_abroad_gets_none(self, sms_gateway, django_capture_on_commit_callbacks):
        user = customer()
        order = order_of(user)
        OutboxSms.objects.all().delete()
        Order.objects.filter(pk=order.pk).update(shipping_address={**order.shipping_address, "phone": "+254712345678"})
        with django_capture_on_commit_callbacks(execute=True):
            order_cancel(order_id=order.pk, actor=user)
        assert not OutboxSms.objects.exists()
        assert sms_gateway.state()["send_calls"] == 0


class TestNoSmsForWhatRolledBack:
    def test_a_checkout_refused_for_stock_sends_none(self, sms_gateway, django_capture_on_commit_callbacks):
        # given a cart whose product ran out after it was added
        user = customer()
        product = ProductFactory(stock=5)
        cart_item_add(user=user, product_id=product.pk, quantity=3)
        set_stock(product, 1)
        # when the checkout is refused
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(InsufficientStock):
            order_place_from_cart(user=user, shipping_address_id=user.addresses.get().pk)
        # then nothing was queued or sent
        assert not OutboxSms.objects.exists() and not Order.objects.exists()
        assert sms_gateway.state()["send_calls"] == 0

    def test_a_checkout_rolled_back_after_its_sms_was_queued_sends_none(
        self, sms_gateway, django_capture_on_commit_callbacks
    ):
        # given / when: the order and its SMS are written, then the transaction around them fails
        user = customer()
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            order_of(user)
            assert OutboxSms.objects.count() == 1  # queued inside the transaction
            raise RuntimeError("a later step of the same change failed")
        # then
        assert callbacks == []
        assert not OutboxSms.objects.exists() and not Order.objects.exists()
        assert sms_gateway.state()["send_calls"] == 0


class TestGatewayOutage:
    def test_every_sms_arrives_once_after_the_gateway_recovers(
        self, sms_gateway, staff, settings, django_capture_on_commit_callbacks
    ):
        # given a gateway that is down (connections dropped unanswered) for the next 8 sends
        settings.SMS_RETRY_BACKOFF_SECONDS = 1
        sms_gateway.config(fail_next=8, failure="down")
        users = [customer() for _ in range(3)]
        # when three customers order and pay while it is down
        with django_capture_on_commit_callbacks(execute=True):
            orders = [paid_order(user) for user in users]
        assert sms_gateway.messages() == []
        assert OutboxSms.objects.filter(status="pending").count() == 6
        # and the beat's flush runs until the gateway is back and the backlog is gone
        for _ in range(10):
            OutboxSms.objects.filter(status="pending").update(next_attempt_at=timezone.now())
            outbox_flush()
            if not OutboxSms.objects.filter(status="pending").exists():
                break
        # then every SMS arrived, exactly once, and a flush after that sends nothing again
        assert sms_gateway.state()["failed_calls"] == 8
        received = sorted(texts(sms_gateway))
        expected = sorted(
            f"Shop: {text}"
            for order in orders
            for text in (
                f"We received order {order.number} ({order.total:,.2f} ETB). It is confirmed once it is paid.",
                f"We received your payment of {order.total:,.2f} ETB for order {order.number}. Thank you!",
            )
        )
        assert received == expected
        assert outbox_flush() == {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
        assert len(sms_gateway.messages()) == 6


class TestShippedSmsMakesRoom:
    @pytest.mark.parametrize("language", ["en", "am"])
    def test_a_carrier_name_too_long_gives_way_to_the_tracking_number(self, settings, staff, language):
        settings.SHOP_NAME = LONG["shop"]
        order = paid_order(customer(language=language))
        tracking = {"carrier": "C" * 100, "number": LONG["number"], "url": LONG["url"]}
        shipped = status_changed_event(actor=staff, note="", tracking=tracking)
        shipped.order, shipped.status, shipped.payment_status = order, "shipped", "paid"
        shipped.save()
        with translation.override(language):
            text = sms_kind(ORDER_SHIPPED)({"order_id": str(order.pk), "event_id": shipped.pk})
        assert sms_parts(text).parts <= 2 and LONG["number"] in text
        # English (GSM-7) has room for it all; Amharic (UCS-2) leaves the link and the carrier out.
        assert ("C" * 100 in text, LONG["url"] in text) == ((True, True) if language == "en" else (False, False))


LONG = {
    "shop": "Addis Merkato Online Shop PLC",  # 29 characters
    "carrier": "Ethiopian Postal Service (EMS) Express",  # 38
    "number": "ETPX-2026-000000000123456789AB",  # 30
    "url": "https://tracking.ethiopianpostal.gov.et/track?number=ETPX-2026-000000000123456789AB",
    "total": Decimal("9999999.99"),
}


class TestEveryNotificationFitsTwoParts:
    @pytest.mark.parametrize("language", ["en", "am"])
    def test_with_the_longest_realistic_values(self, settings, staff, language):
        # given an order with a large total, and a shipment with long tracking details
        settings.SHOP_NAME = LONG["shop"]
        user = customer(language=language)
        order = paid_order(user, lines=[(ProductFactory(price=LONG["total"], stock=1), 1)])
        tracking = {"carrier": LONG["carrier"], "number": LONG["number"], "url": LONG["url"]}
        shipped = status_changed_event(actor=staff, note="", tracking=tracking)
        shipped.order, shipped.status, shipped.payment_status = order, "shipped", "paid"
        shipped.save()
        refunded = status_changed_event(actor=staff, note="")
        refunded.order, refunded.status, refunded.payment_status = order, "cancelled", "refund_pending"
        refunded.save()
        # and a return of it with the longest number an order's return can have, approved,
        # rejected and refunded in full
        ret = Return.objects.create(order=order, number=f"{order.number:X<16}-R99")

        def answered(status, **parameters):
            event = ReturnEvent.objects.create(return_request=ret, type=status, status=status, parameters=parameters)
            return {"order_id": str(order.pk), "return_id": ret.pk, "event_id": event.pk}

        values = {"order_id": str(order.pk)}
        returns = {
            "approved": answered("approved"),
            "rejected": answered("rejected"),
            "refunded": answered("refunded", amount=str(order.total), delivery="0.00"),
        }
        cases = {
            ORDER_PLACED: values,
            ORDER_CONFIRMED: {**values, "cash_due": True},
            ORDER_PAID: values,
            ORDER_SHIPPED: {**values, "event_id": shipped.pk},
            ORDER_DELIVERED: values,
            ORDER_CANCELLED: {**values, "event_id": refunded.pk},
        }
        # when each is written in the language, then it fits in two parts
        with translation.override(language):
            written = {kind: sms_kind(kind)(kind_values) for kind, kind_values in cases.items()}
            written |= {f"return {status}": sms_kind(RETURN_STATUS)(v) for status, v in returns.items()}
        for kind, text in written.items():
            assert sms_parts(text).parts <= 2, (kind, sms_parts(text), text)
        # and the long values are in them (the link is left out where it does not fit)
        assert LONG["number"] in written[ORDER_SHIPPED] and LONG["carrier"] in written[ORDER_SHIPPED]
        assert (LONG["url"] in written[ORDER_SHIPPED]) == (language == "en")
        assert "9,999,999.99" in written[ORDER_PAID]
        assert "9,999,999.99" in written["return refunded"] and ret.number in written["return refunded"]
        assert sms_parts(written[ORDER_SHIPPED]).encoding == ("gsm7" if language == "en" else "ucs2")
