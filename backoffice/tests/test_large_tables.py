"""The order desk and the stock ledger at a million rows: what they do instead of scanning the
table (the search's index paths, the estimated size, the date hierarchy from two dates, the
ledger's product filter), and that staff still see the same orders and rows."""

from datetime import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from addresses.tests.factories import AddressFactory
from ecommerce.common.admin import ESTIMATE_FROM, CalendarQuerySet, LargeTablePaginator, keyset_chunks
from orders.models import Order
from orders.tests.factories import place_order
from products.models import StockMovement, StockReason, Variant
from products.services import stock_adjust
from products.tests.factories import ProductFactory
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def listed(page) -> str:
    return page.content.decode()


def test_a_whole_order_number_finds_that_order_in_any_case(owner_client):
    wanted, other = place_order(user=UserFactory()), place_order(user=UserFactory())
    page = listed(owner_client.get(reverse("admin:orders_order_changelist"), {"q": f" {wanted.number.lower()} "}))
    assert wanted.number in page and other.number not in page


def test_a_phone_typed_in_another_form_finds_the_orders_shipping_to_it(owner_client):
    customer = UserFactory()
    wanted = place_order(user=customer, address=AddressFactory(user=customer, phone="0911223344"))
    other = place_order(user=UserFactory())
    page = listed(owner_client.get(reverse("admin:orders_order_changelist"), {"q": "+251 91 122 3344"}))
    assert wanted.number in page and other.number not in page


def test_a_term_that_is_no_number_or_phone_of_an_order_searches_every_field(owner_client):
    # given an order whose customer's username is shaped like an order number
    customer = UserFactory(username="abebe123")
    wanted, other = place_order(user=customer), place_order(user=UserFactory())
    # when staff search for it, then it is found through the username
    page = listed(owner_client.get(reverse("admin:orders_order_changelist"), {"q": "abebe123"}))
    assert wanted.number in page and other.number not in page


def test_the_phone_lookup_is_the_expression_of_its_index():
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # as on a table too large to read whole
    assert "order_ship_to_phone_idx" in Order.objects.filter(shipping_address__phone="0911223344").explain()


def test_a_large_unfiltered_list_shows_the_estimate_and_a_filtered_one_its_count():
    place_order(user=UserFactory())
    with connection.cursor() as cursor:
        # as if ANALYZE had seen a large table
        cursor.execute("UPDATE pg_class SET reltuples = %s WHERE relname = 'orders_order'", [ESTIMATE_FROM * 3])
    assert LargeTablePaginator(Order.objects.order_by("pk"), 100).count == ESTIMATE_FROM * 3
    assert LargeTablePaginator(Order.objects.filter(status="pending").order_by("pk"), 100).count == 1


def test_the_date_hierarchy_offers_each_year_month_and_day_between_the_first_and_last():
    # given orders placed on 30 Dec 2025 and 2 Feb 2026 (local time)
    for day in (datetime(2025, 12, 30, 23, 30), datetime(2026, 2, 2, 8, 0)):
        order = place_order(user=UserFactory())
        Order.objects.filter(pk=order.pk).update(created_at=timezone.make_aware(day))
    orders = CalendarQuerySet(model=Order)
    # then the years, the months and the days between them are offered, in local time
    assert [d.year for d in orders.datetimes("created_at", "year")] == [2025, 2026]
    assert [(d.year, d.month) for d in orders.datetimes("created_at", "month")] == [
        (2025, 12), (2026, 1), (2026, 2)
    ]  # fmt: skip
    days = orders.filter(created_at__year=2026).datetimes("created_at", "day")
    assert (days[0].month, days[0].day, days[-1].day, len(days)) == (2, 2, 2, 1)
    assert CalendarQuerySet(model=Order).filter(status="shipped").datetimes("created_at", "year") == []


def test_the_order_desk_drills_down_by_year(owner_client):
    order = place_order(user=UserFactory())
    year = timezone.localtime(order.created_at).year
    page = listed(owner_client.get(reverse("admin:orders_order_changelist"), {"created_at__year": year}))
    assert order.number in page and f"created_at__month={timezone.localtime(order.created_at).month}" in page


def test_a_products_ledger_link_shows_that_product_only_and_names_it(owner_client):
    # given two products whose stock changed
    wanted, other = ProductFactory(title="Yirgacheffe", stock=5), ProductFactory(title="Harar", stock=5)
    for product in (wanted, other):
        stock_adjust(variant_id=Variant.objects.get(product=product).pk, delta=2, reason=StockReason.RESTOCK)
    # when staff follow the product page's ledger link
    url = reverse("admin:products_stockmovement_changelist")
    response = owner_client.get(url, {"variant__product__id__exact": wanted.pk})
    # then only its rows are listed, under its name
    assert response.status_code == 200
    rows = response.context["cl"].result_list
    assert {row.variant.product_id for row in rows} == {wanted.pk} and len(rows) == 2
    assert "Yirgacheffe" in listed(response)
    assert StockMovement.objects.filter(variant__product=other).count() == 2
    assert owner_client.get(url, {"variant__product__id__exact": "²"}).status_code == 200


def test_an_export_reads_its_rows_chunk_by_chunk_in_order_and_loses_none():
    # given seven ledger rows
    variant = Variant.objects.get(product=ProductFactory(stock=5))
    for _ in range(6):
        stock_adjust(variant_id=variant.pk, delta=1, reason=StockReason.RESTOCK)
    rows = StockMovement.objects.filter(variant=variant)
    every = list(rows.order_by("pk").values_list("pk", flat=True))
    # when they are read three at a time, both ways, then each comes once, in order
    assert [row.pk for row in keyset_chunks(rows, "pk", size=3)] == every
    assert [row.pk for row in keyset_chunks(rows, "-pk", size=3)] == every[::-1]
    assert list(keyset_chunks(rows.none(), "pk", size=3)) == []
