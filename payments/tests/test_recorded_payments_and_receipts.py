"""Money recorded by staff (cash on delivery, bank transfers), the PDF receipt and the page the
customer's browser lands on after Chapa."""

import io
from decimal import Decimal

import pytest
import requests
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from addresses.tests.factories import AddressFactory
from conftest import client_for
from ecommerce.common.dates import date_display
from orders.models import Order, OrderEvent
from orders.services import order_cancel
from orders.tests.factories import DeliveryMethodFactory, place_order
from payments.models import Payment
from payments.services import payment_record
from payments.tests.factories import initiated_payment
from products.tests.factories import ProductFactory
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def record_url(order):
    return reverse("order-payments:record-payment", args=[order.pk])


def receipt_url(order):
    return reverse("order-payments:receipt", args=[order.pk])


def cod_order(user, price="1000.00"):
    DeliveryMethodFactory(code="addis", fee=Decimal("150.00"))
    product = ProductFactory(price=Decimal(price), stock=5)
    return place_order(user=user, lines=[(product, 1)], delivery_method="addis", payment_method="cash_on_delivery")


def written(order):
    """What a refused recording must leave as it was."""
    order.refresh_from_db()
    return order.status, order.payment_status, Payment.objects.count(), OrderEvent.objects.count()


class TestRecordPayment:
    def test_staff_record_cash_as_a_payment_of_its_own(self, user, staff, django_capture_on_commit_callbacks):
        order = cod_order(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(staff).post(
                record_url(order), {"amount": "1150.00", "method": "cash", "reference": "RB-17"}, format="json"
            )
        assert response.status_code == 200, response.json()
        assert (response.json()["status"], response.json()["payment_status"]) == ("confirmed", "paid")
        payment = Payment.objects.get(order=order)
        assert (payment.method, payment.amount, payment.status, payment.applied, payment.recorded_by) == (
            "cash",
            Decimal("1150.00"),
            "success",
            True,
            staff,
        )
        assert OrderEvent.objects.filter(order=order, type="payment_recorded", actor=staff).count() == 1
        # the "payment received" e-mail carries the receipt
        (message,) = [m for m in mail.outbox if "Payment received" in m.subject]
        ((filename, content, mimetype),) = message.attachments
        assert (filename, mimetype) == (f"receipt-{order.number}.pdf", "application/pdf")
        assert order.number in PdfReader(io.BytesIO(content)).pages[0].extract_text()

    def test_a_pending_chapa_order_paid_by_bank_transfer_is_confirmed(self, user, staff):
        order = place_order(user=user)
        response = client_for(staff).post(
            record_url(order), {"amount": "100.00", "method": "bank_transfer"}, format="json"
        )
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["payment_status"]) == ("confirmed", "paid")

    def test_recording_closes_the_open_chapa_checkout(self, chapa, user, staff):
        # given a customer who opened a Chapa checkout, then paid by bank transfer instead
        chapa_payment = initiated_payment(user=user)
        order = chapa_payment.order

        # when staff record the transfer
        response = client_for(staff).post(
            record_url(order), {"amount": "100.00", "method": "bank_transfer"}, format="json"
        )

        # then the Chapa checkout is closed with the recording, and cannot be opened again
        assert response.status_code == 200, response.json()
        chapa_payment.refresh_from_db()
        assert chapa_payment.status == "cancelled"
        assert "paid another way" in chapa_payment.failure_reason
        again = client_for(user).post(reverse("payments:initiate"), {"order_id": str(order.pk)}, format="json")
        assert again.status_code == 400

    def test_a_late_success_for_the_closed_checkout_is_kept_for_a_refund(self, chapa, client, user, staff):
        # given a Chapa checkout closed because staff recorded the order's cash
        chapa_payment = initiated_payment(user=user)
        payment_record(order_id=chapa_payment.order_id, amount=Decimal("100.00"), method="cash", actor=staff)

        # when the customer pays on that checkout after all
        chapa.complete(chapa_payment.tx_ref, "success")
        response = client.get(reverse("payments:verify", args=[chapa_payment.pk]))

        # then the money is not ignored: the order, already paid, owes it back
        assert response.status_code == 200
        chapa_payment.refresh_from_db()
        assert (chapa_payment.status, chapa_payment.applied) == ("success", False)
        order = Order.objects.get(pk=chapa_payment.order_id)
        assert (order.status, order.payment_status) == ("confirmed", "refund_pending")
        assert OrderEvent.objects.filter(order=order).last().type == "refund_flagged"

    @pytest.mark.parametrize(
        ("setup", "body", "status", "code"),
        [
            ("cod", {"amount": "1149.99", "method": "cash"}, 400, "amount_mismatch"),
            ("cod", {"amount": "1150.00", "method": "chapa"}, 400, None),
            ("paid", {"amount": "1150.00", "method": "cash"}, 409, "already_paid"),
            ("cancelled", {"amount": "1150.00", "method": "cash"}, 400, "order_not_payable"),
        ],
    )
    def test_refused_and_nothing_written(self, user, staff, setup, body, status, code):
        order = cod_order(user)
        if setup == "paid":
            payment_record(order_id=order.pk, amount=Decimal("1150.00"), method="cash", actor=staff)
        elif setup == "cancelled":
            order_cancel(order_id=order.pk, actor=user)
        before = written(order)
        response = client_for(staff).post(record_url(order), body, format="json")
        assert response.status_code == status, response.json()
        if code:
            assert response.json()["code"] == code
        assert written(order) == before

    def test_customers_may_not_record(self, user):
        order = cod_order(user)
        response = client_for(user).post(record_url(order), {"amount": "1150.00", "method": "cash"}, format="json")
        assert response.status_code == 403
        assert not Payment.objects.exists()


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def embedded_fonts(reader: PdfReader) -> set[str]:
    """The fonts whose TrueType program is inside the PDF (FontFile2), by name without the
    subset prefix."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                names.add(str(font["/BaseFont"]).split("+")[-1])
    return names


class TestReceipt:
    def test_amharic_names_print_as_written_with_the_font_embedded(self, staff, settings, user):
        settings.SHOP_NAME, settings.SHOP_TIN = "Abyssinia Goods", "0012345678"
        product = ProductFactory(title="የኢትዮጵያ ቡና", price=Decimal("850.00"), stock=5)
        address = AddressFactory(user=user, full_name="አበበ በቀለ")
        DeliveryMethodFactory(code="addis", fee=Decimal("150.00"))
        order = place_order(
            user=user, lines=[(product, 2)], address=address, delivery_method="addis", payment_method="cash_on_delivery"
        )
        payment_record(order_id=order.pk, amount=Decimal("1850.00"), method="cash", reference="RB-9", actor=staff)

        response = client_for(user).get(receipt_url(order))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        text = " ".join(page.extract_text() for page in reader.pages)
        for expected in (
            "አበበ በቀለ",
            "የኢትዮጵያ ቡና",
            "Abyssinia Goods",
            "TIN: 0012345678",
            order.number,
            "1,850.00 ETB",
            "VAT included (15%)",
            "241.30 ETB",  # 1850 × 0.15 / 1.15
            "150.00 ETB",
            "Cash, reference RB-9",
        ):
            assert expected in text, (expected, text)
        assert {"NotoSansEthiopic-Regular", "NotoSans-Regular"} <= embedded_fonts(reader)

    def test_it_names_its_number_the_seller_the_buyer_and_where_the_goods_go(self, staff, settings, user):
        # given a shop with its TIN and VAT number, and a business that gave its TIN at checkout
        settings.SHOP_TIN, settings.SHOP_VAT_NUMBER = "0012345678", "7654321"
        address = AddressFactory(user=user, full_name="Abebe Bekele", line1="Bole Road, House 12", city="Adama")
        order = place_order(user=user, address=address, buyer_tin="0098765432")
        payment_record(order_id=order.pk, amount=order.total, method="bank_transfer", actor=staff)
        order.refresh_from_db()

        # when its customer downloads the receipt
        text = pdf_text(client_for(user).get(receipt_url(order)).content)

        # then it carries all an Ethiopian receipt must
        for expected in (
            f"Receipt {order.receipt_number}",
            f"Receipt for order {order.number}",
            "TIN: 0012345678",
            "VAT registration number: 7654321",
            "Customer: Abebe Bekele",
            "Buyer's TIN: 0098765432",
            "Ship to:",
            "Bole Road, House 12",
            "Adama",
            "0911234567",
            f"Paid: {date_display(order.paid_at, both_calendars=True)}",
            "E.C.)",
            "100.00 ETB",
        ):
            assert expected in text, (expected, text)
        assert order.receipt_number.startswith("R-")

    def test_without_a_buyers_tin_or_a_vat_number_it_prints_neither(self, staff, settings, user):
        settings.SHOP_VAT_NUMBER = ""
        order = place_order(user=user)
        payment_record(order_id=order.pk, amount=order.total, method="bank_transfer", actor=staff)
        text = pdf_text(client_for(user).get(receipt_url(order)).content)
        assert "Buyer's TIN" not in text and "VAT registration number" not in text

    def test_the_e_mailed_receipt_is_in_the_customers_language(self, staff, django_capture_on_commit_callbacks):
        # given a customer who reads Amharic, whose order staff pay in an English back office
        customer = UserFactory(language="am")
        order = place_order(user=customer, buyer_tin="0098765432")
        with django_capture_on_commit_callbacks(execute=True):
            payment_record(order_id=order.pk, amount=order.total, method="bank_transfer", actor=staff)
        order.refresh_from_db()

        # then the receipt attached to the payment e-mail is in Amharic, both calendars on it
        (message,) = [m for m in mail.outbox if m.attachments]
        text = pdf_text(message.attachments[0][1])
        amharic = (f"የትዕዛዝ {order.number} ደረሰኝ", order.receipt_number, "0098765432", "ዓ.ም.", "እ.ኤ.አ.", "100.00 ብር")
        for expected in amharic:
            assert expected in text, (expected, text)

    def test_unpaid_order_has_none(self, user):
        order = cod_order(user)
        response = client_for(user).get(receipt_url(order))
        assert (response.status_code, response.json()["code"]) == (409, "not_paid")

    def test_another_customer_gets_404(self, user, other_user, staff):
        order = cod_order(user)
        payment_record(order_id=order.pk, amount=order.total, method="cash", actor=staff)
        assert client_for(other_user).get(receipt_url(order)).status_code == 404
        assert client_for(staff).get(receipt_url(order)).status_code == 200


def return_url(payment_id):
    return reverse("payment-pages:return", args=[payment_id])


class TestReturnPage:
    def test_paid_says_so_with_the_order_number_and_a_link_back(self, chapa, client, user, settings):
        settings.STOREFRONT_URL = "https://shop.example.et"
        payment = initiated_payment(user=user)
        chapa.complete(payment.tx_ref, "success")
        response = client.get(return_url(payment.pk))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        page = response.content.decode()
        assert f"Order {payment.order.number} is paid" in page
        assert 'href="https://shop.example.et"' in page
        assert Order.objects.get(pk=payment.order_id).status == "confirmed"  # verified like verify/

    def test_failed_says_nothing_was_charged(self, chapa, client, user, settings):
        settings.STOREFRONT_URL = ""
        payment = initiated_payment(user=user)
        chapa.complete(payment.tx_ref, "failed")
        page = client.get(return_url(payment.pk)).content.decode()
        assert "is not paid" in page and "nothing was charged" in page
        assert 'id="back"' not in page

    def test_unknown_payment_is_404(self, client):
        import uuid

        assert client.get(return_url(uuid.uuid4())).status_code == 404

    def test_is_throttled_like_verify_and_says_so_in_html(self, chapa, client, api_client, user, settings):
        # given verify/'s rate for anonymous clients at 5 a minute, and a payment Chapa has not confirmed
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "5/min"},
        }
        payment = initiated_payment(user=user)

        # when an anonymous client loads its return page 30 times
        statuses = [client.get(return_url(payment.pk)).status_code for _ in range(30)]

        # then Chapa's verify API was asked 5 times, and the rest was a 429 page in plain words
        assert statuses == [200] * 5 + [429] * 25
        assert chapa.transaction(payment.tx_ref)["verify_calls"] == 5
        response = client.get(return_url(payment.pk))
        assert response.status_code == 429 and response["Content-Type"].startswith("text/html")
        assert int(response["Retry-After"]) > 0
        assert "Too many requests" in response.content.decode()
        # the same budget as verify/ itself
        assert api_client.get(reverse("payments:verify", args=[payment.pk])).status_code == 429

    def test_is_the_default_return_url(self, settings):
        assert settings.CHAPA_RETURN_URL.endswith("/payments/{payment_id}/return/")


def test_sandbox_follows_return_url_to_the_page(chapa, shop_url_for_chapa, settings, user):
    settings.CHAPA_RETURN_URL = shop_url_for_chapa + "/payments/{payment_id}/return/"
    payment = initiated_payment(user=user)
    page = requests.post(payment.checkout_url, data={"status": "success"}, timeout=30)
    assert page.status_code == 200 and f"Order {payment.order.number} is paid" in page.text
    # Chapa's callback and webhook, sent meanwhile, find it verified (and none outlives the test)
    deliveries = chapa.wait_for_deliveries(2)
    assert sorted((d["kind"], d["status"]) for d in deliveries) == [("callback", 200), ("webhook", 200)]
