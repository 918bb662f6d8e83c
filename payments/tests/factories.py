from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from orders.models import Order
from orders.services import order_expire_overdue
from orders.tests.factories import place_order
from payments.services import payment_initiate
from products.tests.factories import ProductFactory, set_stock
from users.tests.factories import UserFactory


def initiated_payment(*, user, **order_kwargs):
    """A customer's order with an open Chapa payment (initialized in the sandbox)."""
    order = place_order(user=user, **order_kwargs)
    payment, _ = payment_initiate(order_id=order.pk)
    return payment


def payment_owed_back(chapa):
    """A Chapa payment that arrived after its order expired and its last unit was sold: the
    money is verified and owed back to the customer (the order refund_pending)."""
    product = ProductFactory(stock=1)
    payment = initiated_payment(user=UserFactory(), lines=[(product, 1)])
    Order.objects.filter(pk=payment.order_id).update(expires_at=timezone.now() - timedelta(minutes=1))
    order_expire_overdue()
    set_stock(product, 0)
    chapa.complete(payment.tx_ref, "success")
    APIClient().get(reverse("payments:verify", args=[payment.pk]))
    return payment


def delivered_order(*, user, staff, chapa=None, **order_kwargs) -> Order:
    """A customer's order paid (through Chapa when `chapa` is given, else in cash recorded by
    staff) and delivered, as the shop gets there: by its services."""
    from orders.services import order_status_change
    from payments.services import payment_record, payment_verify

    if chapa is not None:
        payment = initiated_payment(user=user, **order_kwargs)
        chapa.complete(payment.tx_ref, "success")
        payment_verify(payment_id=payment.pk)
        order = Order.objects.get(pk=payment.order_id)
    else:
        order = place_order(user=user, **order_kwargs)
        payment_record(order_id=order.pk, amount=order.total, method="cash", actor=staff)
    for status in ("processing", "shipped", "delivered"):
        order_status_change(order_id=order.pk, new_status=status, actor=staff)
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("delivered", "paid")
    return order
