"""Every kind of e-mail: the plain-text part is not HTML-escaped (a link with "&" works when
copied), while the HTML part still is."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test.signals import template_rendered
from django.utils import timezone

from ecommerce.outbox.models import OutboxEmail
from orders.services import order_payment_received, order_status_change
from orders.services.returns import return_approve, return_request
from orders.tests.factories import place_order
from payments.emails import payment_result_email
from payments.models import Payment, PaymentState
from products.emails import stock_low_email
from products.models import Variant
from products.tests.factories import ProductFactory
from users.emails import otp_shop_limit_email, password_reset_email
from users.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

# A shop name every text template prints: a URL with "&", quotes and angle brackets.
SHOP_NAME = """Buna & Beso <https://shop.example.et/?lang=am&ref=mail> "O'Ethiopia\""""
FRONTEND_URL = "https://shop.example.et/app?lang=am&ref=mail"
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def text_templates_on_disk() -> set[str]:
    root = Path(settings.BASE_DIR)
    return {
        str(path.relative_to(next(parent for parent in path.parents if parent.name == "templates")))
        for path in root.glob("*/templates/**/*.txt")
    }


def send_every_kind() -> None:
    user = UserFactory(first_name="Tom & Jerry")
    password_reset_email(user=user)
    order = place_order(user=user, lines=[(ProductFactory(title="Salt & Pepper <mill>", price=Decimal("80.00")), 1)])
    order_payment_received(order_id=order.pk, payment_ref="tx-paid")
    order_status_change(order_id=order.pk, new_status="processing", actor=StaffFactory(), note="Bole & Piassa")
    for n, state in enumerate([PaymentState.SUCCESS, PaymentState.FAILED]):
        payment = Payment.objects.create(order=order, tx_ref=f"tx-{n}&x", amount=order.total, status=state)
        payment_result_email(payment=payment)
    StaffFactory(email="owner@shop.et")
    stock_low_email(variants=list(Variant.objects.all()), key="stock-low:kinds")
    otp_shop_limit_email(limit=500, at=timezone.now())
    staff = StaffFactory(email="desk@shop.et")
    for status in ("shipped", "delivered"):
        order_status_change(order_id=order.pk, new_status=status, actor=staff)
    line = {"order_item_id": order.items.get().pk, "quantity": 1, "reason": "damaged"}
    returned = return_request(order_id=order.pk, actor=user, lines=[line])
    return_approve(return_id=returned.pk, actor=staff, note="Bring it & the box <please>")


def test_plain_text_parts_are_not_escaped(settings, django_capture_on_commit_callbacks):
    settings.SHOP_NAME = SHOP_NAME
    settings.FRONTEND_URL = FRONTEND_URL
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):  # written as they are sent
            send_every_kind()
    finally:
        template_rendered.disconnect(record)

    # every plain-text template there is took part, so a new kind of e-mail cannot slip by
    assert text_templates_on_disk() <= set(rendered)
    emails = list(OutboxEmail.objects.all())
    # eight to the customer (the last three: shipped, delivered, the return approved), and the stock
    # alert and the sign-in codes' alert to each of the two staff there were then
    assert len(emails) == 12
    for email in emails:
        assert SHOP_NAME in email.body_text, email.subject
        assert not ENTITY.search(email.body_text), (email.subject, ENTITY.search(email.body_text))
        assert "Buna &amp; Beso &lt;" in email.body_html, email.subject
    reset = next(email for email in emails if "Reset" in email.subject)
    assert re.search(re.escape(FRONTEND_URL) + r"/reset-password\?uid=\S+&token=\S+", reset.body_text)
