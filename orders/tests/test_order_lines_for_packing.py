"""What staff and the customer see of each line: enough to pack it (SKU, size, colour), and the
packing slip that the packer prints: every line, where it goes, and no money."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from addresses.tests.factories import AddressFactory
from cart.services import cart_item_add
from conftest import client_for
from ecommerce.common.dates import date_display
from orders.models import DeliveryMethod, Order
from orders.services import order_place_from_cart
from orders.tests.factories import DeliveryMethodFactory, place_order
from payments.services import payment_record
from products.services import variant_create
from products.tests.factories import ProductFactory
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def order_of_a_red_medium_shirt(*, ship_to: dict | None = None, **kwargs) -> Order:
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
    address = AddressFactory(user=customer, **(ship_to or {}))
    order, _ = order_place_from_cart(user=customer, shipping_address_id=address.pk, **kwargs)
    return order


def test_the_order_page_shows_each_lines_sku_and_options(owner_client):
    order = order_of_a_red_medium_shirt()
    page = owner_client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert "SHIRT-RED-M" in page
    assert "Size: M, Colour: Red" in page
    assert "SHIRT-BLUE-L" not in page


def test_the_order_list_finds_an_order_by_its_receipt_number(owner_client, staff):
    wanted, other = order_of_a_red_medium_shirt(), place_order(user=UserFactory())
    payment_record(order_id=wanted.pk, amount=wanted.total, method="cash", actor=staff)
    wanted.refresh_from_db()
    page = owner_client.get(reverse("admin:orders_order_changelist"), {"q": wanted.receipt_number}).content.decode()
    assert wanted.number in page and other.number not in page


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


def packing_slip_url(order):
    return reverse("orders:packing-slip", args=[order.pk])


def staff_who_may_view_orders():
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="orders", codename="view_order"))
    return user


def pages_of(content: bytes) -> list[str]:
    """Each page's text, with its lines joined as they wrapped."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def fonts_of(content: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        fonts |= {str(font.get_object()["/BaseFont"]).split("+")[-1] for font in page["/Resources"]["/Font"].values()}
    return fonts


# What a packing slip never shows: prices, totals, the delivery fee, the currency, the VAT.
MONEY = ("650", "1,300", "1,450", "150.00", "ETB", "ብር", "Total", "Subtotal", "VAT", "Price", "price")


def money_in(text: str, *orders: Order) -> list[str]:
    # An order number may spell ETB or VAT by chance: it is not money.
    for order in orders:
        text = text.replace(order.number, "")
    return [word for word in MONEY if word in text]


def addis_courier() -> DeliveryMethod:
    courier = DeliveryMethod.objects.filter(code="addis").first()
    return courier or DeliveryMethodFactory(code="addis", name="Addis courier", fee=Decimal("150.00"))


def another_order() -> Order:
    return place_order(user=UserFactory(), delivery_method=addis_courier().code)


def an_order_to_pack():
    courier = addis_courier()
    return order_of_a_red_medium_shirt(
        ship_to={"full_name": "አበበ በቀለ", "phone": "0911223344", "line1": "Bole, House 12", "city": "Addis Ababa"},
        delivery_method=courier.code,
        notes="Call before coming; the gate is blue.",
    )


class TestPackingSlip:
    def test_it_says_what_to_pack_and_where_and_nothing_about_money(self):
        # given an order of two red medium shirts, to an Amharic name, by courier, with a note
        order = an_order_to_pack()

        # when staff who may see orders print its packing slip
        response = client_for(staff_who_may_view_orders()).get(packing_slip_url(order))

        # then it is a PDF of one page with all the packer needs, the Amharic name as written
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        (text,) = pages_of(response.content)
        for expected in (
            f"Packing slip: order {order.number}",
            f"Date: {date_display(order.created_at)}",
            "Ship to:",
            "አበበ በቀለ",
            "Phone: 0911223344",
            "Bole, House 12",
            "Addis Ababa",
            "Delivery: Addis courier (Courier)",
            "Customer's note: Call before coming; the gate is blue.",
            "Cotton shirt",
            "SHIRT-RED-M",
            "Size: M, Colour: Red",
            "Units in all: 2",
        ):
            assert expected in text, (expected, text)
        assert "SHIRT-BLUE-L" not in text
        assert "NotoSansEthiopic-Regular" in fonts_of(response.content)
        # and not a figure of money
        assert order.total == Decimal("1450.00")
        assert money_in(text, order) == [], text

    def test_its_labels_are_in_the_readers_language(self):
        order = an_order_to_pack()
        response = client_for(staff_who_may_view_orders()).get(packing_slip_url(order), HTTP_ACCEPT_LANGUAGE="am")
        (text,) = pages_of(response.content)
        for expected in (f"የዕቃ መላኪያ ዝርዝር፦ ትዕዛዝ {order.number}", "የሚላክበት፦", "ስልክ፦ 0911223344", "ዓ.ም.", "ብዛት"):
            assert expected in text, (expected, text)
        assert money_in(text, order) == [], text

    def test_customers_may_not_print_one_even_of_their_own_order(self):
        order = an_order_to_pack()
        response = client_for(order.user).get(packing_slip_url(order))
        assert response.status_code == 403
        assert response["Content-Type"] == "application/json"

    def test_an_unknown_order_is_a_404_in_json(self):
        order = an_order_to_pack()
        Order.objects.filter(pk=order.pk).delete()
        response = client_for(staff_who_may_view_orders()).get(packing_slip_url(order))
        assert (response.status_code, response["Content-Type"]) == (404, "application/json")


class TestPrintPackingSlipsInTheAdmin:
    def print_slips(self, client, *orders):
        return client.post(
            reverse("admin:orders_order_changelist"),
            {"action": "print_packing_slips", "_selected_action": [str(order.pk) for order in orders]},
        )

    def test_one_pdf_holds_a_slip_per_selected_order_oldest_first(self, owner_client):
        # given two orders to pack and one not selected
        first, second, left_out = an_order_to_pack(), another_order(), another_order()

        # when the owner prints the two from the order list
        response = self.print_slips(owner_client, second, first)

        # then one PDF comes back, a page for each, in the order they were placed, with no money
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        pages = pages_of(response.content)
        assert len(pages) == 2
        assert first.number in pages[0] and "SHIRT-RED-M" in pages[0]
        assert second.number in pages[1]
        assert left_out.number not in " ".join(pages)
        assert money_in(" ".join(pages), first, second) == []

    def test_staff_who_may_only_see_orders_may_print_them(self):
        client = Client()
        client.force_login(staff_who_may_view_orders())
        response = self.print_slips(client, an_order_to_pack())
        assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")

    def test_too_many_at_once_are_refused_with_a_message(self, owner_client, monkeypatch):
        monkeypatch.setattr("orders.admin.PACKING_SLIPS_AT_ONCE", 1)
        response = self.print_slips(owner_client, another_order(), another_order())
        assert response.status_code == 302
        page = owner_client.get(response["Location"]).content.decode()
        assert "Choose at most 1 orders to print at once." in page
