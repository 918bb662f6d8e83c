"""SMS delivery by a real Celery worker on RabbitMQ to the SMS sandbox over HTTP, on PostgreSQL."""

import pytest
from django.urls import reverse

from addresses.tests.factories import AddressFactory
from cart.services import cart_item_add
from conftest import client_for
from ecommerce.outbox.models import OutboxSms
from ecommerce.outbox.tests.test_email_worker import wait_until
from products.tests.factories import ProductFactory
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_retries_a_failing_gateway_with_backoff_and_the_sms_arrives_once(sms_gateway, celery_worker):
    # given a gateway that fails its next two sends, and an Amharic customer
    sms_gateway.config(fail_next=2, failure="http500")
    user = UserFactory(language="am")
    cart_item_add(user=user, product_id=ProductFactory().pk, quantity=1)
    address = AddressFactory(user=user, phone="0711234567")

    # when they order (in English)
    response = client_for(user).post(
        reverse("orders:create"), {"shipping_address_id": address.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 201

    # then the worker's task retries until the gateway takes it: one SMS, in Amharic
    wait_until(lambda: OutboxSms.objects.get().status == "sent")
    [received] = sms_gateway.messages()
    assert received["to"] == "251711234567"
    assert f"ትዕዛዝ {response.json()['number']}" in received["message"]
    sms = OutboxSms.objects.get()
    assert (sms.attempts, sms_gateway.state()["send_calls"]) == (3, 3)
