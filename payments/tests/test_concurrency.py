"""Verification under concurrency, on PostgreSQL with real parallel connections."""

from collections import Counter

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import client_for
from ecommerce.common.tests.concurrency import run_concurrently
from orders.models import Order, OrderEvent
from orders.tests.factories import place_order
from payments.models import Payment
from payments.tests.factories import initiated_payment
from users.models import OutboxEmail
from users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]


def test_twenty_concurrent_verify_calls_apply_success_once(chapa):
    # given a payment the customer completed on Chapa's page
    payment = initiated_payment(user=UserFactory())
    chapa.complete(payment.tx_ref, "success")
    url = reverse("payments:verify", args=[payment.pk])

    # when Chapa's callback, the customer's browser and retries all verify at once
    def verify():
        response = APIClient().get(url)
        return response.status_code, response.json()["status"]

    results = run_concurrently([verify for _ in range(20)])

    # then every caller sees success, and the state changed exactly once
    assert Counter(results) == {(200, "success"): 20}, results
    payment.refresh_from_db()
    order = Order.objects.get(pk=payment.order_id)
    assert (payment.status, order.status, order.payment_status) == ("success", "confirmed", "paid")
    assert OrderEvent.objects.filter(order=order, status="confirmed").count() == 1
    assert Payment.objects.filter(order=order).count() == 1
    assert OutboxEmail.objects.filter(key__startswith="payment-").count() == 1  # one e-mail


def test_concurrent_initiations_share_one_payment(chapa):
    user = UserFactory()
    order = place_order(user=user)

    def initiate():
        response = client_for(user).post(reverse("payments:initiate"), {"order_id": str(order.pk)})
        return response.status_code, response.json().get("id")

    results = run_concurrently([initiate for _ in range(10)])

    statuses = Counter(status for status, _ in results)
    # one opens the checkout; the others get it back, or are told it is being opened right now
    assert statuses[201] == 1 and set(statuses) <= {200, 201, 409}, results
    assert len({pid for status, pid in results if status in (200, 201)}) == 1
    assert Payment.objects.filter(order=order).count() == 1
    assert chapa.state()["initialize_calls"] == 1
