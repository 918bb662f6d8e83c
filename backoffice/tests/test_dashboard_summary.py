"""The dashboard's summary, counted every minute: after any mix of orders placed, paid, moved on,
cancelled and refunded, its figures are those of a recount of the orders themselves; counts
running at once, beside checkouts, neither fail nor block them."""

import random
from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from backoffice.models import DailySales
from backoffice.selectors import DAYS, dashboard_figures, summary_window
from backoffice.services import dashboard_summary_refresh
from backoffice.tasks import dashboard_summary_refresh as dashboard_summary_refresh_task
from ecommerce.common.dates import time_display
from ecommerce.common.tests.concurrency import run_concurrently
from orders.models import Order, OrderItem, OrderStatus, PaymentMethod, PaymentStatus
from orders.services import order_payment_received, order_refund_recorded, order_status_change
from orders.tests.factories import place_order
from products.tests.factories import ProductFactory
from users.tests.factories import StaffFactory, UserFactory


def recount() -> dict:
    """The figures the dashboard should show, added up here in Python from every order row."""
    first_day, since = summary_window()
    days = [first_day + timedelta(days=n) for n in range(DAYS)]
    by_day, methods = defaultdict(Decimal), defaultdict(Decimal)
    units, revenue = Counter(), defaultdict(Decimal)
    paid_in_window = set()
    for order in Order.objects.all():
        if order.payment_status == PaymentStatus.PAID and order.paid_at >= since:
            by_day[timezone.localdate(order.paid_at)] += order.total
            methods[order.payment_method] += order.total
            paid_in_window.add(order.pk)
    for line in OrderItem.objects.filter(order__in=paid_in_window):
        units[(line.product_id, line.product_title)] += line.quantity
        revenue[(line.product_id, line.product_title)] += line.line_total
    best = sorted(units, key=lambda key: (-units[key], key[1]))[:10]
    statuses = Counter(Order.objects.filter(created_at__gte=since).values_list("status", flat=True))
    return {
        "revenue": [(day, by_day[day]) for day in days],
        "statuses": {label: statuses[value] for value, label in OrderStatus.choices},
        "payment_methods": {label: methods[value] for value, label in PaymentMethod.choices},
        "top_products": [
            {"product_id": pid, "product_title": title, "units": units[pid, title], "revenue": revenue[pid, title]}
            for pid, title in best
        ],
    }


def shown(figures: dict) -> dict:
    return {key: figures[key] for key in ("revenue", "statuses", "payment_methods", "top_products")}


def pay(order, *, days_ago: int = 0):
    order_payment_received(order_id=order.pk, payment_ref=f"tx-{order.number}")
    # When the money came is the payment's, not the test's: spread over the days (and past them).
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now() - timedelta(days=days_ago, minutes=1))


def refund(order, staff):
    order_refund_recorded(
        order_id=order.pk, actor=staff, note="", settled=True, payment_ref=f"tx-{order.number}", amount=order.total
    )


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_after_any_mix_of_orders_the_figures_equal_a_recount(seed):
    # given: a random run of the shop's day: orders placed, paid (some long ago), moved on,
    # cancelled by staff after payment, and refunded
    rng = random.Random(seed)
    staff = StaffFactory()
    products = [ProductFactory(price=Decimal(rng.choice(["99.50", "780.00", "6500.00"])), stock=500) for _ in range(12)]
    orders = []
    for _ in range(60):
        move = rng.choices(["place", "pay", "advance", "cancel", "refund"], weights=[3, 3, 1, 1, 1])[0]
        if move == "place" or not orders:
            lines = [(product, rng.randint(1, 3)) for product in rng.sample(products, rng.randint(1, 3))]
            orders.append(place_order(user=UserFactory(), lines=lines))
            continue
        order = Order.objects.get(pk=rng.choice(orders).pk)
        if move == "pay" and order.status == OrderStatus.PENDING:
            pay(order, days_ago=rng.choice([0, 0, 1, 5, 29, 45]))
        elif move == "advance" and order.status == OrderStatus.CONFIRMED:
            order_status_change(order_id=order.pk, new_status=OrderStatus.PROCESSING, actor=staff)
        elif move == "cancel" and order.status in (OrderStatus.CONFIRMED, OrderStatus.PROCESSING):
            order_status_change(order_id=order.pk, new_status=OrderStatus.CANCELLED, actor=staff)
        elif move == "refund" and order.payment_status == PaymentStatus.REFUND_PENDING:
            refund(order, staff)

    # when
    dashboard_summary_refresh()

    # then
    assert shown(dashboard_figures()) == recount()
    # and the run went through every state the figures tell apart
    kept = set(Order.objects.values_list("payment_status", flat=True))
    assert {PaymentStatus.PAID, PaymentStatus.UNPAID} <= kept
    assert kept & {PaymentStatus.REFUNDED, PaymentStatus.REFUND_PENDING}


@pytest.mark.django_db
def test_a_count_replaces_the_one_before_it():
    # given: a count with one paid order, then that order cancelled and its money refunded
    staff = StaffFactory()
    order = place_order(user=UserFactory(), lines=[(ProductFactory(price=Decimal("780.00"), stock=5), 2)])
    pay(order)
    dashboard_summary_refresh()
    assert dashboard_figures()["today"] == Decimal("1560.00")
    order_status_change(order_id=order.pk, new_status=OrderStatus.CANCELLED, actor=staff)
    refund(order, staff)

    # when
    dashboard_summary_refresh()

    # then
    figures = dashboard_figures()
    assert figures["today"] == 0 and figures["top_products"] == []
    assert figures["statuses"]["Cancelled"] == 1 and figures["statuses"]["Confirmed"] == 0
    assert not DailySales.objects.exists()


@pytest.mark.django_db
def test_the_page_says_how_old_the_sales_figures_are(owner_client):
    before = owner_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the first count has not run yet" in before

    summary = dashboard_summary_refresh()
    english = owner_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    amharic = owner_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="am").content.decode()

    when = time_display(summary.refreshed_at)
    assert f"Sales figures as of {when}; they are counted again every minute." in english
    assert f"የሽያጭ ቁጥሮች እስከ {when} ድረስ፤ በየደቂቃው እንደገና ይቆጠራሉ።" in amharic


@pytest.mark.django_db
def test_the_count_runs_every_minute_and_on_demand():
    entry = django_settings.CELERY_BEAT_SCHEDULE["backoffice-dashboard-summary-refresh"]
    assert entry == {"task": dashboard_summary_refresh_task.name, "schedule": 60.0}
    order = place_order(user=UserFactory(), lines=[(ProductFactory(price=Decimal("100.00"), stock=5), 1)])
    pay(order)

    dashboard_summary_refresh_task.delay()
    assert dashboard_figures()["today"] == Decimal("100.00")

    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now() - timedelta(days=1))
    out = StringIO()
    call_command("dashboard_summary_refresh", stdout=out)
    assert dashboard_figures()["yesterday"] == Decimal("100.00") and "counted" in out.getvalue()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres")
def test_counts_at_once_beside_checkouts_all_finish_and_the_last_one_is_right():
    # given: products in stock, and buyers ready to check out
    products = [ProductFactory(price=Decimal("250.00"), stock=100) for _ in range(3)]
    buyers = [UserFactory() for _ in range(4)]

    def checkout_and_pay(user, product):
        def call():
            pay(place_order(user=user, lines=[(product, 2)]))

        return call

    # when: four checkouts (each paid) and three counts, all at the same moment
    calls = [checkout_and_pay(user, products[n % 3]) for n, user in enumerate(buyers)]
    results = run_concurrently(calls + [dashboard_summary_refresh] * 3)

    # then: nobody failed (the counts wait for each other, not for the checkouts), and a count
    # after them all sees every order
    assert not [result for result in results if isinstance(result, Exception)]
    dashboard_summary_refresh()
    figures = dashboard_figures()
    assert shown(figures) == recount()
    assert figures["today"] == Decimal("2000.00") and sum(row["units"] for row in figures["top_products"]) == 8
