"""The admin's front page is the shop's dashboard: yesterday's sales, the month's revenue by day,
orders by status, the best sellers, what is running low, refunds due and payments left
pending, in a fixed number of queries however many orders there are. The sales figures are
those of the last count (backoffice.services.dashboard_summary_refresh, every minute)."""

from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backoffice.selectors import dashboard_figures
from backoffice.services import dashboard_summary_refresh
from ecommerce.common.dates import day_display
from orders.models import Order
from orders.services import order_payment_received
from orders.tests.factories import place_order
from products.models import Variant
from products.tests.factories import ProductFactory, product_with_sizes, set_stock
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def paid_order(*, lines, days_ago: int = 0):
    order = place_order(user=UserFactory(), lines=lines)
    order_payment_received(order_id=order.pk, payment_ref=f"tx-{order.number}")
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now() - timedelta(days=days_ago))
    return order


def test_the_front_page_shows_how_the_shop_is_doing(owner_client, settings):
    settings.LOW_STOCK_THRESHOLD = 2
    coffee = ProductFactory(title="Sidamo beans", price=Decimal("780.00"), stock=50)
    kemis = product_with_sizes(sizes=["S", "M"], stock=5, price=Decimal("6500.00"))
    medium = Variant.objects.get(product=kemis, sku__endswith="-M")
    paid_order(lines=[(coffee, 2)], days_ago=1)
    paid_order(lines=[(coffee, 1)], days_ago=1)
    paid_order(lines=[(coffee, 1)], days_ago=40)  # outside the 30 days
    place_order(user=UserFactory(), lines=[(coffee, 1)])  # not paid: no revenue
    set_stock(medium, 1)
    dashboard_summary_refresh()

    page = owner_client.get(reverse("admin:index"))

    assert page.status_code == 200
    text = page.content.decode()
    figures = page.context["dashboard"]
    assert figures["yesterday"] == Decimal("2340.00") and figures["month"] == Decimal("2340.00")
    assert 'id="sales-yesterday"' in text and "2,340.00 ETB" in text
    assert figures["statuses"]["Confirmed"] == 3 and figures["statuses"]["Pending payment"] == 1
    # The best sellers of the 30 days: the order paid 40 days ago is not among them.
    assert [(row["product_title"], row["units"]) for row in figures["top_products"]] == [("Sidamo beans", 3)]
    assert [v.sku for v in figures["low_stock"]] == [medium.sku]
    assert figures["payment_methods"] == {"Chapa": Decimal("2340.00"), "Cash on delivery": Decimal("0.00")}
    assert text.count('role="img"') == 3 and "<rect" in text  # the charts, drawn here
    assert reverse("admin:products_variant_adjust_stock", args=[medium.pk]) in text


def test_the_revenue_chart_names_its_days_in_the_reader_language(owner_client):
    coffee = ProductFactory(price=Decimal("780.00"), stock=50)
    paid_order(lines=[(coffee, 1)], days_ago=1)
    dashboard_summary_refresh()
    yesterday = timezone.localdate() - timedelta(days=1)

    amharic = owner_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="am").content.decode()
    english = owner_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert day_display(yesterday, language="am") in amharic and day_display(yesterday, language="en") in english
    assert day_display(date(2026, 12, 1), language="am") == "ኅዳር 22"
    assert day_display(date(2026, 12, 1), language="en") == "1 December"


def test_the_figures_cost_a_fixed_number_of_queries(django_assert_num_queries):
    coffee = ProductFactory(stock=10_000)
    for n in range(30):
        paid_order(lines=[(coffee, 1)], days_ago=n % 10)
    dashboard_summary_refresh()
    with django_assert_num_queries(7):
        figures = dashboard_figures()
    assert figures["month"] == 30 * coffee.price


def test_shop_staff_run_orders_and_stock_but_not_users_or_settings():
    # The group comes with a migration; a test that flushed the tables before this one took it.
    if not Group.objects.filter(name="Shop staff").exists():
        import_module("backoffice.migrations.0001_shop_staff_group").create_shop_staff(django_apps, None)
    member = UserFactory(is_staff=True)
    member.groups.add(Group.objects.get(name="Shop staff"))
    client = Client()
    client.force_login(member)
    variant = Variant.objects.get(product=ProductFactory())
    for url in (
        reverse("admin:index"),
        reverse("admin:orders_order_changelist"),
        reverse("admin:products_product_changelist"),
        reverse("admin:products_stockmovement_changelist"),
        reverse("admin:products_variant_adjust_stock", args=[variant.pk]),
        reverse("admin:payments_payment_changelist"),
    ):
        assert client.get(url).status_code == 200, url
    for url in (
        reverse("admin:users_user_changelist"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:coupons_coupon_add"),
    ):
        assert client.get(url).status_code == 403, url
