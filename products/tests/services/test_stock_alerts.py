"""Staff learn that a size ran out: one e-mail when a variant falls to its low-stock threshold
(not one per checkout), and a daily list of everything that is low."""

import pytest
from django.core import mail

from addresses.tests.factories import AddressFactory
from cart.services import cart_item_add
from ecommerce.outbox.models import OutboxEmail
from orders.services import order_place_from_cart
from products.models import StockReason, Variant
from products.services import stock_adjust
from products.tasks import stock_low_digest
from products.tests.factories import ProductFactory, product_with_sizes
from users.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return StaffFactory(email="owner@shop.et")


def alerts():
    # (address, subject): the subject is written when the e-mail is sent, blank until then
    return list(OutboxEmail.objects.filter(key__startswith="stock-low:").values_list("to", "subject"))


def checkout_one(customer, address, variant):
    cart_item_add(user=customer, variant_id=variant.pk, quantity=1)
    order_place_from_cart(user=customer, shipping_address_id=address.pk)


def test_one_email_when_a_size_falls_to_its_threshold_not_one_per_checkout(
    owner, settings, django_capture_on_commit_callbacks
):
    settings.LOW_STOCK_THRESHOLD = 3
    kemis = product_with_sizes(sizes=["S", "M"], stock=5)
    medium = Variant.objects.get(product=kemis, sku__endswith="-M")
    customer = UserFactory()
    address = AddressFactory(user=customer)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):  # 5 → 4 → 3 (it falls to the threshold) → 2 → 1
            checkout_one(customer, address, medium)
    assert alerts() == [("owner@shop.et", f"[Shop] Running low: {medium.sku}")]
    [message] = [m for m in mail.outbox if "Running low" in m.subject]
    assert f"{medium.sku} {kemis.title} Size M: 3 left (threshold 3)" in message.body

    # restocked above the threshold and brought down again: staff hear of it again
    stock_adjust(variant_id=medium.pk, delta=9, reason=StockReason.RESTOCK)  # 1 → 10
    stock_adjust(variant_id=medium.pk, delta=-7, reason=StockReason.DAMAGED)  # 10 → 3
    assert len(alerts()) == 2


def test_a_variant_threshold_overrides_the_shop_default(owner, settings):
    settings.LOW_STOCK_THRESHOLD = 0
    variant = Variant.objects.get(product=ProductFactory(stock=20))
    Variant.objects.filter(pk=variant.pk).update(low_stock_threshold=15)
    stock_adjust(variant_id=variant.pk, delta=-4, reason=StockReason.COUNT)  # 20 → 16: not yet
    assert alerts() == []
    stock_adjust(variant_id=variant.pk, delta=-1, reason=StockReason.COUNT)  # 16 → 15
    assert len(alerts()) == 1


def test_the_daily_digest_lists_everything_low(owner, settings, django_capture_on_commit_callbacks):
    settings.LOW_STOCK_THRESHOLD = 2
    product_with_sizes(sizes=["S", "M", "L"], stock=4)
    low = ProductFactory(stock=1)
    ProductFactory(stock=0, is_active=False)  # not for sale: not on the list
    with django_capture_on_commit_callbacks(execute=True):
        assert stock_low_digest() == 1
    [email] = OutboxEmail.objects.filter(subject__contains="Low stock on")
    assert email.to == "owner@shop.et" and f"SKU-{low.pk}" in email.body_text
    assert stock_low_digest() == 1  # run twice the same day: still one e-mail
    assert OutboxEmail.objects.filter(key__startswith="stock-digest:").count() == 1
