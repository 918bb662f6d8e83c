"""The payments admin: its actions call the payment services, and offer only what can work."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import Order
from orders.services import order_status_change
from orders.tests.factories import DeliveryMethodFactory, place_order
from payments.models import Payment
from payments.services import payment_record
from payments.tests.factories import payment_owed_back
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:payments_payment_changelist")


def run_action(client, action: str, payment: Payment) -> str:
    """Staff tick the payment in the list and run `action`; returns the messages shown, lower-cased
    (the admin capitalises their first letter)."""
    response = client.post(CHANGELIST, {"action": action, "_selected_action": [str(payment.pk)]}, follow=True)
    assert response.status_code == 200
    return " ".join(str(message) for message in response.context["messages"]).lower()


def cash_owed_back(staff) -> Payment:
    """Cash the courier brought back for an order staff then cancelled: the customer is owed it."""
    DeliveryMethodFactory(code="pickup", kind="pickup", fee=Decimal("0.00"))
    order = place_order(user=UserFactory(), delivery_method="pickup", payment_method="cash_on_delivery")
    payment = payment_record(order_id=order.pk, amount=order.total, method="cash", actor=staff)
    order_status_change(order_id=order.pk, new_status="cancelled", actor=staff)
    assert Order.objects.get(pk=order.pk).payment_status == "refund_pending"
    return payment


class TestRefundThroughChapa:
    def test_a_recorded_cash_payment_is_refused_and_chapa_is_never_called(self, chapa, owner_client):
        # given cash owed back to a customer
        payment = cash_owed_back(owner_client.user)

        # when staff choose "Refund through Chapa" for it
        page = run_action(owner_client, "refund_with_chapa", payment)

        # then they are told to pay it back by hand, and nothing went to Chapa or changed
        assert f"{payment.tx_ref.lower()}: this payment was recorded by staff (cash)" in page
        assert "may or may not" not in page
        assert chapa.state()["refund_references"] == []
        payment.refresh_from_db()
        assert (payment.status, payment.refund_requested_at) == ("success", None)
        assert Order.objects.get(pk=payment.order_id).payment_status == "refund_pending"

    def test_the_cash_paid_back_by_hand_is_recorded(self, chapa, owner_client):
        payment = cash_owed_back(owner_client.user)
        page = run_action(owner_client, "record_refund_made_elsewhere", payment)
        assert f"{payment.tx_ref.lower()}: refund recorded" in page
        payment.refresh_from_db()
        assert payment.status == "refunded"
        assert Order.objects.get(pk=payment.order_id).payment_status == "refunded"
        assert chapa.state()["refund_references"] == []

    def test_a_chapa_payment_is_refunded_through_chapa(self, chapa, client, owner_client):
        # given a late Chapa payment for an order whose stock is gone
        payment = payment_owed_back(chapa)

        page = run_action(owner_client, "refund_with_chapa", payment)

        assert f"{payment.tx_ref.lower()}: refunded" in page
        payment.refresh_from_db()
        assert chapa.state()["refund_references"] == [payment.chapa_reference]
        assert payment.status == "refunded"
