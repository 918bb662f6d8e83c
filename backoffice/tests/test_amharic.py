"""The dashboard in Amharic: its cards, headings and charts, and the figures behind them
counted once for every language."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from backoffice.services import dashboard_summary_refresh
from orders.services import order_payment_received
from orders.tests.factories import place_order
from products.tests.factories import ProductFactory
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_dashboard_reads_in_amharic_and_in_english_from_one_count(owner_client):
    order = place_order(user=UserFactory(), lines=[(ProductFactory(price=Decimal("780.00"), stock=5), 1)])
    order_payment_received(order_id=order.pk, payment_ref="tx-1")
    dashboard_summary_refresh()

    with translation.override("am"):
        amharic = owner_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="am").content.decode()
    with translation.override("en"):
        english = owner_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "የሱቅ አስተዳደር" in amharic and "ዛሬ በሱቁ" in amharic
    assert "ዛሬ እስካሁን" in amharic and "780.00 ብር" in amharic
    assert "<title>ተረጋግጧል: 1</title>" in amharic  # the chart of orders by status
    assert "Today so far" in english and "780.00 ETB" in english
    assert "<title>Confirmed: 1</title>" in english
