from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from addresses.tests.factories import AddressFactory
from cart.services import cart_item_add
from ecommerce.common.tests.processes import free_port
from ecommerce.outbox.models import OutboxEmail
from ecommerce.outbox.services import email_enqueue, outbox_email_send, outbox_flush
from orders.services import order_payment_received, order_place_from_cart, order_status_change
from orders.tests.factories import place_order
from products.exceptions import InsufficientStock
from products.tests.factories import ProductFactory, set_stock
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def enqueue(key=None, to="almaz@example.et"):
    return email_enqueue(
        to=to, language="en", template="users/email/password_reset", context={"user_id": UserFactory().pk}, key=key
    )


class TestOutbox:
    def test_order_placed_email_is_sent_after_commit_with_text_and_html(self, user, django_capture_on_commit_callbacks):
        product = ProductFactory(title="Sidamo beans", price=Decimal("780.00"), stock=5)
        with django_capture_on_commit_callbacks(execute=True):
            order = place_order(user=user, lines=[(product, 2)])
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [user.email]
        assert message.subject == f"[Shop] Order {order.number} received"
        assert "2 × Sidamo beans @ 780.00 = 1,560.00 ETB" in message.body
        assert "Total:    1,560.00 ETB" in message.body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html" and order.number in html and "Sidamo beans" in html
        assert OutboxEmail.objects.get().status == "sent"

    def test_rolled_back_checkout_sends_nothing(self, user, django_capture_on_commit_callbacks):
        product = ProductFactory(stock=5)
        cart_item_add(user=user, product_id=product.pk, quantity=3)
        set_stock(product, 1)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(InsufficientStock):
            order_place_from_cart(user=user, shipping_address_id=AddressFactory(user=user).pk)
        assert not OutboxEmail.objects.exists()
        assert mail.outbox == []

    def test_nothing_is_queued_inside_a_transaction_that_rolls_back(self, django_capture_on_commit_callbacks):
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            enqueue()
            raise RuntimeError("the business change failed")
        assert callbacks == [] and not OutboxEmail.objects.exists()

    def test_one_email_per_key(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            first = enqueue(key="payment-success:1")
            second = enqueue(key="payment-success:1")
        assert first is not None and second is None
        assert len(mail.outbox) == 1

    def test_status_change_email_carries_the_note(self, user, staff, django_capture_on_commit_callbacks):
        order = place_order(user=user)
        order_payment_received(order_id=order.pk, payment_ref="paid-at-the-shop")
        with django_capture_on_commit_callbacks(execute=True):
            order_status_change(order_id=order.pk, new_status="processing", actor=staff, note="Packed today")
            order_status_change(order_id=order.pk, new_status="shipped", actor=staff)
        subjects = [m.subject for m in mail.outbox]
        assert subjects == [f"[Shop] Order {order.number}: Processing", f"[Shop] Order {order.number}: Shipped"]
        assert "Note from us: Packed today" in mail.outbox[0].body

    def test_smtp_failure_is_retried_with_backoff_then_given_up(self, settings):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens: refused
        settings.EMAIL_RETRY_BACKOFF_SECONDS = 10
        settings.EMAIL_MAX_ATTEMPTS = 3
        email = enqueue()
        delays = []
        for expected in ("retry", "retry", "failed"):
            OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
            outcome, delay = outbox_email_send(email_id=email.pk)
            assert outcome == expected
            delays.append(delay)
        assert delays == [10, 20, 40]
        email.refresh_from_db()
        assert (email.status, email.attempts) == ("failed", 3)
        assert "ConnectionRefusedError" in email.last_error

    def test_flush_sends_what_is_due_only(self, settings):
        due = enqueue(to="due@example.et")
        later = enqueue(to="later@example.et")
        OutboxEmail.objects.filter(pk=due.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        OutboxEmail.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))
        assert outbox_flush() == {"sent": 1, "retry": 0, "failed": 0, "skipped": 0}
        assert [m.to for m in mail.outbox] == [["due@example.et"]]
        assert outbox_email_send(email_id=due.pk) == ("skipped", 0)  # never twice

    def test_beat_flushes_every_minute(self, settings):
        assert settings.CELERY_BEAT_SCHEDULE["outbox-flush"] == {
            "task": "ecommerce.outbox.tasks.outbox_flush",
            "schedule": 60.0,
        }
