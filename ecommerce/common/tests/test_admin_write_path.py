"""The admin is one more client of the services: a staff member's Save, racing a payment, a
cancel or a checkout on another connection, never writes back what the page showed.

Each race is forced with `race_under_lock`: the service holds its row locks until the admin's
request has either finished or is blocked on them, then commits its change; a Save that writes
whole rows read earlier would then put the old values back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from addresses.tests.factories import AddressFactory
from cart.services import cart_item_add
from coupons.lock_objects import coupon_lock
from coupons.models import Coupon
from coupons.tests.factories import CouponFactory
from ecommerce.common.tests.admin_forms import form_data
from ecommerce.common.tests.concurrency import race_under_lock
from orders.lock_objects import order_lock
from orders.models import Order
from orders.services import order_cancel, order_expire_overdue, order_payment_received, order_place_from_cart
from orders.tests.factories import place_order
from products.lock_objects import variant_lock_many
from products.models import Product, StockMovement, Variant
from products.tests.factories import ProductFactory, default_variant
from users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def save_as_shown(client: Client, url: str, form_id: str, **changes):
    """Open the admin page, then press Save with what it showed (plus `changes`)."""
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), form_id) | changes
    return lambda: client.post(url, data).status_code


def checkout(user, address, **kwargs):
    return lambda: order_place_from_cart(user=user, shipping_address_id=address.pk, **kwargs)


def buyer(product, quantity):
    user = UserFactory()
    cart_item_add(user=user, product_id=product.pk, quantity=quantity)
    return user, AddressFactory(user=user)


def test_an_order_save_racing_a_payment_does_not_undo_it(admin_client):
    order = place_order(user=UserFactory())
    url = reverse("admin:orders_order_change", args=[order.pk])
    save = save_as_shown(admin_client, url, "order_form")

    status = race_under_lock(
        lock=lambda: order_lock(pk=order.pk),
        change=lambda: order_payment_received(order_id=order.pk, payment_ref="tx-race"),
        other=save,
    )

    # The order page has no Save: it is read-only, changed only by actions that call services.
    assert status == 403
    assert 'name="_save"' not in admin_client.get(url).content.decode()
    order.refresh_from_db()
    assert (order.status, order.payment_status, order.expires_at) == ("confirmed", "paid", None)
    assert order_expire_overdue() == 0


def test_an_order_save_racing_a_cancel_returns_the_stock_once(admin_client):
    product = ProductFactory(stock=5)
    order = place_order(user=UserFactory(), lines=[(product, 2)])
    save = save_as_shown(admin_client, reverse("admin:orders_order_change", args=[order.pk]), "order_form")

    race_under_lock(
        lock=lambda: order_lock(pk=order.pk),
        change=lambda: order_cancel(order_id=order.pk, actor=order.user),
        other=save,
    )
    # the payment window passes: an order the Save put back to pending would be cancelled again
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    order_expire_overdue()

    order.refresh_from_db()
    assert (order.status, order.stock_reserved) == ("cancelled", False)
    assert Product.objects.get(pk=product.pk).stock == 5


def test_a_coupon_save_racing_a_checkout_keeps_the_use(admin_client):
    coupon = CouponFactory(code="RUSH", usage_limit=10, value=Decimal("10"))
    user, address = buyer(ProductFactory(stock=5), 1)
    url = reverse("admin:coupons_coupon_change", args=[coupon.pk])
    save = save_as_shown(admin_client, url, "coupon_form", description="Weekend rush")

    status = race_under_lock(
        lock=lambda: coupon_lock(pk=coupon.pk),
        change=checkout(user, address, coupon_code="RUSH"),
        other=save,
    )

    assert status == 302
    coupon.refresh_from_db()
    assert (coupon.times_used, coupon.description) == (1, "Weekend rush")


def test_the_coupon_admin_enforces_the_api_rules(admin_client):
    coupon = CouponFactory(code="FLAT", discount_type="fixed", value=Decimal("50"))
    url = reverse("admin:coupons_coupon_change", args=[coupon.pk])
    page = admin_client.get(url).content.decode()
    response = admin_client.post(url, form_data(page, "coupon_form") | {"max_discount": "20"})
    assert response.status_code == 200  # the form comes back with the error
    assert "max_discount applies to percentage coupons only." in response.content.decode()
    assert Coupon.objects.get(pk=coupon.pk).max_discount is None


@pytest.mark.parametrize("page", ["change", "changelist"])
def test_a_product_save_racing_a_checkout_keeps_the_sale(admin_client, page):
    product = ProductFactory(stock=5, price=Decimal("100.00"))
    user, address = buyer(product, 2)
    if page == "change":
        url = reverse("admin:products_product_change", args=[product.pk])
        save = save_as_shown(admin_client, url, "product_form", base_price="120.00")
    else:
        url = reverse("admin:products_product_changelist")
        shown = form_data(admin_client.get(url).content.decode(), "changelist-form")
        assert "form-0-stock" not in shown  # stock is not editable in the list either
        save = lambda: admin_client.post(url, shown | {"form-0-base_price": "120.00", "_save": "Save"}).status_code  # noqa: E731

    status = race_under_lock(
        lock=lambda: variant_lock_many(ids=[default_variant(product).pk]),
        change=checkout(user, address),
        other=save,
    )

    assert status == 302
    product.refresh_from_db()
    assert (product.stock, product.base_price, product.price) == (3, Decimal("120.00"), Decimal("120.00"))
    assert default_variant(product).stock == 3


def test_staff_change_stock_only_by_an_adjustment(admin_client):
    product = ProductFactory(stock=5)
    variant = default_variant(product)
    url = reverse("admin:products_variant_adjust_stock", args=[variant.pk])
    assert admin_client.post(url, {"delta": "-7", "reason": "damaged"}).status_code == 200  # refused, on the form
    assert Product.objects.get(pk=product.pk).stock == 5
    assert admin_client.post(url, {"delta": "3", "reason": "restock"}).status_code == 302
    assert (Product.objects.get(pk=product.pk).stock, Variant.objects.get(pk=variant.pk).stock) == (8, 8)
    movement = StockMovement.objects.filter(variant=variant).first()
    assert (movement.delta, movement.stock_after, movement.reason) == (3, 8, "restock")
    assert movement.actor.is_staff
