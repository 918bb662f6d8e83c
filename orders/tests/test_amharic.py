"""The orders app speaks Amharic to whoever reads it in Amharic: customers' errors and
e-mails, staff's admin; the codes and statuses a program reads stay as they are."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from orders.emails import HEADLINES
from orders.models import OrderStatus
from orders.services import order_payment_received
from orders.tests.factories import place_order

pytestmark = pytest.mark.django_db

AMHARIC = {"HTTP_ACCEPT_LANGUAGE": "am"}


def test_checkout_of_an_empty_cart_is_refused_in_amharic(auth_client, user):
    with translation.override("am"):
        response = auth_client.post(reverse("orders:create"), {"shipping_address_id": 1}, **AMHARIC)

    assert response.status_code == 400
    assert response.json() == {"detail": "የግዢ ጋሪዎ ባዶ ነው።", "code": "empty_cart"}


def test_a_refused_move_names_both_statuses_in_amharic_and_keeps_their_values(staff_client, user):
    order = place_order(user=user)

    with translation.override("am"):
        response = staff_client.patch(
            reverse("orders:update-status", args=[order.pk]), {"status": "delivered"}, format="json", **AMHARIC
        )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "ትዕዛዝ ከ«ክፍያ በመጠባበቅ ላይ» ወደ «ደርሷል» መሄድ አይችልም።",
        "code": "invalid_transition",
        "from_status": "pending",
        "to_status": "delivered",
    }


def test_the_status_e_mail_reads_in_amharic(user):
    # given a paid order that is then cancelled: its money is owed back
    order = place_order(user=user)
    order_payment_received(order_id=order.pk, payment_ref="chapa-1")
    order.refresh_from_db()
    order.status, order.payment_status = OrderStatus.CANCELLED, "refund_pending"
    context = {"order": order, "items": order.items.all(), "name": "Abebe", "headline": HEADLINES[order.status]}

    # when
    with translation.override("am"):
        text = render_to_string("orders/email/order_status.txt", context, using="email_text")
        html = render_to_string("orders/email/order_status.html", context)

    # then
    assert "ሰላም Abebe፣" in text and "ትዕዛዝዎ ተሰርዟል" in text
    assert f"የትዕዛዝ {order.number} ሁኔታ አሁን፦ ተሰርዟል።" in text
    assert "ለዚህ ትዕዛዝ ከፍለዋል፤ 100.00 ብር ገንዘብ ተመላሽ እናደርግልዎታለን።" in text
    assert f"የትዕዛዝ <strong>{order.number}</strong> ሁኔታ አሁን፦ <strong>ተሰርዟል</strong>።" in html


def test_the_order_admin_offers_its_actions_in_amharic(staff):
    place_order(user=staff)
    client = Client()
    client.force_login(staff)

    with translation.override("am"):
        page = client.get(reverse("admin:orders_order_changelist"), **AMHARIC)

    assert page.status_code == 200
    content = page.content.decode()
    assert "ከመከታተያ ጋር ላክ (በዝግጅት ላይ ያለ አንድ ትዕዛዝ)" in content
    assert "ክፍያ በመጠባበቅ ላይ" in content  # the order's status, as the list shows it
    assert "የክፍያ ሁኔታ" in content and "ጠቅላላ" in content  # the columns: the fields' names
