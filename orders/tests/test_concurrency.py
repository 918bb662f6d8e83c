"""The checkout guarantees under real parallel load, on PostgreSQL: separate connections,
row locks and constraints doing their work, no sequential stand-ins."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from addresses.tests.factories import AddressFactory
from cart.models import CartItem
from cart.services import cart_item_add
from conftest import client_for
from coupons.models import Coupon, CouponRedemption
from coupons.tests.factories import CouponFactory
from ecommerce.common.tests.concurrency import race_under_lock, run_concurrently
from ecommerce.outbox.models import OutboxEmail
from orders.models import Order, OrderEvent
from orders.services import order_expire_overdue
from orders.tests.factories import place_order
from products.models import Product, Variant
from products.services import stock_adjust
from products.tests.factories import ProductFactory, assert_the_books_balance, product_with_sizes, set_stock
from users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]

CREATE = reverse("orders:create")


def variant_buyer(variant, quantity):
    user = UserFactory()
    cart_item_add(user=user, variant_id=variant.pk, quantity=quantity)
    return user, AddressFactory(user=user)


def buyer_with_cart(*lines):
    user = UserFactory()
    for product, quantity in lines:
        cart_item_add(user=user, product_id=product.pk, quantity=quantity)
    return user, AddressFactory(user=user)


def checkout_call(user, address, **body):
    def call():
        response = client_for(user).post(CREATE, {"shipping_address_id": address.pk, **body}, format="json")
        return response.status_code, response.json()

    return call


def test_stock_taken_while_a_checkout_was_building_its_order_undoes_all_of_it():
    """Checkout prices and checks on a plain read and locks the stock last: the units can go
    in between. The locked check refuses, and the order, its e-mail and the emptied cart roll
    back with it."""
    product = ProductFactory(stock=1, price=Decimal("100.00"))
    variant = product.variants.get()
    user, address = buyer_with_cart((product, 1))

    outcome = race_under_lock(
        lock=lambda: list(Variant.objects.select_for_update().filter(pk=variant.pk)),
        other=checkout_call(user, address),
        change=lambda: stock_adjust(variant_id=variant.pk, delta=-1, reason="damaged"),
    )

    assert outcome[0] == 409 and outcome[1]["code"] == "insufficient_stock"
    assert outcome[1]["lines"][0]["available"] == 0
    assert not Order.objects.filter(user=user).exists()
    assert not OutboxEmail.objects.filter(to=user.email).exists()
    assert list(CartItem.objects.filter(cart__user=user).values_list("variant_id", "quantity")) == [(variant.pk, 1)]
    assert_the_books_balance()


def test_n_buyers_for_k_units_sell_exactly_k():
    # given 12 buyers, each with the product in their cart, and 5 units in stock
    product = ProductFactory(stock=12, price=Decimal("100.00"))
    buyers = [buyer_with_cart((product, 1)) for _ in range(12)]
    set_stock(product, 5)

    # when they all check out at once
    results = run_concurrently([checkout_call(user, address) for user, address in buyers])

    # then exactly five win, the others get a clean 409, and nothing is oversold
    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 5, 409: 7}, results
    assert all(body["code"] == "insufficient_stock" for status, body in results if status == 409)
    assert Product.objects.get(pk=product.pk).stock == 0
    assert Order.objects.count() == 5
    assert_the_books_balance()


def test_n_buyers_for_k_units_of_one_variant_sell_exactly_k_and_leave_its_siblings_alone():
    # given a kemis in three sizes; 10 buyers want the last 4 in M, 6 others want an S each
    product = product_with_sizes(stock=10)
    small, medium, large = Variant.objects.filter(product=product).order_by("pk")
    m_buyers = [variant_buyer(medium, 1) for _ in range(10)]
    s_buyers = [variant_buyer(small, 1) for _ in range(6)]
    set_stock(medium, 4)

    # when they all check out at once
    results = run_concurrently([checkout_call(user, address) for user, address in m_buyers + s_buyers])

    # then M sells exactly 4 (the rest get a clean 409), every S buyer gets one, L is untouched
    assert Counter(status for status, _ in results[:10]) == {201: 4, 409: 6}, results
    assert Counter(status for status, _ in results[10:]) == {201: 6}, results
    stocks = dict(Variant.objects.filter(product=product).values_list("pk", "stock"))
    assert (stocks[small.pk], stocks[medium.pk], stocks[large.pk]) == (4, 0, 10)
    assert Product.objects.get(pk=product.pk).stock == 14
    assert_the_books_balance()


def test_coupon_limited_to_five_uses_is_used_five_times_under_fifty_checkouts():
    coupon = CouponFactory(code="FIVE", usage_limit=5, value=Decimal("10"))
    product = ProductFactory(stock=100, price=Decimal("200.00"))
    buyers = [buyer_with_cart((product, 1)) for _ in range(50)]

    results = run_concurrently([checkout_call(user, address, coupon_code="five") for user, address in buyers])

    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 5, 400: 45}, results
    assert {body["reason"] for status, body in results if status == 400} == {"usage_limit_reached"}
    assert Coupon.objects.get(pk=coupon.pk).times_used == 5
    assert CouponRedemption.objects.filter(coupon=coupon).count() == 5
    assert Order.objects.filter(coupon_code="FIVE", discount_amount=Decimal("20.00")).count() == 5
    assert Product.objects.get(pk=product.pk).stock == 95


def test_carts_with_the_same_products_in_opposite_order_do_not_deadlock():
    first, second, third = (ProductFactory(stock=1000) for _ in range(3))
    buyers = []
    for n in range(20):
        # half the carts were filled first → third, the other half third → first
        lines = [(first, 1), (second, 1), (third, 1)]
        buyers.append(buyer_with_cart(*(lines if n % 2 else reversed(lines))))

    results = run_concurrently([checkout_call(user, address) for user, address in buyers])

    assert Counter(status for status, _ in results) == {201: 20}, results
    assert [p.stock for p in Product.objects.filter(pk__in=[first.pk, second.pk, third.pk]).order_by("pk")] == [
        980,
        980,
        980,
    ]
    assert_the_books_balance()


def test_cancel_racing_expiry_returns_stock_and_coupon_once():
    product = ProductFactory(stock=100)
    coupon = CouponFactory(code="RACE", usage_limit=50)
    keeper = UserFactory()
    place_order(user=keeper, lines=[(product, 1)], coupon_code="RACE")  # stays: one use remains
    racers = [UserFactory() for _ in range(10)]
    orders = [place_order(user=user, lines=[(product, 3)], coupon_code="RACE") for user in racers]
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert Product.objects.get(pk=product.pk).stock == 100 - 1 - 30

    def cancel(user, order):
        return lambda: client_for(user).post(reverse("orders:cancel", args=[order.pk])).status_code

    calls = [cancel(user, order) for user, order in zip(racers, orders, strict=True)]
    calls += [order_expire_overdue for _ in range(3)]
    results = run_concurrently(calls)

    cancelled_by_customer = results[:10].count(200)
    expired = sum(results[10:])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert set(results[:10]) <= {200, 400}
    assert cancelled_by_customer + expired == 10
    assert Product.objects.get(pk=product.pk).stock == 99
    assert Coupon.objects.get(pk=coupon.pk).times_used == 1
    for order in orders:
        assert OrderEvent.objects.filter(order=order, status="cancelled").count() == 1
    assert_the_books_balance()
