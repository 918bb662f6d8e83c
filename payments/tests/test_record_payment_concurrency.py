"""Recording a payment under concurrency, on PostgreSQL with real parallel connections."""

from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from ecommerce.common.tests.concurrency import race_under_lock, run_concurrently
from orders.lock_objects import order_lock
from orders.models import Order, OrderEvent
from orders.tests.factories import DeliveryMethodFactory, place_order
from payments.lock_objects import payment_lock
from payments.models import Payment
from payments.services import payment_record, payment_verify
from payments.tests.factories import initiated_payment
from products.tests.factories import ProductFactory
from users.tests.factories import StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]


def test_two_staff_recording_at_once_record_one_payment():
    DeliveryMethodFactory(code="addis", fee=Decimal("150.00"))
    order = place_order(
        user=UserFactory(),
        lines=[(ProductFactory(price=Decimal("1000.00"), stock=5), 1)],
        delivery_method="addis",
        payment_method="cash_on_delivery",
    )
    staff = [StaffFactory(), StaffFactory()]
    url = reverse("order-payments:record-payment", args=[order.pk])

    def record(member):
        return lambda: client_for(member).post(url, {"amount": "1150.00", "method": "cash"}, format="json").status_code

    results = run_concurrently([record(member) for member in staff])

    assert Counter(results) == {200: 1, 409: 1}, results
    assert Payment.objects.filter(order=order).count() == 1
    assert OrderEvent.objects.filter(order=order, type="payment_recorded").count() == 1
    assert Order.objects.get(pk=order.pk).payment_status == "paid"


def test_a_recording_racing_a_chapa_success_loses_neither_payment(chapa):
    # given a Chapa attempt the customer has paid, and staff recording a bank transfer meanwhile
    payment = initiated_payment(user=UserFactory())
    chapa.complete(payment.tx_ref, "success")
    staff = StaffFactory()

    # when the recording holds the order while Chapa's verification arrives
    verified = race_under_lock(
        lock=lambda: payment_record(
            order_id=payment.order_id, amount=payment.amount, method="bank_transfer", actor=staff
        ),
        other=lambda: payment_verify(payment_id=payment.pk),
        change=lambda: order_lock(pk=payment.order_id),
    )

    # then the recorded money paid the order and Chapa's money is kept, owed back to the customer
    assert not isinstance(verified, Exception), verified
    order = Order.objects.get(pk=payment.order_id)
    recorded = Payment.objects.get(order=order, method="bank_transfer")
    payment.refresh_from_db()
    assert (recorded.status, recorded.applied) == ("success", True)
    assert (payment.status, payment.applied) == ("success", False)
    assert (order.status, order.payment_status) == ("confirmed", "refund_pending")
    assert OrderEvent.objects.filter(order=order, type="refund_flagged").count() == 1


def test_a_recording_waits_for_a_verification_holding_the_open_checkout(chapa):
    # given a verification of the order's open Chapa checkout holding its row, about to take the order
    payment = initiated_payment(user=UserFactory())
    staff = StaffFactory()

    # when staff record the order's cash meanwhile (which closes that checkout)
    recorded = race_under_lock(
        lock=lambda: payment_lock(pk=payment.pk),
        other=lambda: payment_record(order_id=payment.order_id, amount=payment.amount, method="cash", actor=staff),
        change=lambda: order_lock(pk=payment.order_id),
    )

    # then the recording waited its turn (payment before order, as a verification takes them):
    # no deadlock, the cash paid the order and the checkout is closed
    assert not isinstance(recorded, Exception), recorded
    payment.refresh_from_db()
    assert payment.status == "cancelled"
    assert Order.objects.get(pk=payment.order_id).payment_status == "paid"
