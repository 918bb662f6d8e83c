"""Receipt numbers: given when an order becomes paid, by every way money arrives, from one gapless
sequence of the shop, and never changed afterwards."""

import hashlib
import hmac
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import client_for
from coupons.tests.factories import CouponFactory
from ecommerce.common.tests.concurrency import run_concurrently
from ecommerce.common.tests.processes import WEBHOOK_SECRET
from orders.models import DocumentCounter, Order
from orders.services import order_expire_overdue, order_status_change
from orders.services.documents import RECEIPT_SEQUENCE
from orders.tests.factories import place_order
from payments.services import payment_record, payment_refund
from payments.tests.factories import initiated_payment
from users.tests.factories import StaffFactory, UserFactory


def numbers_given() -> int:
    counter = DocumentCounter.objects.filter(name=RECEIPT_SEQUENCE).first()
    return counter.last if counter else 0


def receipt_number(order_id) -> str | None:
    return Order.objects.get(pk=order_id).receipt_number


def paid_on_chapa(chapa, *, expired: bool = False):
    payment = initiated_payment(user=UserFactory())
    if expired:
        Order.objects.filter(pk=payment.order_id).update(expires_at=timezone.now() - timedelta(minutes=1))
        order_expire_overdue()
    chapa.complete(payment.tx_ref, "success")
    return payment


def verify(payment):
    return APIClient().get(reverse("payments:verify", args=[payment.pk]))


def webhook(payment, django_capture_on_commit_callbacks):
    body = json.dumps({"event": "charge.success", "tx_ref": payment.tx_ref, "status": "success"}).encode()
    signature = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    with django_capture_on_commit_callbacks(execute=True):
        return APIClient().post(
            reverse("payments:webhook"), body, content_type="application/json", HTTP_X_CHAPA_SIGNATURE=signature
        )


@pytest.mark.django_db
class TestEveryWayOfPayingNumbersTheReceipt:
    def test_a_verified_chapa_payment(self, chapa):
        before, payment = numbers_given(), paid_on_chapa(chapa)
        assert receipt_number(payment.order_id) is None  # placed, not yet paid
        assert verify(payment).status_code == 200
        assert receipt_number(payment.order_id) == f"R-{before + 1:06d}"

    def test_the_return_page(self, chapa, client):
        before, payment = numbers_given(), paid_on_chapa(chapa)
        assert client.get(reverse("payment-pages:return", args=[payment.pk])).status_code == 200
        assert receipt_number(payment.order_id) == f"R-{before + 1:06d}"

    def test_the_webhook(self, chapa, django_capture_on_commit_callbacks):
        before, payment = numbers_given(), paid_on_chapa(chapa)
        assert webhook(payment, django_capture_on_commit_callbacks).json() == {"status": "accepted"}
        assert receipt_number(payment.order_id) == f"R-{before + 1:06d}"

    def test_a_payment_recorded_by_staff(self, staff):
        before, order = numbers_given(), place_order(user=UserFactory())
        payment_record(order_id=order.pk, amount=order.total, method="bank_transfer", actor=staff)
        assert receipt_number(order.pk) == f"R-{before + 1:06d}"

    def test_an_order_with_nothing_to_pay(self):
        before = numbers_given()
        order = place_order(user=UserFactory(), coupon_code=CouponFactory(value=Decimal("100.00")).code)
        assert (order.payment_status, order.receipt_number) == ("paid", f"R-{before + 1:06d}")
        assert receipt_number(order.pk) == order.receipt_number

    def test_a_late_payment_that_reinstates_a_cancelled_order(self, chapa):
        before, payment = numbers_given(), paid_on_chapa(chapa, expired=True)
        verify(payment)
        order = Order.objects.get(pk=payment.order_id)
        assert (order.status, order.payment_status, order.receipt_number) == (
            "confirmed",
            "paid",
            f"R-{before + 1:06d}",
        )


@pytest.mark.django_db
class TestMoneyThatPaysNothingTakesNoNumber:
    def test_a_failed_chapa_payment(self, chapa):
        before, payment = numbers_given(), initiated_payment(user=UserFactory())
        chapa.complete(payment.tx_ref, "failed")
        verify(payment)
        assert (receipt_number(payment.order_id), numbers_given()) == (None, before)

    def test_a_refused_recording(self, staff):
        before, order = numbers_given(), place_order(user=UserFactory())
        response = client_for(staff).post(
            reverse("order-payments:record-payment", args=[order.pk]), {"amount": "99.99", "method": "bank_transfer"}
        )
        assert response.json()["code"] == "amount_mismatch"
        assert (receipt_number(order.pk), numbers_given()) == (None, before)


@pytest.mark.django_db
def test_the_number_never_changes_after_a_second_payment_a_cancel_and_a_refund(chapa, staff):
    # given an order paid on Chapa, then paid again by bank transfer recorded by staff
    payment = paid_on_chapa(chapa)
    verify(payment)
    number, given = receipt_number(payment.order_id), numbers_given()
    second = initiated_payment(user=UserFactory())  # another order, to take the next number
    payment_record(order_id=second.order_id, amount=second.amount, method="bank_transfer", actor=staff)

    # when it is cancelled by staff and its money refunded through Chapa
    order_status_change(order_id=payment.order_id, new_status="cancelled", actor=staff)
    payment_refund(payment_id=payment.pk, actor=staff, reason="Out of stock")

    # then it kept its number, and the next order took the next one
    order = Order.objects.get(pk=payment.order_id)
    assert (order.status, order.payment_status, order.receipt_number) == ("cancelled", "refunded", number)
    assert receipt_number(second.order_id) == f"R-{given + 1:06d}"
    assert numbers_given() == given + 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres")
def test_twenty_orders_paid_at_once_get_twenty_numbers_with_no_gap_and_no_repeat(chapa):
    # given ten orders paid on Chapa, ten paid by bank transfers that staff record, and two
    # Chapa payments that failed
    staff = StaffFactory()
    on_chapa = [paid_on_chapa(chapa) for _ in range(10)]
    failed = [initiated_payment(user=UserFactory()) for _ in range(2)]
    for payment in failed:
        chapa.complete(payment.tx_ref, "failed")
    by_transfer = [place_order(user=UserFactory()) for _ in range(10)]

    def verified(payment):
        return lambda: verify(payment).status_code

    def recorded(order):
        url = reverse("order-payments:record-payment", args=[order.pk])
        return lambda: client_for(staff).post(url, {"amount": str(order.total), "method": "bank_transfer"}).status_code

    # when Chapa's callbacks and staff's recordings all arrive at once
    statuses = run_concurrently([verified(p) for p in on_chapa + failed] + [recorded(o) for o in by_transfer])

    # then the twenty paid orders hold R-000001 to R-000020, each once, and the failed none
    assert statuses == [200] * 22, statuses
    paid = Order.objects.filter(payment_status="paid")
    assert paid.count() == 20
    assert sorted(paid.values_list("receipt_number", flat=True)) == [f"R-{n:06d}" for n in range(1, 21)]
    assert not Order.objects.filter(pk__in=[p.order_id for p in failed]).exclude(receipt_number=None).exists()
    assert numbers_given() == 20
