"""What staff and the customer see of each line: enough to pack it (SKU, size, colour)."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from addresses.tests.factories import AddressFactory
from cart.services import cart_item_add
from orders.models import Order
from orders.services import order_place_from_cart
from orders.tests.factories import place_order
from payments.services import payment_record
from products.services import variant_create
from products.tests.factories import ProductFactory
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def order_of_a_red_medium_shirt(**kwargs) -> Order:
    shirt = ProductFactory(
        title="Cotton shirt",
        price=Decimal("650.00"),
        stock=0,
        options=[{"name": "Size", "values": ["M", "L"]}, {"name": "Colour", "values": ["Red", "Blue"]}],
    )
    red_medium = variant_create(product=shirt, sku="SHIRT-RED-M", options={"Size": "M", "Colour": "Red"}, stock=3)
    variant_create(product=shirt, sku="SHIRT-BLUE-L", options={"Size": "L", "Colour": "Blue"}, stock=3)
    customer = UserFactory()
    cart_item_add(user=customer, variant_id=red_medium.pk, quantity=2)
    order, _ = order_place_from_cart(user=customer, shipping_address_id=AddressFactory(user=customer).pk, **kwargs)
    return order


def test_the_order_page_shows_each_lines_sku_and_options(owner_client):
    order = order_of_a_red_medium_shirt()
    page = owner_client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert "SHIRT-RED-M" in page
    assert "Size: M, Colour: Red" in page
    assert "SHIRT-BLUE-L" not in page


def test_the_order_list_finds_an_order_by_a_lines_sku(owner_client):
    wanted = order_of_a_red_medium_shirt()
    other = place_order(user=UserFactory())
    page = owner_client.get(reverse("admin:orders_order_changelist"), {"q": "shirt-red-m"}).content.decode()
    assert wanted.number in page and other.number not in page


def test_the_customers_emails_name_each_lines_sku_and_options(django_capture_on_commit_callbacks, staff):
    # given an order placed, then paid (two e-mails with the order's lines)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_of_a_red_medium_shirt()
        payment_record(order_id=order.pk, amount=order.total, method="cash", actor=staff)

    # then each e-mail, in text and HTML, says which shirt to expect
    assert [m.subject for m in mail.outbox] == [
        f"[Shop] Order {order.number} received",
        f"[Shop] Payment received for order {order.number}",
    ]
    for message in mail.outbox:
        html = message.alternatives[0][0]
        line = "2 × Cotton shirt @ 650.00 = 1,300.00 ETB\n      Size: M, Colour: Red · SKU SHIRT-RED-M\n"
        assert line in message.body
        assert "Size: M, Colour: Red · SKU SHIRT-RED-M" in html
