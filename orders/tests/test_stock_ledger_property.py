"""The stock ledger's invariant under any sequence of what the shop does to stock: checkouts,
customer cancels, expiries, staff adjustments, late payments and staff cancels of paid orders
(which flag refunds). Hypothesis writes the sequences; after each one, for every variant:

- the ledger adds up: its initial row plus every delta is its stock (and the product's stock is
  the sum of its active variants'), and
- no unit is made or lost: stock plus the units held by orders equals the initial stock plus
  the staff's adjustments.
"""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from addresses.tests.factories import AddressFactory
from cart.services import cart_clear, cart_item_add
from ecommerce.common.exceptions import ApplicationError
from orders.models import Order, OrderItem
from orders.services import (
    order_cancel,
    order_expire_overdue,
    order_payment_received,
    order_place_from_cart,
    order_status_change,
)
from products.models import StockReason, Variant
from products.services import stock_adjust
from products.tests.factories import assert_the_books_balance, product_with_sizes
from users.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

VARIANTS, ORDERS = 4, 8
checkout = st.tuples(
    st.just("checkout"), st.lists(st.tuples(st.integers(0, VARIANTS - 1), st.integers(1, 4)), min_size=1, max_size=3)
)
on_order = st.tuples(st.sampled_from(["cancel", "expire", "pay", "staff_cancel"]), st.integers(0, ORDERS - 1))
adjust = st.tuples(
    st.just("adjust"),
    st.integers(0, VARIANTS - 1),
    st.integers(-6, 6).filter(bool),
    st.sampled_from(["restock", "count", "damaged", "returned", "other"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(st.one_of(checkout, on_order, adjust), min_size=1, max_size=25))
# The late payment that brings a cancelled order back, and one that comes after its stock went.
@example(steps=[("checkout", [(0, 2)]), ("cancel", 0), ("pay", 0), ("staff_cancel", 0)])
@example(steps=[("checkout", [(1, 5)]), ("expire", 0), ("checkout", [(1, 5)]), ("pay", 0), ("pay", 1)])
def test_no_sequence_breaks_the_books(steps):
    product = product_with_sizes(sizes=[f"V{n}" for n in range(VARIANTS)], stock=5)
    variants = list(Variant.objects.filter(product=product).order_by("pk"))
    initial = {v.pk: v.stock for v in variants}
    adjusted = dict.fromkeys(initial, 0)
    buyer, staff = UserFactory(), StaffFactory()
    address = AddressFactory(user=buyer)
    orders: list[Order] = []

    for step in steps:
        try:
            if step[0] == "checkout":
                cart_clear(user=buyer)
                for index, quantity in step[1]:
                    cart_item_add(user=buyer, variant_id=variants[index].pk, quantity=quantity)
                orders.append(order_place_from_cart(user=buyer, shipping_address_id=address.pk)[0])
            elif step[0] == "adjust":
                _, index, delta, reason = step
                stock_adjust(variant_id=variants[index].pk, delta=delta, reason=StockReason(reason), actor=staff)
                adjusted[variants[index].pk] += delta
            elif orders:
                order = orders[step[1] % len(orders)]
                if step[0] == "cancel":
                    order_cancel(order_id=order.pk, actor=buyer)
                elif step[0] == "expire":
                    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
                    order_expire_overdue()
                elif step[0] == "pay":
                    order_payment_received(order_id=order.pk, payment_ref=f"tx-{order.number}")
                else:
                    order_status_change(order_id=order.pk, new_status="cancelled", actor=staff)
        except ApplicationError:
            pass  # refused as a whole (no stock, not allowed now): the books must not notice

    assert_the_books_balance()
    held = dict(
        OrderItem.objects.filter(order__in=orders, order__stock_reserved=True)
        .values("variant_id")
        .annotate(units=Sum("quantity"))
        .values_list("variant_id", "units")
    )
    for variant in Variant.objects.filter(product=product):
        assert variant.stock >= 0
        assert variant.stock + held.get(variant.pk, 0) == initial[variant.pk] + adjusted[variant.pk], variant.sku
