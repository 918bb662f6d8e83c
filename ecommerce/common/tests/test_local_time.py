"""People read the shop's local time (TIME_ZONE, Addis Ababa by default), never UTC: in the
e-mails, the exports, the receipts, the admin and the daily jobs' hours; the API stays in UTC.

The order of these tests is placed at 21:30 UTC on 1 December 2026: half past midnight on
2 December in Addis Ababa (Hidar 23, 2019 E.C.)."""

import csv
import io
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from conftest import client_for
from ecommerce.celery import app
from orders.models import Order
from orders.services import order_payment_received, order_status_change
from orders.tests.factories import place_order
from payments.emails import payment_result_email
from payments.models import Payment, PaymentState
from payments.receipts import receipt_pdf
from products.emails import stock_low_digest_email
from products.tests.factories import ProductFactory
from users.tests.factories import StaffFactory

PLACED = datetime(2026, 12, 1, 21, 30, tzinfo=UTC)
PAY_BY = PLACED + timedelta(minutes=30)  # 01:00 on 2 December, local time
LOCAL_DAY = "2 December 2026 (Hidar 23, 2019 E.C.)"


def placed_late_in_the_evening(user, **kwargs) -> Order:
    order = place_order(user=user, lines=[(ProductFactory(title="Sidamo", price=Decimal("3450.00")), 2)], **kwargs)
    Order.objects.filter(pk=order.pk).update(created_at=PLACED, expires_at=PAY_BY)
    return Order.objects.get(pk=order.pk)


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize(("variable", "zone"), [(None, "Africa/Addis_Ababa"), ("Europe/London", "Europe/London")])
def test_time_zone_is_addis_ababa_unless_set(variable, zone):
    env = {k: v for k, v in os.environ.items() if k != "TIME_ZONE"} | ({"TIME_ZONE": variable} if variable else {})
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.TIME_ZONE)",
        ],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "ecommerce.settings.test"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.split() == [zone]


def test_the_stock_digest_still_runs_at_six_in_the_morning_in_addis_ababa():
    # given the schedule as beat reads it, in Celery's time zone, which is the shop's
    schedule = app.conf.beat_schedule["products-stock-low-digest"]["schedule"]
    assert str(app.timezone) == settings.TIME_ZONE == "Africa/Addis_Ababa"

    # when it last ran at 06:30 local on 1 December
    start, delta, _ = schedule.remaining_delta(datetime(2026, 12, 1, 3, 30, tzinfo=UTC))

    # then it runs next at 06:00 local on 2 December, which is 03:00 UTC
    assert (start + delta).astimezone(UTC) == datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


@pytest.mark.django_db
class TestEmails:
    def test_the_payment_window_ends_at_local_time(self, user, django_capture_on_commit_callbacks):
        order = placed_late_in_the_evening(user)
        payment = Payment.objects.create(order=order, tx_ref="tx-late", amount=order.total, status=PaymentState.FAILED)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            payment_result_email(payment=payment)
        (message,) = mail.outbox
        assert f"reserved until {LOCAL_DAY}, 01:00: you can try again" in message.body
        assert f"{LOCAL_DAY}, 01:00</strong>" in message.alternatives[0][0]
        assert "UTC" not in message.body and "21:" not in message.body and "22:" not in message.body
        assert "6,900.00 ETB" in message.body

    @pytest.mark.parametrize("kind", ["txt", "html"])
    def test_the_order_email_shows_the_local_day_and_deadline(self, user, kind):
        order = placed_late_in_the_evening(user)
        context = {"order": order, "items": order.items.all(), "name": "Abebe"}
        text = render_to_string(f"orders/email/order_placed.{kind}", context)
        assert f"Order date: {LOCAL_DAY}" in text
        assert f"reserved for you until {'<strong>' if kind == 'html' else ''}{LOCAL_DAY}, 01:00" in text
        assert "Total:    6,900.00 ETB" in text if kind == "txt" else "<strong>6,900.00 ETB</strong>" in text
        with translation.override("am"):
            amharic = render_to_string(f"orders/email/order_placed.{kind}", context)
        assert "የትዕዛዝ ቀን: ኅዳር 23 ቀን 2019 ዓ.ም." in amharic and "ኅዳር 23 ቀን 2019 ዓ.ም. 01:00" in amharic
        assert "6,900.00 ብር" in amharic

    def test_status_emails_show_the_order_date(self, user, django_capture_on_commit_callbacks):
        order = placed_late_in_the_evening(user)
        order_payment_received(order_id=order.pk, payment_ref="tx-late")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            order_status_change(order_id=order.pk, new_status="processing", actor=StaffFactory())
        (message,) = mail.outbox
        assert f"Order date: {LOCAL_DAY}" in message.body


@pytest.mark.django_db
def test_the_stock_digest_names_its_day_for_people(settings, django_capture_on_commit_callbacks):
    settings.LOW_STOCK_THRESHOLD = 2
    StaffFactory(email="owner@shop.et")
    ProductFactory(stock=1)
    with django_capture_on_commit_callbacks(execute=True):
        stock_low_digest_email(day=date(2026, 12, 2))
    (message,) = mail.outbox
    assert message.subject.endswith(f"Low stock on {LOCAL_DAY}: 1 variant")


@pytest.mark.django_db
class TestBackOffice:
    def test_the_order_export_says_when_it_was_placed_in_local_time(self, owner_client, user):
        placed_late_in_the_evening(user)
        export = reverse("admin:orders_order_export", args=["csv"])
        body = b"".join(owner_client.get(export).streaming_content).decode("utf-8-sig")
        header, row = list(csv.reader(io.StringIO(body)))
        assert row[header.index("placed at")] == "2026-12-02 00:30:00"

        xlsx = owner_client.get(reverse("admin:orders_order_export", args=["xlsx"]))
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
        header, row = list(sheet.iter_rows(values_only=True))
        assert row[header.index("placed at")] == datetime(2026, 12, 2, 0, 30)

    def test_the_order_list_shows_local_time_and_money_as_people_read_it(self, owner_client, user):
        placed_late_in_the_evening(user)
        page = owner_client.get(reverse("admin:orders_order_changelist")).content.decode()
        assert "Dec. 2, 2026, 12:30 a.m." in page and "9:30 p.m." not in page
        assert "6,900.00 ETB" in page

    def test_the_payment_list_shows_money_as_people_read_it(self, owner_client, user):
        order = placed_late_in_the_evening(user)
        Payment.objects.create(order=order, tx_ref="tx-late", amount=order.total)
        page = owner_client.get(reverse("admin:payments_payment_changelist")).content.decode()
        assert "6,900.00 ETB" in page


@pytest.mark.django_db
class TestReceipt:
    @pytest.fixture
    def paid(self, user):
        order = placed_late_in_the_evening(user)
        order_payment_received(order_id=order.pk, payment_ref="tx-late")
        Order.objects.filter(pk=order.pk).update(paid_at=PLACED + timedelta(days=1))
        return Order.objects.prefetch_related("items").get(pk=order.pk)

    def test_in_english_both_calendars(self, paid):
        text = text_of(receipt_pdf(order=paid))
        assert f"Date: {LOCAL_DAY}" in text
        assert "Paid: 3 December 2026 (Hidar 24, 2019 E.C.)" in text
        assert "6,900.00 ETB" in text

    def test_in_amharic_both_calendars(self, paid):
        with translation.override("am"):
            text = text_of(receipt_pdf(order=paid))
        assert "ኅዳር 23 ቀን 2019 ዓ.ም. (ዲሴምበር 2 ቀን 2026 እ.ኤ.አ.)" in text
        assert "ኅዳር 24 ቀን 2019 ዓ.ም. (ዲሴምበር 3 ቀን 2026 እ.ኤ.አ.)" in text
        assert "6,900.00 ብር" in text


@pytest.mark.django_db
def test_the_api_still_answers_in_utc(user):
    order = placed_late_in_the_evening(user)
    body = client_for(user).get(reverse("orders:detail", args=[order.pk])).json()
    assert body["created_at"] == "2026-12-01T21:30:00Z"
