"""E-mails are written when they are sent, in the recipient's language, whoever caused them and
whatever language the request or the worker spoke."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from conftest import client_for
from ecommerce.outbox.models import OutboxEmail
from orders.services import order_payment_received, order_status_change
from orders.tests.factories import place_order
from products.tests.factories import ProductFactory
from users.emails import password_reset_email
from users.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

TRACKING = {"carrier": "Selam Express", "number": "SE-4471", "url": "https://track.example.et/SE-4471"}


def paid_order(customer):
    order = place_order(user=customer, lines=[(ProductFactory(title="Yirgacheffe beans"), 2)])
    order_payment_received(order_id=order.pk, payment_ref="paid-at-the-shop")
    return order


def ship(staff, order, language):
    client = client_for(staff)
    url = reverse("orders:update-status", args=[order.pk])
    for status, extra in (("processing", {}), ("shipped", {"tracking": TRACKING})):
        response = client.patch(url, {"status": status, **extra}, format="json", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, response.json()
    return response


def latin_words(text: str, *values: str) -> list[str]:
    """The words in Latin letters left once the values an e-mail quotes are taken out."""
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, " ")
    return re.findall(r"[A-Za-z]{2,}", text)


def test_an_english_staff_member_ships_an_amharic_customers_order(django_capture_on_commit_callbacks):
    # given a customer who reads Amharic, and a paid order of theirs
    customer = UserFactory(first_name="Almaz", language="am")
    order = paid_order(customer)
    mail.outbox.clear()
    staff = StaffFactory(language="en")

    # when an English-speaking staff member ships it, their own answers in English
    with django_capture_on_commit_callbacks(execute=True):
        response = ship(staff, order, language="en")
    assert response["Content-Language"] == "en"

    # then the customer's "shipped" e-mail is in Amharic, subject and both bodies
    shipped = mail.outbox[-1]
    assert shipped.to == [customer.email]
    assert shipped.subject == f"[Shop] ትዕዛዝ {order.number}፦ ተልኳል"
    text = shipped.body
    assert "ሰላም Almaz፣" in text
    assert "ትዕዛዝዎ በመንገድ ላይ ነው" in text
    assert f"የትዕዛዝ {order.number} ሁኔታ አሁን፦ ተልኳል።" in text
    assert "መከታተያ፦ Selam Express፣ ቁጥር SE-4471" in text
    assert "ጠቅላላ" in text and "ንዑስ ድምር" in text
    skus = [item.sku for item in order.items.all()]
    quoted = [order.number, "Almaz", "Yirgacheffe beans", *skus, *TRACKING.values(), "Shop", "ETB"]
    assert latin_words(text, *quoted) == [], text
    html, _ = shipped.alternatives[0]
    assert '<html lang="am">' in html and "ትዕዛዝዎ በመንገድ ላይ ነው" in html
    assert latin_words(re.sub(r"<[^>]*>|&[a-z]+;", " ", html), *quoted) == [], html
    # and the outbox kept what it sent, in the language it sent it in
    kept = OutboxEmail.objects.get(key__startswith="order-status:", subject=shipped.subject)
    assert (kept.language, kept.body_text) == ("am", text)


def test_an_amharic_staff_member_ships_an_english_customers_order(django_capture_on_commit_callbacks):
    customer = UserFactory(first_name="Tom", language="en")
    order = paid_order(customer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = ship(StaffFactory(language="am"), order, language="am")
    assert response["Content-Language"] == "am"
    shipped = mail.outbox[-1]
    assert shipped.subject == f"[Shop] Order {order.number}: Shipped"
    assert "Hello Tom," in shipped.body and "Your order is on its way" in shipped.body
    assert "Tracking: Selam Express, number SE-4471" in shipped.body


def test_queued_in_one_language_and_sent_in_the_recipients(django_capture_on_commit_callbacks):
    # A request in English queues an e-mail for an Amharic reader; the worker happens to speak
    # English too (the thread's language is whatever its last job left).
    order = paid_order(UserFactory(language="am"))
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        order_status_change(order_id=order.pk, new_status="processing", actor=StaffFactory())
    [email] = OutboxEmail.objects.filter(key__startswith="order-status:")
    assert email.language == "am"
    assert mail.outbox[-1].subject == f"[Shop] ትዕዛዝ {order.number}፦ በዝግጅት ላይ"


def test_nothing_is_written_until_it_is_sent():
    user = UserFactory(language="am")
    password_reset_email(user=user)
    email = OutboxEmail.objects.get()
    assert (email.language, email.template, email.context) == ("am", "users/email/password_reset", {"user_id": user.pk})
    assert (email.subject, email.body_text, email.body_html) == ("", "", "")
