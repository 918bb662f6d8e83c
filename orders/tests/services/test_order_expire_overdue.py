from datetime import timedelta

import pytest
from django.utils import timezone

from coupons.tests.factories import CouponFactory
from orders.models import Order, OrderEvent, OrderStatus
from orders.services import order_expire_overdue
from orders.tasks import order_expire_overdue as order_expire_overdue_task
from orders.tests.factories import place_order
from products.models import Product
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def overdue(order, minutes=1):
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=minutes))


class TestOrderExpireOverdue:
    def test_cancels_only_overdue_pending_orders_and_returns_their_stock(self, user):
        product = ProductFactory(stock=10)
        coupon = CouponFactory(code="LATE", usage_limit=2)
        late = place_order(user=user, lines=[(product, 3)], coupon_code="LATE")
        fresh = place_order(user=user, lines=[(product, 2)])
        confirmed = place_order(user=user, lines=[(product, 1)])
        overdue(late)
        overdue(confirmed)
        Order.objects.filter(pk=confirmed.pk).update(status=OrderStatus.CONFIRMED)

        assert order_expire_overdue() == 1

        statuses = dict(Order.objects.values_list("pk", "status"))
        assert statuses == {late.pk: "cancelled", fresh.pk: "pending", confirmed.pk: "confirmed"}
        assert Product.objects.get(pk=product.pk).stock == 10 - 2 - 1
        coupon.refresh_from_db()
        assert coupon.times_used == 0
        event = OrderEvent.objects.get(order=late, status="cancelled")
        assert (event.actor, event.note) == (None, "Payment window expired.")

    def test_running_again_changes_nothing(self, user):
        product = ProductFactory(stock=4)
        order = place_order(user=user, lines=[(product, 4)])
        overdue(order)
        assert order_expire_overdue() == 1
        assert order_expire_overdue() == 0
        assert Product.objects.get(pk=product.pk).stock == 4

    def test_celery_task_runs_the_sweep(self, user, settings):
        settings.ORDER_PAYMENT_TIMEOUT_MINUTES = 30
        order = place_order(user=user)
        overdue(order)
        assert order_expire_overdue_task.delay().get() == 1
        order.refresh_from_db()
        assert order.status == "cancelled"

    def test_beat_runs_the_sweep_every_minute(self, settings):
        entry = settings.CELERY_BEAT_SCHEDULE["orders-expire-overdue"]
        assert entry == {"task": order_expire_overdue_task.name, "schedule": 60.0}
