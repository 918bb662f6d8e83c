"""Payments end to end: the shop's API, the real Chapa client, and the sandbox over HTTP."""

import hashlib
import hmac
import json
from datetime import timedelta
from decimal import Decimal

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coupons.tests.factories import CouponFactory
from ecommerce.common.tests.processes import WEBHOOK_SECRET
from ecommerce.outbox.models import OutboxEmail
from orders.exceptions import RefundNotDue
from orders.models import Order, OrderEvent
from orders.tests.factories import place_order
from payments.exceptions import PaymentGatewayError, RefundAlreadyRequested, RefundNotAllowed
from payments.models import Payment, WebhookEvent
from payments.services import payment_initiate, payment_reconcile_pending, payment_refund, payment_refund_record
from payments.tasks import payment_reconcile_pending as payment_reconcile_pending_task
from payments.tests.factories import initiated_payment
from products.models import Product
from products.tests.factories import ProductFactory, set_stock
from users.tests.factories import UserFactory

INITIATE = reverse("payments:initiate")
WEBHOOK = reverse("payments:webhook")
LIST = reverse("payments:list")


def verify_url(payment):
    return reverse("payments:verify", args=[payment.pk])


def signed(body: bytes, secret: str = WEBHOOK_SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def state(payment):
    payment.refresh_from_db()
    order = Order.objects.get(pk=payment.order_id)
    return payment.status, order.status, order.payment_status


@pytest.mark.django_db
class TestInitiate:
    def test_opens_a_chapa_checkout_for_the_order_total(self, chapa, auth_client, user):
        order = place_order(user=user, lines=[(ProductFactory(price=Decimal("655.50"), stock=5), 2)])
        response = auth_client.post(INITIATE, {"order_id": str(order.pk)})
        assert response.status_code == 201
        body = response.json()
        payment = Payment.objects.get(pk=body["id"])
        assert body == {
            "id": str(payment.pk),
            "tx_ref": payment.tx_ref,
            "checkout_url": f"{chapa.base_url}/checkout/{payment.tx_ref}",
            "amount": "1311.00",
            "currency": "ETB",
            "status": "pending",
        }
        sent = chapa.transaction(payment.tx_ref)
        assert (sent["amount"], sent["currency"], sent["email"]) == ("1311.00", "ETB", user.email)
        assert sent["phone_number"] == order.shipping_address["phone"]
        assert str(payment.pk) in sent["callback_url"]
        assert sent["customization"] == {"title": "Order payment", "description": f"Order {order.number}"}

    def test_repeat_call_returns_the_same_open_payment(self, chapa, auth_client, user):
        order = place_order(user=user)
        first = auth_client.post(INITIATE, {"order_id": str(order.pk)})
        again = auth_client.post(INITIATE, {"order_id": str(order.pk)})
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["id"] == again.json()["id"]
        assert Payment.objects.count() == 1
        assert chapa.state()["initialize_calls"] == 1

    def test_order_not_pending_is_400(self, chapa, auth_client, user):
        order = place_order(user=user)
        auth_client.post(reverse("orders:cancel", args=[order.pk]))
        response = auth_client.post(INITIATE, {"order_id": str(order.pk)})
        assert response.status_code == 400
        assert response.json()["code"] == "order_not_payable"
        assert not Payment.objects.exists()

    def test_expired_window_is_400(self, chapa, auth_client, user):
        order = place_order(user=user)
        Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        assert auth_client.post(INITIATE, {"order_id": str(order.pk)}).status_code == 400

    def test_other_users_order_is_404_and_staff_cannot_pay_for_customers(self, chapa, other_client, staff_client, user):
        order = place_order(user=user)
        assert other_client.post(INITIATE, {"order_id": str(order.pk)}).status_code == 404
        assert staff_client.post(INITIATE, {"order_id": str(order.pk)}).status_code == 404
        assert not Payment.objects.exists()

    def test_anonymous_401_and_bad_input_400(self, chapa, api_client, auth_client):
        assert api_client.post(INITIATE, {"order_id": "x"}).status_code == 401
        assert auth_client.post(INITIATE, {"order_id": "not-a-uuid"}).status_code == 400
        assert auth_client.post(INITIATE, {}).status_code == 400

    @pytest.mark.parametrize("mode", ["error500", "error400", "timeout"])
    def test_gateway_failure_is_502_and_nothing_is_paid(self, chapa, auth_client, user, mode):
        chapa.config(initialize_mode=mode, timeout_seconds=3)
        order = place_order(user=user)
        response = auth_client.post(INITIATE, {"order_id": str(order.pk)})
        assert response.status_code == 502
        assert response.json()["code"] == "payment_gateway_error"
        assert response.json()["detail"]
        payment = Payment.objects.get()
        assert state(payment) == ("failed", "pending", "unpaid")
        # the customer can try again once the gateway is back
        chapa.config(initialize_mode="normal")
        retry = auth_client.post(INITIATE, {"order_id": str(order.pk)})
        assert retry.status_code == 201 and retry.json()["id"] != str(payment.pk)

    def test_gateway_down_is_502(self, chapa, auth_client, user, settings):
        settings.CHAPA_BASE_URL = "http://127.0.0.1:9/v1"  # discard port: nothing answers
        order = place_order(user=user)
        response = auth_client.post(INITIATE, {"order_id": str(order.pk)})
        assert response.status_code == 502
        assert Order.objects.get(pk=order.pk).payment_status == "unpaid"


@pytest.mark.django_db
class TestVerify:
    def test_success_confirms_the_order_once(self, chapa, api_client, user):
        payment = initiated_payment(user=user)
        chapa.complete(payment.tx_ref, "success")
        response = api_client.get(verify_url(payment), {"trx_ref": payment.tx_ref, "status": "success"})
        assert response.status_code == 200
        # a stranger (Chapa's callback) learns nothing about the order
        assert response.json() == {"id": str(payment.pk), "status": "success"}
        assert state(payment) == ("success", "confirmed", "paid")
        assert client_for(user).get(verify_url(payment)).json() == {
            "id": str(payment.pk),
            "status": "success",
            "order_id": str(payment.order_id),
            "order_status": "confirmed",
        }
        payment.refresh_from_db()
        assert payment.chapa_reference.startswith("APsbx") and payment.verified_at
        # repeated calls change nothing and do not even ask Chapa again
        api_client.post(verify_url(payment))
        assert chapa.transaction(payment.tx_ref)["verify_calls"] == 1
        assert OrderEvent.objects.filter(order_id=payment.order_id, status="confirmed").count() == 1
        assert list(OutboxEmail.objects.values_list("template", flat=True).order_by("created_at")) == [
            "orders/email/order_placed",
            "payments/email/payment_succeeded",
        ]

    def test_callback_query_string_is_not_trusted(self, chapa, api_client, user):
        payment = initiated_payment(user=user)
        response = api_client.get(verify_url(payment), {"trx_ref": payment.tx_ref, "status": "success"})
        assert response.json()["status"] == "pending"
        assert state(payment) == ("pending", "pending", "unpaid")

    def test_failure(self, chapa, api_client, user):
        payment = initiated_payment(user=user)
        chapa.complete(payment.tx_ref, "failed")
        assert api_client.get(verify_url(payment)).json()["status"] == "failed"
        assert state(payment) == ("failed", "pending", "failed")
        assert OutboxEmail.objects.filter(key=f"payment-failed:{payment.pk}").count() == 1

    @pytest.mark.parametrize("mode", ["wrong_amount", "wrong_currency"])
    def test_success_that_does_not_match_is_not_paid(self, chapa, api_client, user, mode):
        # Finding 4: money of the wrong amount or currency is never applied, and never only
        # logged: the order is flagged for a refund with an event naming the difference.
        payment = initiated_payment(user=user)
        chapa.complete(payment.tx_ref, "success")
        chapa.verify_mode(payment.tx_ref, mode)
        assert api_client.get(verify_url(payment)).json()["status"] == "success"
        assert state(payment) == ("success", "pending", "refund_pending")
        payment.refresh_from_db()
        assert "mismatch" in payment.failure_reason and not payment.applied
        event = OrderEvent.objects.filter(order_id=payment.order_id).last()
        assert event.type == "refund_flagged"
        expected, received = ("100.00 ETB", "99.00 ETB") if mode == "wrong_amount" else ("100.00 ETB", "100.00 USD")
        assert event.parameters == {"payment": payment.tx_ref, "expected": expected, "received": received}
        # the order cannot be paid again until staff have given this money back
        assert client_for(user).post(INITIATE, {"order_id": str(payment.order_id)}).status_code == 400

    def test_answer_about_another_transaction_is_never_applied(self, chapa, api_client, user):
        payment = initiated_payment(user=user)
        chapa.complete(payment.tx_ref, "success")
        chapa.verify_mode(payment.tx_ref, "wrong_tx_ref")
        assert api_client.get(verify_url(payment)).json()["status"] == "failed"
        assert state(payment) == ("failed", "pending", "failed")
        payment.refresh_from_db()
        assert "tx_ref mismatch" in payment.failure_reason and payment.chapa_reference == ""

    def test_success_after_the_attempt_failed_is_applied(self, chapa, api_client, user):
        # Finding 4: the customer retried and paid after all; the webhook or callback says so.
        payment = initiated_payment(user=user)
        chapa.complete(payment.tx_ref, "failed")
        assert api_client.get(verify_url(payment)).json()["status"] == "failed"
        assert state(payment) == ("failed", "pending", "failed")
        chapa.complete(payment.tx_ref, "success")
        assert api_client.get(verify_url(payment)).json()["status"] == "success"
        assert state(payment) == ("success", "confirmed", "paid")
        payment.refresh_from_db()
        assert payment.applied
        assert OrderEvent.objects.filter(order_id=payment.order_id, type="payment_succeeded").count() == 1

    def test_amount_with_thousands_comma_matches(self, chapa, api_client, user):
        payment = initiated_payment(user=user, lines=[(ProductFactory(price=Decimal("1311.00")), 1)])
        chapa.complete(payment.tx_ref, "success")
        assert chapa.transaction(payment.tx_ref)["amount"] == "1311.00"
        assert api_client.get(verify_url(payment)).json()["status"] == "success"

    @pytest.mark.parametrize("mode", ["error500", "timeout"])
    def test_gateway_trouble_is_502_and_leaves_payment_pending(self, chapa, api_client, user, mode):
        payment = initiated_payment(user=user)
        chapa.complete(payment.tx_ref, "success")
        chapa.verify_mode(payment.tx_ref, mode)
        chapa.config(timeout_seconds=3)
        response = api_client.get(verify_url(payment))
        assert response.status_code == 502
        assert state(payment) == ("pending", "pending", "unpaid")

    def test_unknown_payment_is_404(self, chapa, api_client):
        assert (
            api_client.get(reverse("payments:verify", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404
        )


@pytest.mark.django_db
class TestLatePayment:
    def test_payment_after_expiry_reserves_stock_again_and_confirms(self, chapa, api_client, user):
        product = ProductFactory(stock=5)
        payment = initiated_payment(user=user, lines=[(product, 2)])
        from orders.services import order_expire_overdue

        Order.objects.filter(pk=payment.order_id).update(expires_at=timezone.now() - timedelta(minutes=1))
        order_expire_overdue()
        assert Product.objects.get(pk=product.pk).stock == 5
        chapa.complete(payment.tx_ref, "success")
        assert client_for(user).get(verify_url(payment)).json()["order_status"] == "confirmed"
        assert state(payment) == ("success", "confirmed", "paid")
        assert OrderEvent.objects.filter(order_id=payment.order_id).last().type == "reinstated"
        assert Product.objects.get(pk=product.pk).stock == 3

    def test_payment_after_expiry_without_stock_is_refund_pending(self, chapa, api_client, user):
        product = ProductFactory(stock=2)
        payment = initiated_payment(user=user, lines=[(product, 2)])
        from orders.services import order_expire_overdue

        Order.objects.filter(pk=payment.order_id).update(expires_at=timezone.now() - timedelta(minutes=1))
        order_expire_overdue()
        set_stock(product, 1)  # sold to someone else meanwhile
        chapa.complete(payment.tx_ref, "success")
        assert api_client.get(verify_url(payment)).json()["status"] == "success"
        assert state(payment) == ("success", "cancelled", "refund_pending")
        assert Product.objects.get(pk=product.pk).stock == 1
        assert "refund pending" in OrderEvent.objects.filter(order_id=payment.order_id).last().note


@pytest.mark.django_db
class TestWebhook:
    def _post(self, client, body: bytes, signature: str | None):
        headers = {"HTTP_X_CHAPA_SIGNATURE": signature} if signature is not None else {}
        return client.post(WEBHOOK, body, content_type="application/json", **headers)

    def test_signed_webhook_triggers_server_side_verification(
        self, chapa, api_client, user, django_capture_on_commit_callbacks
    ):
        payment = initiated_payment(user=user)
        chapa.complete(payment.tx_ref, "success")
        body = json.dumps({"event": "charge.success", "tx_ref": payment.tx_ref, "status": "success"}).encode()
        with django_capture_on_commit_callbacks(execute=True):
            response = self._post(api_client, body, signed(body))
        assert response.status_code == 200
        assert response.json() == {"status": "accepted"}
        assert state(payment) == ("success", "confirmed", "paid")

    def test_webhook_body_alone_is_not_trusted(self, chapa, api_client, user, django_capture_on_commit_callbacks):
        payment = initiated_payment(user=user)  # Chapa still says pending
        body = json.dumps(
            {
                "event": "charge.success",
                "tx_ref": payment.tx_ref,
                "status": "success",
                "amount": str(payment.amount),
                "currency": "ETB",
            }
        ).encode()
        with django_capture_on_commit_callbacks(execute=True):
            assert self._post(api_client, body, signed(body)).status_code == 200
        assert state(payment) == ("pending", "pending", "unpaid")

    @pytest.mark.parametrize(
        "signature",
        [
            None,
            "",
            "00" * 32,
            signed(b"other body"),
            signed(b"x", secret="wrong-secret"),
            "zz",
            pytest.param("é" * 64, id="latin-1"),
            pytest.param("ሀ", id="ethiopic"),
        ],
    )
    def test_forged_or_missing_signature_is_400(self, chapa, api_client, user, signature):
        payment = initiated_payment(user=user)
        chapa.complete(payment.tx_ref, "success")
        body = json.dumps({"event": "charge.success", "tx_ref": payment.tx_ref}).encode()
        response = self._post(api_client, body, signature)
        assert response.status_code == 400
        assert response.json()["code"] == "webhook_signature_invalid"
        assert state(payment) == ("pending", "pending", "unpaid")
        assert not WebhookEvent.objects.exists()

    def test_signed_garbage_is_400(self, chapa, api_client):
        for body in (b"not json", b"[1, 2]"):
            assert self._post(api_client, body, signed(body)).status_code == 400

    def test_replayed_webhook_is_recognised(self, chapa, api_client, user, django_capture_on_commit_callbacks):
        payment = initiated_payment(user=user)
        chapa.complete(payment.tx_ref, "success")
        body = json.dumps({"event": "charge.success", "tx_ref": payment.tx_ref}).encode()
        with django_capture_on_commit_callbacks(execute=True):
            self._post(api_client, body, signed(body))
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            replay = self._post(api_client, body, signed(body))
        assert replay.status_code == 200 and replay.json() == {"status": "duplicate"}
        assert callbacks == []
        assert chapa.transaction(payment.tx_ref)["verify_calls"] == 1
        assert OrderEvent.objects.filter(order_id=payment.order_id, status="confirmed").count() == 1

    @pytest.mark.parametrize(
        ("event", "outcome"), [("payout.success", "ignored"), ("charge.success", "unknown_payment")]
    )
    def test_other_events_are_acknowledged(self, chapa, api_client, event, outcome):
        body = json.dumps({"event": event, "tx_ref": "not-ours"}).encode()
        response = self._post(api_client, body, signed(body))
        assert (response.status_code, response.json()) == (200, {"status": outcome})


@pytest.mark.django_db
class TestReconciliation:
    def test_pending_then_success_is_picked_up(self, chapa, user):
        payment = initiated_payment(user=user)
        Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(minutes=10))
        assert payment_reconcile_pending() == {"checked": 1, "changed": 0, "errors": 0, "abandoned": 0}
        assert state(payment) == ("pending", "pending", "unpaid")
        chapa.complete(payment.tx_ref, "success")  # paid, but every callback was lost
        assert payment_reconcile_pending_task.delay().get() == {"checked": 1, "changed": 1, "errors": 0, "abandoned": 0}
        assert state(payment) == ("success", "confirmed", "paid")

    def test_recent_payments_are_left_to_their_callbacks(self, chapa, user):
        initiated_payment(user=user)
        assert payment_reconcile_pending()["checked"] == 0

    def test_gateway_errors_are_counted_not_raised(self, chapa, user):
        payment = initiated_payment(user=user)
        Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(minutes=10))
        chapa.verify_mode(payment.tx_ref, "error500")
        assert payment_reconcile_pending()["errors"] == 1

    def test_abandoned_initialization_is_closed(self, chapa, user):
        order = place_order(user=user)
        stuck = Payment.objects.create(order=order, tx_ref="shop-stuck", amount=order.total)
        Payment.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(minutes=5))
        assert payment_reconcile_pending()["abandoned"] == 1
        stuck.refresh_from_db()
        assert stuck.status == "failed"

    def test_beat_schedule(self, settings):
        assert (
            settings.CELERY_BEAT_SCHEDULE["payments-reconcile-pending"]["task"] == payment_reconcile_pending_task.name
        )


@pytest.mark.django_db
class TestPaymentList:
    def test_own_payments_only_staff_all(self, chapa, auth_client, other_client, staff_client, user):
        payment = initiated_payment(user=user)
        body = auth_client.get(LIST).json()
        assert body["count"] == 1
        item = body["results"][0]
        assert item == {
            "id": str(payment.pk),
            "order_id": str(payment.order_id),
            "tx_ref": payment.tx_ref,
            "method": "chapa",
            "amount": "100.00",
            "currency": "ETB",
            "status": "pending",
            "checkout_url": payment.checkout_url,
            "created_at": item["created_at"],
            "verified_at": None,
        }
        assert other_client.get(LIST).json()["count"] == 0
        assert staff_client.get(LIST).json()["count"] == 1

    def test_anonymous_is_401(self, api_client):
        assert api_client.get(LIST).status_code == 401


@pytest.mark.django_db(transaction=True)
class TestOverRealHttp:
    """The sandbox calls this test's live server back, as Chapa calls the shop."""

    def test_customer_pays_on_the_checkout_page_and_chapa_calls_back(self, shop_url_for_chapa, chapa, user):
        payment = initiated_payment(user=user)
        page = requests.get(payment.checkout_url, timeout=10)
        assert page.status_code == 200 and "Pay" in page.text
        result = chapa.complete(payment.tx_ref, "success", callback=True)
        assert result["callback_status"] == 200
        assert state(payment) == ("success", "confirmed", "paid")

    def test_signed_webhook_from_the_gateway_and_its_replay(self, shop_url_for_chapa, chapa, user):
        payment = initiated_payment(user=user)
        result = chapa.complete(payment.tx_ref, "success", webhook=True)
        assert result["webhook_status"] == 200
        assert state(payment) == ("success", "confirmed", "paid")
        assert chapa.resend_webhook(payment.tx_ref) == 200  # Chapa's redelivery
        assert WebhookEvent.objects.count() == 1
        assert chapa.transaction(payment.tx_ref)["verify_calls"] == 1

    def test_webhook_signed_with_another_secret_is_refused(self, shop_url_for_chapa, chapa, user):
        payment = initiated_payment(user=user)
        chapa.config(webhook_secret="not-the-shops-secret")
        assert chapa.complete(payment.tx_ref, "success", webhook=True)["webhook_status"] == 400
        assert state(payment) == ("pending", "pending", "unpaid")

    def test_failed_payment_on_the_checkout_page(self, shop_url_for_chapa, chapa, user):
        payment = initiated_payment(user=user)
        response = requests.post(payment.checkout_url, data={"status": "failed"}, timeout=30, allow_redirects=False)
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/api/payments/verify/{payment.pk}/")
        # Chapa's callback and webhook reach the shop (one at a time: SQLite in tests)...
        deliveries = chapa.wait_for_deliveries(2)
        assert sorted((d["kind"], d["status"]) for d in deliveries) == [("callback", 200), ("webhook", 200)]
        # ...and the browser follows the redirect to the shop, which shows the verified result
        followed = requests.get(response.headers["Location"], timeout=30, headers={"Accept": "application/json"})
        assert followed.json()["status"] == "failed"
        assert state(payment) == ("failed", "pending", "failed")


@pytest.mark.django_db
class TestRefund:
    def _refund_pending_payment(self, chapa, api_client, user):
        product = ProductFactory(stock=1)
        payment = initiated_payment(user=user, lines=[(product, 1)])
        from orders.services import order_expire_overdue

        Order.objects.filter(pk=payment.order_id).update(expires_at=timezone.now() - timedelta(minutes=1))
        order_expire_overdue()
        set_stock(product, 0)
        chapa.complete(payment.tx_ref, "success")
        api_client.get(verify_url(payment))
        assert state(payment) == ("success", "cancelled", "refund_pending")
        return payment

    def test_staff_refund_goes_through_chapa(self, chapa, api_client, user, staff):
        from payments.services import payment_refund

        payment = self._refund_pending_payment(chapa, api_client, user)
        payment_refund(payment_id=payment.pk, actor=staff, reason="Out of stock")
        assert chapa.transaction(payment.tx_ref)["refunds"] == [{"reason": "Out of stock", "amount": "100.00"}]
        assert state(payment) == ("refunded", "cancelled", "refunded")
        event = OrderEvent.objects.filter(order_id=payment.order_id).last()
        assert (event.type, event.actor, event.note.startswith("Refunded 100.00 ETB")) == ("refunded", staff, True)

    def test_gateway_failure_leaves_it_refund_pending(self, chapa, api_client, user, staff, settings):
        payment = self._refund_pending_payment(chapa, api_client, user)
        settings.CHAPA_BASE_URL = "http://127.0.0.1:9/v1"
        with pytest.raises(PaymentGatewayError):
            payment_refund(payment_id=payment.pk, actor=staff, reason="Out of stock")
        assert state(payment) == ("success", "cancelled", "refund_pending")

    def test_refund_is_sent_to_chapa_at_most_once(self, chapa, api_client, user, staff):
        # Chapa makes the refund but its answer is lost as a 500: neither the client nor staff
        # may send it again, or the customer could be refunded twice.
        payment = self._refund_pending_payment(chapa, api_client, user)
        chapa.config(refund_mode="error500_after_refund")
        with pytest.raises(PaymentGatewayError):
            payment_refund(payment_id=payment.pk, actor=staff, reason="Out of stock")
        assert chapa.transaction(payment.tx_ref)["refund_calls"] == 1
        with pytest.raises(RefundAlreadyRequested):
            payment_refund(payment_id=payment.pk, actor=staff, reason="Out of stock")
        assert chapa.transaction(payment.tx_ref)["refund_calls"] == 1
        # staff saw it done in the Chapa dashboard and record it by hand
        payment_refund_record(payment_id=payment.pk, actor=staff, note="Seen refunded in the Chapa dashboard.")
        assert state(payment) == ("refunded", "cancelled", "refunded")

    def test_only_refund_pending_orders(self, chapa, user, staff):
        payment = initiated_payment(user=user)
        with pytest.raises(RefundNotDue):
            payment_refund(payment_id=payment.pk, actor=staff, reason="x")
        assert not chapa.transaction(payment.tx_ref)["refunds"]

    def test_second_payment_for_a_paid_order_is_refunded_and_the_order_stays_paid(self, chapa, api_client, user, staff):
        # given a first attempt that failed, and a second one that paid the order
        first = initiated_payment(user=user)
        chapa.complete(first.tx_ref, "failed")
        api_client.get(verify_url(first))
        second, _ = payment_initiate(order_id=first.order_id)
        chapa.complete(second.tx_ref, "success")
        api_client.get(verify_url(second))
        assert state(second) == ("success", "confirmed", "paid")
        # when Chapa reports that the first attempt took the money after all
        chapa.complete(first.tx_ref, "success")
        api_client.get(verify_url(first))
        # then that money is owed back, and once refunded the order is simply paid again
        assert state(first) == ("success", "confirmed", "refund_pending")
        with pytest.raises(RefundNotAllowed):
            payment_refund(payment_id=second.pk, actor=staff, reason="x")  # this one paid the order
        payment_refund(payment_id=first.pk, actor=staff, reason="Paid twice")
        assert state(first) == ("refunded", "confirmed", "paid")
        assert state(second) == ("success", "confirmed", "paid")
        types = list(OrderEvent.objects.filter(order_id=first.order_id).values_list("type", flat=True))
        assert types == ["placed", "payment_failed", "payment_succeeded", "refund_flagged", "refunded"]


@pytest.mark.django_db
class TestLatePaymentAndCoupons:
    def test_coupon_limit_is_not_escaped_by_cancelling_and_paying_late(self, chapa, api_client, auth_client, user):
        # given a once-per-customer coupon used by an order the customer then cancels, while its
        # Chapa payment stays open
        coupon = CouponFactory(code="ONCE", per_user_limit=1, value=Decimal("10"))
        first = initiated_payment(user=user, coupon_code="ONCE")
        assert auth_client.post(reverse("orders:cancel", args=[first.order_id])).status_code == 200
        # when the coupon is used again on a second order, and the first one is paid after all
        place_order(user=user, coupon_code="ONCE")
        chapa.complete(first.tx_ref, "success")
        api_client.get(verify_url(first))
        # then the first order is not brought back with a second use: staff refund it
        assert state(first) == ("success", "cancelled", "refund_pending")
        assert "coupon is used up" in OrderEvent.objects.filter(order_id=first.order_id).last().note
        coupon.refresh_from_db()
        assert coupon.times_used == 1

    @pytest.mark.parametrize("how", ["verify", "webhook", "reconciliation"])
    def test_late_payment_after_others_used_up_the_coupon_is_flagged(
        self, chapa, api_client, user, how, django_capture_on_commit_callbacks
    ):
        # given an order placed with the coupon's last use, expired (the use went back), and the
        # coupon then used up by other customers
        coupon = CouponFactory(code="LAST", usage_limit=2, value=Decimal("10"))
        payment = initiated_payment(user=user, coupon_code="LAST")
        Order.objects.filter(pk=payment.order_id).update(expires_at=timezone.now() - timedelta(minutes=1))
        from orders.services import order_expire_overdue

        order_expire_overdue()
        for _ in range(2):
            place_order(user=UserFactory(), coupon_code="LAST")

        # when Chapa reports the customer's payment after all
        chapa.complete(payment.tx_ref, "success")
        if how == "verify":
            assert api_client.get(verify_url(payment)).status_code == 200
        elif how == "webhook":
            body = json.dumps({"event": "charge.success", "tx_ref": payment.tx_ref}).encode()
            with django_capture_on_commit_callbacks(execute=True):
                response = api_client.post(
                    WEBHOOK, body, content_type="application/json", HTTP_X_CHAPA_SIGNATURE=signed(body)
                )
            assert response.status_code == 200
        else:
            assert payment_reconcile_pending(older_than=timedelta(0))["changed"] == 1

        # then the money is kept and flagged for a refund, and the coupon's limit holds
        assert state(payment) == ("success", "cancelled", "refund_pending")
        event = OrderEvent.objects.filter(order_id=payment.order_id).last()
        assert (event.type, "coupon is used up" in event.note) == ("refund_flagged", True)
        coupon.refresh_from_db()
        assert coupon.times_used == 2

    def test_late_payment_counts_the_coupon_again_when_allowed(self, chapa, api_client, auth_client, user):
        coupon = CouponFactory(code="MANY", usage_limit=10, value=Decimal("10"))
        payment = initiated_payment(user=user, coupon_code="MANY")
        auth_client.post(reverse("orders:cancel", args=[payment.order_id]))
        coupon.refresh_from_db()
        assert coupon.times_used == 0
        chapa.complete(payment.tx_ref, "success")
        api_client.get(verify_url(payment))
        assert state(payment) == ("success", "confirmed", "paid")
        coupon.refresh_from_db()
        assert coupon.times_used == 1

    def test_order_confirmed_by_hand_becomes_paid_when_its_payment_arrives(self, chapa, api_client, staff_client, user):
        payment = initiated_payment(user=user)
        response = staff_client.patch(reverse("orders:update-status", args=[payment.order_id]), {"status": "confirmed"})
        assert response.status_code == 400  # only the money confirms it
        chapa.complete(payment.tx_ref, "success")
        api_client.get(verify_url(payment))
        assert state(payment) == ("success", "confirmed", "paid")
