"""Fixtures of the cross-cutting tests that walk every endpoint."""

import pytest

from addresses.tests.factories import AddressFactory
from cart.models import CartItem
from cart.services import cart_item_add
from coupons.tests.factories import CouponFactory
from orders.models import Return
from orders.tests.factories import place_order
from payments.models import Payment
from products.models import ProductImage
from reviews.tests.factories import ReviewFactory
from users.tests.factories import StaffFactory, UserFactory


@pytest.fixture
def world(db, settings):
    settings.CHAPA_BASE_URL = "http://127.0.0.1:9/v1"  # no gateway here
    settings.CHAPA_MAX_RETRIES = 0
    owner, other, staff = UserFactory(), UserFactory(), StaffFactory()
    order = place_order(user=owner)
    item = order.items.get()
    product = item.product
    cart_item_add(user=owner, product_id=product.pk, quantity=1)
    # a finished attempt: verify answers from the database, initiate opens a new one
    image = ProductImage.objects.create(product=product, file="products/matrix.jpg", width=1, height=1)
    payment = Payment.objects.create(order=order, tx_ref="shop-matrix-1", amount=order.total, status="failed")
    ret = Return.objects.create(order=order, number=f"{order.number}-R1")
    objects = {
        "categories:detail": product.category_id,
        "products:detail": product.pk,
        "products:variants": product.pk,
        "products:variant-detail": (product.pk, item.variant_id),
        "products:variant-stock": (product.pk, item.variant_id),
        "products:stock-movements": product.pk,
        "products:images": product.pk,
        "products:image-detail": (product.pk, image.pk),
        "addresses:detail": AddressFactory(user=owner).pk,
        "coupons:detail": CouponFactory().pk,
        "cart:item": CartItem.objects.get(cart__user=owner).pk,
        "orders:detail": order.pk,
        "orders:cancel": order.pk,
        "orders:update-status": order.pk,
        "orders:packing-slip": order.pk,
        "order-payments:record-payment": order.pk,
        "order-payments:receipt": order.pk,
        "payments:verify": payment.pk,
        "orders:returns": order.pk,
        **dict.fromkeys(
            ("returns:detail", "returns:cancel", "returns:approve", "returns:reject", "returns:receive"), ret.pk
        ),
        "return-payments:refund": ret.pk,
        "return-payments:credit-note": ret.pk,
        "reviews:detail": ReviewFactory(user=owner, product=product).pk,
    }
    return {
        "users": {"anonymous": None, "customer": owner, "other_customer": other, "staff": staff},
        "objects": objects,
        "order": order,
    }
