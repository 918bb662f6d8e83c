"""Returns and partial refunds through the API: the customer asks, staff approve, receive and
refund; Chapa refunds the amount once; every refusal has its code and writes nothing."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import client_for
from coupons.tests.factories import CouponFactory
from ecommerce.outbox.models import OutboxEmail, OutboxSms
from orders.models import Order, OrderEvent, OrderStatus, Return, ReturnEvent, ReturnLine
from orders.services import order_status_change
from orders.tests.factories import place_order
from payments.chapa import get_client
from payments.exceptions import PaymentGatewayError
from payments.models import Refund
from payments.services import payment_refund, refund_settle
from payments.tests.factories import delivered_order
from products.models import StockMovement
from products.tests.factories import ProductFactory, default_variant
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def shop_staff():
    """A staff member who may answer and refund returns, and see orders."""
    user = UserFactory(is_staff=True)
    for codename in ("change_return", "view_return", "refund", "view_order", "change_order"):
        user.user_permissions.add(Permission.objects.get(codename=codename, content_type__app_label="orders"))
    return user


def two_line_order(*, user, staff, chapa=None, coupon=None):
    """Delivered: 2 × 100.00 and 1 × 300.00, with an optional coupon."""
    kemis, jebena = ProductFactory(price=D("100.00"), stock=10), ProductFactory(price=D("300.00"), stock=10)
    kwargs = {"coupon_code": coupon.code} if coupon else {}
    return delivered_order(user=user, staff=staff, chapa=chapa, lines=[(kemis, 2), (jebena, 1)], **kwargs)


def ask(client, order, lines, note=""):
    return client.post(reverse("orders:returns", args=[order.pk]), {"lines": lines, "note": note}, format="json")


def items(order):
    return list(order.items.order_by("pk"))


def staff_post(staff, name, ret_id, body=None):
    namespace = "return-payments" if name == "refund" else "returns"
    return client_for(staff).post(reverse(f"{namespace}:{name}", args=[ret_id]), body or {}, format="json")


def nothing_written():
    return (Return.objects.count(), ReturnLine.objects.count(), ReturnEvent.objects.count(), Refund.objects.count())


class TestAsk:
    def test_a_customer_returns_units_of_a_delivered_order(self, user, staff, auth_client):
        order = two_line_order(user=user, staff=staff)
        first, _ = items(order)

        response = ask(auth_client, order, [{"order_item_id": first.pk, "quantity": 1, "reason": "damaged"}], "Torn")

        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["status"] == "requested"
        assert body["order_id"] == str(order.pk)
        assert body["lines"] == [
            {
                "order_item_id": first.pk,
                "sku": first.sku,
                "product_title": first.product_title,
                "quantity": 1,
                "reason": "damaged",
                "condition": "",
                "refund_amount": "0.00",
            }
        ]
        assert (body["refund_amount"], body["delivery_refund"], body["credit_note_number"]) == ("0.00", "0.00", None)
        assert [event["type"] for event in body["events"]] == ["requested"]
        shown = auth_client.get(reverse("orders:detail", args=[order.pk])).json()
        assert shown["returns"] == [{"id": body["id"], "number": body["number"], "status": "requested"}]
        assert shown["items"][0]["id"] == first.pk
        assert shown["refunded_amount"] == "0.00"

    def test_an_order_not_delivered_cannot_be_returned(self, user, auth_client):
        order = place_order(user=user)
        response = ask(auth_client, order, [{"order_item_id": items(order)[0].pk, "quantity": 1, "reason": "other"}])
        assert (response.status_code, response.json()["code"]) == (400, "order_not_delivered")
        assert nothing_written() == (0, 0, 0, 0)

    def test_after_the_window_it_is_too_late(self, user, staff, auth_client, settings):
        order = two_line_order(user=user, staff=staff)
        OrderEvent.objects.filter(order=order, status=OrderStatus.DELIVERED).update(
            created_at=timezone.now() - timedelta(days=settings.RETURN_WINDOW_DAYS, minutes=1)
        )
        response = ask(auth_client, order, [{"order_item_id": items(order)[0].pk, "quantity": 1, "reason": "other"}])
        assert (response.status_code, response.json()["code"]) == (400, "return_window_closed")
        assert nothing_written() == (0, 0, 0, 0)

    def test_units_in_other_open_returns_are_not_returned_twice(self, user, staff, auth_client):
        order = two_line_order(user=user, staff=staff)
        first = items(order)[0]
        assert (
            ask(auth_client, order, [{"order_item_id": first.pk, "quantity": 1, "reason": "other"}]).status_code == 201
        )
        before = nothing_written()

        response = ask(auth_client, order, [{"order_item_id": first.pk, "quantity": 2, "reason": "other"}])

        assert (response.status_code, response.json()["code"]) == (400, "return_quantity_exceeded")
        assert response.json()["lines"] == [{"order_item_id": first.pk, "requested": 2, "available": 1}]
        assert nothing_written() == before

    def test_a_cancelled_return_gives_its_units_back(self, user, staff, auth_client):
        order = two_line_order(user=user, staff=staff)
        first = items(order)[0]
        ret = ask(auth_client, order, [{"order_item_id": first.pk, "quantity": 2, "reason": "other"}]).json()

        assert auth_client.post(reverse("returns:cancel", args=[ret["id"]])).json()["status"] == "cancelled"
        assert (
            ask(auth_client, order, [{"order_item_id": first.pk, "quantity": 2, "reason": "other"}]).status_code == 201
        )

    def test_another_customers_order_is_not_found(self, user, staff, other_client):
        order = two_line_order(user=user, staff=staff)
        response = ask(other_client, order, [{"order_item_id": items(order)[0].pk, "quantity": 1, "reason": "other"}])
        assert response.status_code == 404
        assert nothing_written() == (0, 0, 0, 0)

    def test_a_line_of_another_order_is_refused(self, user, staff, auth_client):
        order, other = two_line_order(user=user, staff=staff), two_line_order(user=user, staff=staff)
        response = ask(auth_client, order, [{"order_item_id": items(other)[0].pk, "quantity": 1, "reason": "other"}])
        assert response.status_code == 400 and "lines" in response.json()
        assert nothing_written() == (0, 0, 0, 0)

    def test_customers_see_their_own_returns_and_staff_all(self, user, staff, auth_client, other_client, shop_staff):
        order = two_line_order(user=user, staff=staff)
        ask(auth_client, order, [{"order_item_id": items(order)[0].pk, "quantity": 1, "reason": "other"}])
        assert auth_client.get(reverse("returns:list")).json()["count"] == 1
        assert other_client.get(reverse("returns:list")).json()["count"] == 0
        assert client_for(shop_staff).get(reverse("returns:list"), {"status": "requested"}).json()["count"] == 1
        assert client_for(shop_staff).get(reverse("returns:list"), {"status": "approved"}).json()["count"] == 0


def requested(user, staff, auth_client, *, chapa=None, coupon=None, quantities=(2, 1)):
    order = two_line_order(user=user, staff=staff, chapa=chapa, coupon=coupon)
    lines = [
        {"order_item_id": item.pk, "quantity": quantity, "reason": "changed_mind"}
        for item, quantity in zip(items(order), quantities, strict=True)
        if quantity
    ]
    response = ask(auth_client, order, lines)
    assert response.status_code == 201, response.json()
    return order, response.json()["id"]


class TestStaffAnswer:
    def test_approve_and_reject_tell_the_customer(self, user, staff, auth_client, shop_staff):
        _, approved = requested(user, staff, auth_client)
        _, rejected = requested(user, staff, auth_client)

        assert staff_post(shop_staff, "approve", approved).json()["status"] == "approved"
        response = staff_post(shop_staff, "reject", rejected, {"note": "Worn, not as sold"})

        assert response.json()["status"] == "rejected"
        assert response.json()["events"][-1]["note"] == "Worn, not as sold"
        emails = OutboxEmail.objects.filter(template="orders/email/return_status")
        assert emails.count() == 2

    def test_the_customer_cannot_cancel_once_approved(self, user, staff, auth_client, shop_staff):
        _, ret = requested(user, staff, auth_client)
        staff_post(shop_staff, "approve", ret)
        response = auth_client.post(reverse("returns:cancel", args=[ret]))
        assert (response.status_code, response.json()["code"]) == (400, "invalid_transition")

    def test_a_rejection_needs_a_note(self, user, staff, auth_client, shop_staff):
        _, ret = requested(user, staff, auth_client)
        assert staff_post(shop_staff, "reject", ret, {}).status_code == 400
        assert Return.objects.get(pk=ret).status == "requested"


class TestReceive:
    def test_resellable_units_go_back_into_stock_once(self, user, staff, auth_client, shop_staff):
        order, ret = requested(user, staff, auth_client)
        first, second = items(order)
        staff_post(shop_staff, "approve", ret)
        kemis, jebena = default_variant(first.product), default_variant(second.product)
        before = (kemis.stock, jebena.stock)
        conditions = {
            "lines": [
                {"order_item_id": first.pk, "condition": "resellable"},
                {"order_item_id": second.pk, "condition": "damaged"},
            ]
        }

        assert staff_post(shop_staff, "receive", ret, conditions).json()["status"] == "received"
        again = staff_post(shop_staff, "receive", ret, conditions)

        assert (again.status_code, again.json()["code"]) == (400, "invalid_transition")
        kemis.refresh_from_db(), jebena.refresh_from_db()
        assert (kemis.stock, jebena.stock) == (before[0] + 2, before[1])
        assert list(StockMovement.objects.filter(reason="returned").values_list("variant_id", "delta")) == [
            (kemis.pk, 2)
        ]

    def test_every_line_needs_its_condition(self, user, staff, auth_client, shop_staff):
        order, ret = requested(user, staff, auth_client)
        staff_post(shop_staff, "approve", ret)
        response = staff_post(
            shop_staff, "receive", ret, {"lines": [{"order_item_id": items(order)[0].pk, "condition": "resellable"}]}
        )
        assert response.status_code == 400
        assert Return.objects.get(pk=ret).status == "approved"
        assert not StockMovement.objects.filter(reason="returned").exists()


class TestRefund:
    def test_chapa_refunds_the_lines_less_their_coupon_share(self, chapa, user, staff, auth_client, shop_staff):
        # given a 500.00 order with 10% off (50.00: 20.00 on the kemis line, 30.00 on the jebena)
        coupon = CouponFactory(value=D("10.00"))
        order, ret = requested(user, staff, auth_client, chapa=chapa, coupon=coupon, quantities=(1, 0))
        staff_post(shop_staff, "approve", ret)

        # when one kemis of the two comes back, refunded by default
        response = staff_post(shop_staff, "refund", ret, {"note": "Did not fit"})

        # then 90.00 went back through Chapa, once
        assert response.status_code == 200, response.json()
        body = response.json()
        assert (body["status"], body["refund_amount"], body["lines"][0]["refund_amount"]) == (
            "refunded",
            "90.00",
            "90.00",
        )
        payment = order.payments.get()
        assert chapa.transaction(payment.tx_ref)["refunds"] == [{"reason": "Did not fit", "amount": "90.00"}]
        assert chapa.state()["refund_calls"] == 1
        order.refresh_from_db()
        assert (order.payment_status, order.refunded_amount) == ("partially_refunded", D("90.00"))
        refund = Refund.objects.get()
        assert (refund.status, refund.method, refund.actor, refund.amount) == (
            "succeeded",
            "chapa",
            shop_staff,
            D("90.00"),
        )
        event = order.events.last()
        assert (event.type, event.parameters["amount"], event.parameters["return"]) == (
            "refunded",
            "90.00",
            body["number"],
        )
        assert OutboxEmail.objects.filter(template="orders/email/return_status").count() == 2  # approved, refunded

    def test_everything_back_with_the_delivery_fee_refunds_the_order(self, chapa, user, staff, auth_client, shop_staff):
        order, ret = requested(user, staff, auth_client, chapa=chapa)
        Order.objects.filter(pk=order.pk).update(delivery_fee=D("0.00"))  # free delivery: total 500.00
        staff_post(shop_staff, "approve", ret)

        response = staff_post(shop_staff, "refund", ret, {"include_delivery": True})

        assert response.json()["refund_amount"] == "500.00"
        order.refresh_from_db()
        assert (order.payment_status, order.refunded_amount) == ("refunded", D("500.00"))

    def test_the_delivery_fee_goes_back_once(self, user, staff, auth_client, shop_staff):
        order, first = requested(user, staff, auth_client, quantities=(1, 0))
        Order.objects.filter(pk=order.pk).update(delivery_fee=D("50.00"), subtotal=D("500.00"), total=D("550.00"))
        second = ask(auth_client, order, [{"order_item_id": items(order)[1].pk, "quantity": 1, "reason": "other"}])
        for ret in (first, second.json()["id"]):
            staff_post(shop_staff, "approve", ret)
        cash = {"include_delivery": True, "method": "cash"}
        assert staff_post(shop_staff, "refund", first, cash).json()["refund_amount"] == "150.00"
        before = nothing_written()

        response = staff_post(shop_staff, "refund", second.json()["id"], cash)

        assert (response.status_code, response.json()["code"]) == (409, "delivery_already_refunded")
        assert nothing_written() == before
        order.refresh_from_db()
        assert order.refunded_amount == D("150.00")

    def test_staff_may_refund_less_never_more(self, user, staff, auth_client, shop_staff):
        order, ret = requested(user, staff, auth_client, quantities=(1, 0))
        staff_post(shop_staff, "approve", ret)

        more = staff_post(shop_staff, "refund", ret, {"amount": "100.01", "method": "cash"})

        assert (more.status_code, more.json()["code"]) == (400, "refund_exceeds_value")
        assert (Refund.objects.count(), Order.objects.get(pk=order.pk).refunded_amount) == (0, D("0.00"))
        less = staff_post(shop_staff, "refund", ret, {"amount": "60.00", "method": "cash", "reference": "till 4"})
        assert less.json()["refund_amount"] == "60.00"
        refund = Refund.objects.get()
        assert (refund.method, refund.reference, refund.status) == ("cash", "till 4", "succeeded")

    def test_money_paid_back_by_hand_must_say_how(self, user, staff, auth_client, shop_staff):
        order, ret = requested(user, staff, auth_client)
        staff_post(shop_staff, "approve", ret)
        response = staff_post(shop_staff, "refund", ret, {})
        assert response.status_code == 400 and "method" in response.json()
        assert (Refund.objects.count(), Order.objects.get(pk=order.pk).refunded_amount) == (0, D("0.00"))

    def test_a_requested_return_is_not_refunded(self, user, staff, auth_client, shop_staff):
        order, ret = requested(user, staff, auth_client)
        response = staff_post(shop_staff, "refund", ret, {"method": "cash"})
        assert (response.status_code, response.json()["code"]) == (400, "invalid_transition")
        assert (Refund.objects.count(), Order.objects.get(pk=order.pk).refunded_amount) == (0, D("0.00"))

    def test_a_lost_answer_is_never_sent_again_and_staff_settle_it(self, chapa, user, staff, auth_client, shop_staff):
        # given Chapa makes the refund but its answer is lost
        order, ret = requested(user, staff, auth_client, chapa=chapa, quantities=(1, 0))
        staff_post(shop_staff, "approve", ret)
        chapa.config(refund_mode="error500_after_refund")

        lost = staff_post(shop_staff, "refund", ret, {})
        again = staff_post(shop_staff, "refund", ret, {})

        # then the refund stays `sending`, booked, and is not sent a second time
        assert (lost.status_code, lost.json()["code"]) == (502, "payment_gateway_error")
        assert (again.status_code, again.json()["code"]) == (409, "refund_already_requested")
        assert chapa.state()["refund_calls"] == 1
        refund = Refund.objects.get()
        assert (refund.status, Return.objects.get(pk=ret).status) == ("sending", "approved")
        assert Order.objects.get(pk=order.pk).refunded_amount == D("100.00")

        # when staff see it made in the Chapa dashboard
        refund_settle(refund_id=refund.pk, actor=shop_staff, made=True)

        assert Return.objects.get(pk=ret).status == "refunded"
        assert Order.objects.get(pk=order.pk).payment_status == "partially_refunded"
        assert chapa.state()["refund_calls"] == 1

    def test_a_refund_chapa_refuses_can_be_made_again(self, chapa, user, staff, auth_client, shop_staff):
        order, ret = requested(user, staff, auth_client, chapa=chapa, quantities=(1, 0))
        staff_post(shop_staff, "approve", ret)
        # the money went back another way already: Chapa says there is nothing left to refund
        get_client().refund(order.payments.get().chapa_reference, reason="By the phone app")

        refused = staff_post(shop_staff, "refund", ret, {})

        assert (refused.status_code, refused.json()["code"]) == (502, "payment_gateway_error")
        assert Refund.objects.get().status == "failed"
        assert Order.objects.get(pk=order.pk).refunded_amount == D("0.00")
        assert Return.objects.get(pk=ret).status == "approved"


class TestCreditNote:
    def test_a_refund_gives_a_credit_note_naming_the_receipt_it_corrects(self, user, staff, auth_client, shop_staff):
        # given a refunded return of one kemis and a second one of the jebena
        order, first = requested(user, staff, auth_client, quantities=(1, 0))
        second = ask(auth_client, order, [{"order_item_id": items(order)[1].pk, "quantity": 1, "reason": "other"}])
        for ret in (first, second.json()["id"]):
            staff_post(shop_staff, "approve", ret)
            staff_post(shop_staff, "refund", ret, {"method": "bank_transfer", "reference": "CBE 1234"})
        numbers = [Return.objects.get(pk=ret).refunds.get().credit_note_number for ret in (first, second.json()["id"])]

        # when the customer downloads the first one's credit note
        response = auth_client.get(reverse("return-payments:credit-note", args=[first]))

        # then it is a PDF with its own number, one after the other's, and the receipt it corrects
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert int(numbers[1].removeprefix("CN-")) == int(numbers[0].removeprefix("CN-")) + 1
        assert numbers[0].startswith("CN-") and len(numbers[0]) >= 9
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        order.refresh_from_db()
        assert numbers[0] in text and order.receipt_number in text and "100.00" in text
        assert auth_client.get(reverse("returns:detail", args=[first])).json()["credit_note_number"] == numbers[0]

    def test_an_amharic_reader_gets_it_in_amharic_with_the_currency_as_people_read_it(
        self, user, staff, auth_client, shop_staff
    ):
        _, ret = requested(user, staff, auth_client, quantities=(1, 0))
        staff_post(shop_staff, "approve", ret)
        staff_post(shop_staff, "refund", ret, {"method": "cash"})
        response = auth_client.get(reverse("return-payments:credit-note", args=[ret]), HTTP_ACCEPT_LANGUAGE="am")
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        assert "(ብር)" in text and "100.00 ብር" in text and "(ETB)" not in text

    def test_before_the_refund_there_is_none(self, user, staff, auth_client, other_client):
        _, ret = requested(user, staff, auth_client)
        response = auth_client.get(reverse("return-payments:credit-note", args=[ret]))
        assert (response.status_code, response.json()["code"]) == (409, "not_refunded")
        assert other_client.get(reverse("return-payments:credit-note", args=[ret])).status_code == 404


class TestEmailsAndSms:
    def test_the_customer_reads_each_answer_in_their_own_language(
        self, sms_gateway, user, staff, auth_client, shop_staff, django_capture_on_commit_callbacks
    ):
        # given a customer who reads Amharic, and their return
        user.language = "am"
        user.save(update_fields=["language"])
        order, ret = requested(user, staff, auth_client, quantities=(1, 0))
        number = Return.objects.get(pk=ret).number
        mail.outbox.clear()
        sms_gateway.reset()

        # when staff, reading English, approve it and refund it
        with django_capture_on_commit_callbacks(execute=True):
            staff_post(shop_staff, "approve", ret)
        with django_capture_on_commit_callbacks(execute=True):
            staff_post(shop_staff, "refund", ret, {"method": "cash"})

        # then two e-mails came, written in Amharic, the second with the money and its credit note
        approved, refunded = mail.outbox
        assert approved.to == [user.email] and number in approved.subject
        assert "ተመላሽዎ ጸድቋል" in approved.body and not approved.attachments
        assert "የተመላሽዎ ገንዘብ ተመልሷል" in refunded.body and "100.00 ብር" in refunded.body
        ((filename, content, mimetype),) = refunded.attachments
        assert (filename, mimetype) == (f"credit-note-{number}.pdf", "application/pdf")
        credit_note = Return.objects.get(pk=ret).refunds.get().credit_note_number
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        assert f"የተመላሽ ደረሰኝ {credit_note}" in text and "100.00 ብር" in text, text
        # and two SMS at the order's shipping phone, in Amharic too
        assert [m["message"] for m in sms_gateway.messages(to="251911234567")] == [
            f"Shop: ተመላሽዎ {number} ጸድቋል።",
            f"Shop: ለተመላሽዎ {number} 100.00 ብር ገንዘብ ተመላሽ አድርገናል።",
        ]

    def test_a_rejection_is_told_by_sms_unless_the_customer_turned_sms_off(
        self,
        sms_gateway,
        user,
        staff,
        auth_client,
        other_user,
        other_client,
        shop_staff,
        django_capture_on_commit_callbacks,
    ):
        # given two customers' returns, the second customer having turned SMS off
        _, told = requested(user, staff, auth_client)
        other_user.sms_notifications = False
        other_user.save(update_fields=["sms_notifications"])
        _, silent = requested(other_user, staff, other_client)
        sms_gateway.reset()

        # when staff reject both
        with django_capture_on_commit_callbacks(execute=True):
            for ret in (told, silent):
                assert staff_post(shop_staff, "reject", ret, {"note": "Worn"}).status_code == 200

        # then only the first hears of it by SMS, both by e-mail
        number = Return.objects.get(pk=told).number
        assert [m["message"] for m in sms_gateway.messages()] == [
            f"Shop: Your return {number} was not accepted. We have e-mailed you why."
        ]
        assert OutboxSms.objects.filter(kind="orders/sms/return_status").count() == 1
        assert OutboxEmail.objects.filter(template="orders/email/return_status").count() == 2


def test_more_than_was_paid_is_refused_and_writes_nothing(user, staff, auth_client, shop_staff):
    # given a refunded return of the whole order, and a second one of the same units (written as
    # if the units check had let it through: the money check holds on its own)
    order, first = requested(user, staff, auth_client)
    staff_post(shop_staff, "approve", first)
    assert staff_post(shop_staff, "refund", first, {"method": "cash"}).json()["refund_amount"] == "500.00"
    second = Return.objects.create(order=order, number=f"{order.number}-R9", status="approved")
    for item in items(order):
        ReturnLine.objects.create(return_request=second, order_item=item, quantity=item.quantity, reason="other")
    before = (nothing_written(), OrderEvent.objects.filter(order=order).count())

    response = staff_post(shop_staff, "refund", second.pk, {"method": "cash"})

    assert (response.status_code, response.json()["code"]) == (409, "refund_exceeds_paid")
    assert response.json()["refundable"] == "0.00"
    assert (nothing_written(), OrderEvent.objects.filter(order=order).count()) == before
    order.refresh_from_db()
    assert (order.refunded_amount, order.payment_status) == (D("500.00"), "refunded")


class TestWholePaymentRefund:
    """The refund of a whole payment owed back (a paid order staff cancelled) is a refund row too."""

    def paid_then_cancelled(self, chapa, user, staff):
        order = two_line_order(user=user, staff=staff, chapa=chapa)
        Order.objects.filter(pk=order.pk).update(status="processing")  # caught before it left the shop
        order_status_change(order_id=order.pk, new_status="cancelled", actor=staff)
        return order, order.payments.get()

    def test_it_is_a_refund_row_counted_in_the_refunded_amount(self, chapa, user, staff):
        order, payment = self.paid_then_cancelled(chapa, user, staff)

        payment_refund(payment_id=payment.pk, actor=staff, reason="Cancelled")

        refund = Refund.objects.get()
        assert (refund.amount, refund.method, refund.status) == (order.total, "chapa", "succeeded")
        assert refund.counted
        assert (refund.return_request, refund.payment, refund.actor) == (None, payment, staff)
        order.refresh_from_db()
        assert (order.payment_status, order.refunded_amount) == ("refunded", order.total)
        assert chapa.state()["refund_calls"] == 1

    def test_a_lost_answer_settled_as_not_made_may_be_sent_again(self, chapa, user, staff, settings):
        order, payment = self.paid_then_cancelled(chapa, user, staff)
        settings.CHAPA_BASE_URL = "http://127.0.0.1:9/v1"  # Chapa unreachable: no answer
        with pytest.raises(PaymentGatewayError):
            payment_refund(payment_id=payment.pk, actor=staff, reason="Cancelled")
        assert Order.objects.get(pk=order.pk).refunded_amount == order.total  # booked while unknown

        refund_settle(refund_id=Refund.objects.get().pk, actor=staff, made=False)

        assert Order.objects.get(pk=order.pk).refunded_amount == D("0.00")
        settings.CHAPA_BASE_URL = chapa.api_url
        payment_refund(payment_id=payment.pk, actor=staff, reason="Cancelled")
        assert sorted(Refund.objects.values_list("status", flat=True)) == ["failed", "succeeded"]
        assert Order.objects.get(pk=order.pk).payment_status == "refunded"
