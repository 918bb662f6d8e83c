import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from addresses.tests.factories import AddressFactory
from cart.models import CartItem
from cart.services import cart_item_add
from coupons.exceptions import CouponInvalid
from coupons.models import CouponRedemption
from coupons.tests.factories import CouponFactory
from ecommerce.common.exceptions import ApplicationError, ConflictError
from orders.models import Order, OrderStatus, PaymentStatus
from orders.services import order_place_from_cart
from orders.services.placement import ADDRESS_NOT_YOURS, CHECKOUT_LOCK_ORDER
from orders.tests.factories import place_order
from products.exceptions import InsufficientStock
from products.models import Product
from products.tests.factories import ProductFactory, set_stock, shortage

pytestmark = pytest.mark.django_db


@pytest.fixture
def goods():
    return (
        ProductFactory(title="Sidamo beans", price=Decimal("780.00"), stock=10),
        ProductFactory(title="Jebena", price=Decimal("650.50"), stock=3),
    )


def stock_of(*products) -> list[int]:
    return [Product.objects.get(pk=p.pk).stock for p in products]


def fill_cart(user, *lines):
    for product, quantity in lines:
        cart_item_add(user=user, product_id=product.pk, quantity=quantity)


class TestOrderPlaceFromCart:
    def test_places_pending_order_reserving_stock_and_emptying_cart(self, user, goods, settings):
        # given
        beans, pot = goods
        settings.ORDER_PAYMENT_TIMEOUT_MINUTES = 30
        shipping = AddressFactory(user=user, full_name="Almaz Kebede", city="Adama")
        fill_cart(user, (beans, 2), (pot, 3))
        # when
        order, created = order_place_from_cart(user=user, shipping_address_id=shipping.pk, notes="Call first")
        # then
        assert created
        assert (order.status, order.payment_status) == (OrderStatus.PENDING, PaymentStatus.UNPAID)
        assert (order.subtotal, order.discount_amount, order.total) == (
            Decimal("3511.50"),
            Decimal("0.00"),
            Decimal("3511.50"),
        )
        assert order.currency == "ETB" and order.notes == "Call first"
        assert len(order.number) == 8
        assert [(i.product_id, i.product_title, i.unit_price, i.quantity, i.line_total) for i in order.items.all()] == [
            (beans.pk, "Sidamo beans", Decimal("780.00"), 2, Decimal("1560.00")),
            (pot.pk, "Jebena", Decimal("650.50"), 3, Decimal("1951.50")),
        ]
        assert stock_of(beans, pot) == [8, 0]
        assert order.shipping_address["full_name"] == "Almaz Kebede"
        assert order.billing_address == order.shipping_address
        assert not CartItem.objects.filter(cart__user=user).exists()
        assert [(e.type, e.status, e.payment_status, e.actor) for e in order.events.all()] == [
            ("placed", "pending", "unpaid", user)
        ]
        assert timedelta(minutes=29) < order.expires_at - timezone.now() <= timedelta(minutes=30)

    def test_separate_billing_address(self, user, goods):
        fill_cart(user, (goods[0], 1))
        shipping = AddressFactory(user=user, city="Adama")
        billing = AddressFactory(user=user, address_type="billing", city="Dire Dawa")
        order, _ = order_place_from_cart(user=user, shipping_address_id=shipping.pk, billing_address_id=billing.pk)
        assert (order.shipping_address["city"], order.billing_address["city"]) == ("Adama", "Dire Dawa")

    def test_empty_cart(self, user):
        with pytest.raises(ApplicationError) as exc:
            order_place_from_cart(user=user, shipping_address_id=AddressFactory(user=user).pk)
        assert exc.value.code == "empty_cart"
        assert not Order.objects.exists()

    def test_short_lines_are_all_listed_and_nothing_changes(self, user, goods):
        beans, pot = goods
        plenty = ProductFactory(stock=50)
        fill_cart(user, (beans, 5), (pot, 3), (plenty, 1))
        set_stock(beans, 4)  # sold elsewhere meanwhile
        Product.objects.filter(pk=pot.pk).update(is_active=False)
        with pytest.raises(InsufficientStock) as exc:
            order_place_from_cart(user=user, shipping_address_id=AddressFactory(user=user).pk)
        assert exc.value.status_code == 409
        assert exc.value.extra["lines"] == [
            shortage(beans, requested=5, available=4),
            shortage(pot, requested=3, available=0),
        ]
        assert stock_of(beans, pot, plenty) == [4, 3, 50]
        assert CartItem.objects.filter(cart__user=user).count() == 3
        assert not Order.objects.exists()

    def test_other_users_address_is_refused(self, user, other_user, goods):
        fill_cart(user, (goods[0], 1))
        with pytest.raises(ValidationError) as exc:
            order_place_from_cart(user=user, shipping_address_id=AddressFactory(user=other_user).pk)
        assert exc.value.message_dict == {"shipping_address_id": [ADDRESS_NOT_YOURS]}
        with pytest.raises(ValidationError):
            order_place_from_cart(
                user=user,
                shipping_address_id=AddressFactory(user=user).pk,
                billing_address_id=AddressFactory(user=other_user).pk,
            )
        assert stock_of(goods[0]) == [10]

    def test_snapshots_survive_later_edits_and_deletes(self, user, goods):
        beans = goods[0]
        address = AddressFactory(user=user, line1="Bole Road")
        order = place_order(user=user, lines=[(beans, 1)], address=address)
        Product.objects.filter(pk=beans.pk).update(title="Renamed", price=Decimal("1.00"))
        address.line1 = "Somewhere else"
        address.save()
        order.refresh_from_db()
        item = order.items.get()
        assert (item.product_title, item.unit_price) == ("Sidamo beans", Decimal("780.00"))
        assert order.shipping_address["line1"] == "Bole Road"
        address.delete()
        Product.objects.filter(pk=beans.pk).delete()
        item.refresh_from_db()
        assert item.product_id is None and item.product_title == "Sidamo beans"


class TestCheckoutCoupons:
    def test_coupon_discounts_and_counts_one_use(self, user, goods):
        coupon = CouponFactory(code="BUNA10", value=Decimal("10"), usage_limit=5)
        order = place_order(user=user, lines=[(goods[0], 2)], coupon_code="buna10")
        assert (order.subtotal, order.discount_amount, order.total) == (
            Decimal("1560.00"),
            Decimal("156.00"),
            Decimal("1404.00"),
        )
        assert order.coupon_code == "BUNA10"
        coupon.refresh_from_db()
        assert coupon.times_used == 1
        assert CouponRedemption.objects.get(order_id=order.pk).user == user

    @pytest.mark.parametrize(
        ("coupon_kwargs", "reason"),
        [
            ({"is_active": False}, "inactive"),
            ({"usage_limit": 1, "times_used": 1}, "usage_limit_reached"),
            ({"min_purchase": Decimal("100000")}, "min_purchase_not_met"),
        ],
    )
    def test_invalid_coupon_rolls_everything_back(self, user, goods, coupon_kwargs, reason):
        CouponFactory(code="NOPE", **coupon_kwargs)
        fill_cart(user, (goods[0], 2))
        with pytest.raises(CouponInvalid) as exc:
            order_place_from_cart(user=user, shipping_address_id=AddressFactory(user=user).pk, coupon_code="NOPE")
        assert (exc.value.code, exc.value.extra["reason"]) == ("coupon_invalid", reason)
        assert stock_of(goods[0]) == [10]
        assert CartItem.objects.filter(cart__user=user).count() == 1
        assert not Order.objects.exists()

    def test_unknown_coupon(self, user, goods):
        fill_cart(user, (goods[0], 1))
        with pytest.raises(CouponInvalid) as exc:
            order_place_from_cart(user=user, shipping_address_id=AddressFactory(user=user).pk, coupon_code="GHOST")
        assert exc.value.extra["reason"] == "not_found"

    def test_per_user_limit(self, user, goods):
        CouponFactory(code="ONCE", per_user_limit=1)
        place_order(user=user, lines=[(goods[0], 1)], coupon_code="ONCE")
        fill_cart(user, (goods[0], 1))
        with pytest.raises(CouponInvalid) as exc:
            order_place_from_cart(user=user, shipping_address_id=AddressFactory(user=user).pk, coupon_code="ONCE")
        assert exc.value.extra["reason"] == "user_limit_reached"

    def test_fully_discounted_order_needs_no_payment(self, user, goods):
        CouponFactory(code="FREE", value=Decimal("100"))
        order = place_order(user=user, lines=[(goods[1], 1)], coupon_code="FREE")
        assert order.total == Decimal("0.00")
        assert (order.status, order.payment_status, order.expires_at) == ("confirmed", "paid", None)


class TestCheckoutIdempotency:
    def test_same_key_returns_the_same_order(self, user, goods):
        address = AddressFactory(user=user)
        fill_cart(user, (goods[0], 2))
        first, created = order_place_from_cart(user=user, shipping_address_id=address.pk, idempotency_key="k-1")
        fill_cart(user, (goods[0], 1))  # even with a new cart, the retry is the same checkout
        again, created_again = order_place_from_cart(user=user, shipping_address_id=address.pk, idempotency_key="k-1")
        assert created and not created_again
        assert again.pk == first.pk
        assert Order.objects.count() == 1
        assert stock_of(goods[0]) == [8]

    def test_same_key_with_other_request_is_a_conflict(self, user, goods):
        address = AddressFactory(user=user)
        fill_cart(user, (goods[0], 1))
        order_place_from_cart(user=user, shipping_address_id=address.pk, idempotency_key="k-2")
        fill_cart(user, (goods[0], 1))
        with pytest.raises(ConflictError) as exc:
            order_place_from_cart(user=user, shipping_address_id=address.pk, idempotency_key="k-2", notes="changed")
        assert exc.value.code == "idempotency_key_reused"

    def test_keys_are_per_user(self, user, other_user, goods):
        first = place_order(user=user, lines=[(goods[0], 1)], idempotency_key="shared")
        second = place_order(user=other_user, lines=[(goods[0], 1)], idempotency_key="shared")
        assert first.pk != second.pk


def test_after_the_stock_lock_a_checkout_only_takes_the_stock(postgres, user):
    """What runs while buyers of the same item queue on its row: the lock, the stock, its
    ledger and the product total; the order, its lines, events and e-mail are written before.
    (PostgreSQL only: SQLite locks the whole database and never emits FOR UPDATE.)"""
    product = ProductFactory(stock=100, price=Decimal("100.00"))
    fill_cart(user, (product, 2))
    address = AddressFactory(user=user)
    with CaptureQueriesContext(connection) as queries:
        order_place_from_cart(user=user, shipping_address_id=address.pk)
    # (The savepoints are the test's transaction around the service's.)
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    lock = next(i for i, sql in enumerate(statements) if 'FROM "products_variant"' in sql and "FOR UPDATE" in sql)
    tables = {re.search(r'^(?:UPDATE|INSERT INTO|SELECT .*? FROM) "(\w+)"', sql).group(1) for sql in statements[lock:]}
    assert tables == {"products_variant", "products_stockmovement", "products_product"}
    assert any('INSERT INTO "outbox_outboxemail"' in sql for sql in statements[:lock])


@pytest.mark.parametrize(("coupon_value", "locks"), [(Decimal("10.00"), 3), (Decimal("100.00"), 4)])
def test_checkout_locks_the_cart_then_the_coupon_then_the_variants(postgres, user, coupon_value, locks):
    """The lock order stated in CHECKOUT_LOCK_ORDER is the one checkout takes: a change of
    either fails here. An order with nothing to pay is paid at once, and its receipt counter
    is locked after all the rest."""
    product = ProductFactory(stock=5, price=Decimal("100.00"))
    coupon = CouponFactory(value=coupon_value)
    fill_cart(user, (product, 1))
    address = AddressFactory(user=user)
    with CaptureQueriesContext(connection) as queries:
        order_place_from_cart(user=user, shipping_address_id=address.pk, coupon_code=coupon.code)
    locked = []
    for query in queries.captured_queries:
        if "FOR UPDATE" in query["sql"]:
            table = re.search(r' FROM "(\w+)"', query["sql"]).group(1)
            if table not in locked:
                locked.append(table)
    assert locked == ["cart_cart", "coupons_coupon", "products_variant", "orders_documentcounter"][:locks]
    assert locked == [model._meta.db_table for model in CHECKOUT_LOCK_ORDER][:locks]
