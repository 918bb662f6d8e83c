"""E-mail delivery by a real Celery worker on RabbitMQ to a real SMTP server, on PostgreSQL."""

import time
from decimal import Decimal

import pytest
from django.urls import reverse

from addresses.tests.factories import AddressFactory
from cart.services import cart_item_add
from conftest import client_for
from ecommerce.outbox.models import OutboxEmail
from ecommerce.outbox.tasks import outbox_flush as outbox_flush_task
from orders.models import Order
from products.tests.factories import ProductFactory
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def checkout(user, product, quantity=1):
    cart_item_add(user=user, product_id=product.pk, quantity=quantity)
    address = AddressFactory(user=user, full_name="Almaz Kebede", city="Bahir Dar")
    return client_for(user).post(reverse("orders:create"), {"shipping_address_id": address.pk})


def wait_until(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def test_worker_delivers_the_order_confirmation(celery_worker, smtp_server):
    user = UserFactory(first_name="Almaz")
    product = ProductFactory(title="Yirgacheffe beans 1 kg", price=Decimal("1450.00"), stock=5)

    response = checkout(user, product, quantity=2)

    assert response.status_code == 201
    number = response.json()["number"]
    [message] = smtp_server.wait_for(1)
    assert message["To"] == user.email
    assert message["Subject"] == f"[Shop] Order {number} received"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Hello Almaz," in text
    assert "2 × Yirgacheffe beans 1 kg @ 1,450.00 = 2,900.00 ETB" in text
    assert "Almaz Kebede" in text and "Bahir Dar" in text
    assert number in html and "2,900.00 ETB" in html
    wait_until(lambda: OutboxEmail.objects.get().status == "sent")


def test_the_worker_writes_the_email_in_the_customers_language(celery_worker, smtp_server):
    # An English request, an Amharic reader: the worker writes the e-mail when it sends it.
    user = UserFactory(language="am")
    cart_item_add(user=user, product_id=ProductFactory().pk, quantity=1)
    address = AddressFactory(user=user)
    response = client_for(user).post(
        reverse("orders:create"), {"shipping_address_id": address.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 201
    [message] = smtp_server.wait_for(1)
    # (an encoded-word header: parsed back, it keeps the space that folding put before it)
    assert message["Subject"].strip() == f"[Shop] ትዕዛዝ {response.json()['number']} ደርሶናል"
    assert '<html lang="am">' in message.get_body(preferencelist=("html",)).get_content()


def test_smtp_failing_then_recovering_is_retried_until_delivered(celery_worker, smtp_server):
    smtp_server.refuse_next = 2  # "451 try again later", twice
    user = UserFactory()

    assert checkout(user, ProductFactory()).status_code == 201

    [message] = smtp_server.wait_for(1)
    assert message["Subject"].startswith("[Shop] Order ")
    assert smtp_server.refused == 2
    wait_until(lambda: OutboxEmail.objects.get().status == "sent")
    email = OutboxEmail.objects.get()
    assert email.attempts == 3 and "451" in email.last_error


def test_broker_down_at_checkout_fails_nothing_and_loses_nothing(celery_worker, smtp_server, rabbitmq_outage, settings):
    settings.EMAIL_OUTBOX_GRACE_SECONDS = 0
    user = UserFactory()
    product = ProductFactory(stock=3)

    # given RabbitMQ is down
    rabbitmq_outage.stop()
    # when a customer checks out
    started = time.monotonic()
    response = checkout(user, product)
    took = time.monotonic() - started
    # then the checkout succeeds, promptly, with its e-mail waiting in the outbox
    assert response.status_code == 201, response.json()
    assert took < 3  # publishing does not wait on the dead broker
    assert Order.objects.get().number == response.json()["number"]
    assert OutboxEmail.objects.get().status == "pending"
    assert smtp_server.messages == []

    # when the broker is back, the periodic flush sends what waited
    rabbitmq_outage.start()
    wait_until(lambda: _flush_reaches_worker())
    [message] = smtp_server.wait_for(1)
    assert response.json()["number"] in message["Subject"]
    # The worker marks the row sent in the transaction that sent it: it commits just after.
    wait_until(lambda: OutboxEmail.objects.get().status == "sent")


def _flush_reaches_worker() -> bool:
    try:
        outbox_flush_task.delay()
        return True
    except Exception:
        return False
