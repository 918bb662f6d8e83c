"""The payments app in Amharic: the page after Chapa, the receipt, the gateway's errors and the
payment e-mails; what is stored (a payment's failure reason) stays as it was written."""

import io
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from conftest import client_for
from orders.tests.factories import DeliveryMethodFactory, place_order
from payments.models import Payment
from payments.services import payment_record
from payments.tests.factories import initiated_payment
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

AMHARIC = {"HTTP_ACCEPT_LANGUAGE": "am"}


def test_the_return_page_says_how_it_went_in_amharic(chapa, client, user, settings):
    settings.STOREFRONT_URL = "https://shop.example.et"
    payment = initiated_payment(user=user)
    chapa.complete(payment.tx_ref, "success")

    with translation.override("am"):
        page = client.get(reverse("payment-pages:return", args=[payment.pk]), **AMHARIC).content.decode()

    assert '<html lang="am">' in page
    assert f"ትዕዛዝ {payment.order.number} ተከፍሏል" in page
    assert "እናመሰግናለን፤ ክፍያዎ ደርሶናል፣ ትዕዛዝዎም ተረጋግጧል።" in page
    assert 'data-outcome="paid"' in page  # the outcome a script reads is the same in every language


def test_the_receipt_prints_its_labels_in_amharic(staff, user):
    DeliveryMethodFactory(code="addis", fee=Decimal("150.00"))
    product = ProductFactory(price=Decimal("850.00"), stock=5)
    order = place_order(user=user, lines=[(product, 2)], delivery_method="addis", payment_method="cash_on_delivery")
    payment_record(order_id=order.pk, amount=Decimal("1850.00"), method="cash", reference="RB-9", actor=staff)

    with translation.override("am"):
        response = client_for(user).get(reverse("order-payments:receipt", args=[order.pk]), **AMHARIC)

    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (f"የትዕዛዝ {order.number} ደረሰኝ", "ንዑስ ድምር", "ጠቅላላ (ብር)", "የተካተተ ተ.እ.ታ (15%)", "ጥሬ ገንዘብ፣ ማጣቀሻ RB-9"):
        assert expected in text, (expected, text)


def test_an_unreachable_gateway_is_explained_in_amharic_and_stored_in_english(chapa, auth_client, user, settings):
    settings.CHAPA_BASE_URL = "http://127.0.0.1:9/v1"  # discard port: nothing answers
    order = place_order(user=user)

    with translation.override("am"):
        response = auth_client.post(reverse("payments:initiate"), {"order_id": str(order.pk)}, **AMHARIC)

    assert response.status_code == 502
    assert response.json() == {"detail": "የክፍያ መግቢያውን (ቻፓ) ማግኘት አልተቻለም።", "code": "payment_gateway_error"}
    assert Payment.objects.get().failure_reason == "The payment gateway could not be reached."


def test_the_failed_payment_e_mail_reads_in_amharic(chapa, user):
    payment = initiated_payment(user=user)
    context = {"payment": payment, "order": payment.order, "items": [], "name": "Abebe"}

    with translation.override("am"):
        text = render_to_string("payments/email/payment_failed.txt", context, using="email_text")

    assert "ሰላም Abebe፣" in text
    assert f"ለትዕዛዝ {payment.order.number} የከፈሉት {payment.amount} ብር አልተሳካም።" in text
    assert "በሌላ ካርድ ወይም የሞባይል ገንዘብ መለያ እንደገና መሞከር ይችላሉ።" in text
