"""The admin's front page is the shop's dashboard: yesterday's sales, the month's revenue by day,
orders by status, the best sellers, what is running low, refunds due and payments left
pending, in a fixed number of queries however many orders there are. The sales figures are
those of the last count (backoffice.services.dashboard_summary_refresh, every minute)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backoffice.selectors import dashboard_figures
from backoffice.services import dashboard_summary_refresh
from ecommerce.common.dates import day_display
from orders.models import Order
from orders.services import order_payment_received
from orders.services.returns import return_approve, return_request
from orders.tests.factories import place_order
from payments.models import Refund
from payments.services import return_refund
from payments.tests.factories import delivered_order
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
    with django_assert_num_queries(9):
        figures = dashboard_figures()
    assert figures["month"] == 30 * coffee.price


def test_shop_staff_run_orders_and_stock_but_not_users_or_settings(shop_staff_group):
    member = UserFactory(is_staff=True)
    member.groups.add(shop_staff_group)
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


def test_the_front_page_shows_returns_waiting_and_the_money_refunded_in_30_days(owner_client):
    # given a return refunded today (150.00 in cash), one refunded 40 days ago and one waiting
    staff = owner_client.user
    shirts = ProductFactory(price=Decimal("150.00"), stock=10)
    refunded = []
    for _ in range(2):
        order = delivered_order(user=UserFactory(), staff=staff, lines=[(shirts, 1)])
        lines = [{"order_item_id": order.items.get().pk, "quantity": 1, "reason": "other"}]
        ret = return_request(order_id=order.pk, actor=order.user, lines=lines)
        return_approve(return_id=ret.pk, actor=staff)
        refunded.append(return_refund(return_id=ret.pk, actor=staff, method="cash"))
    Refund.objects.filter(pk=refunded[1].pk).update(completed_at=timezone.now() - timedelta(days=40))
    waiting_order = delivered_order(user=UserFactory(), staff=staff, lines=[(shirts, 1)])
    waiting = return_request(
        order_id=waiting_order.pk,
        actor=waiting_order.user,
        lines=[{"order_item_id": waiting_order.items.get().pk, "quantity": 1, "reason": "damaged"}],
    )
    dashboard_summary_refresh()

    page = owner_client.get(reverse("admin:index"))

    figures = page.context["dashboard"]
    assert [ret.number for ret in figures["returns_waiting"]] == [waiting.number]
    assert figures["refunded_month"] == Decimal("150.00")
    assert waiting.number in page.content.decode()
