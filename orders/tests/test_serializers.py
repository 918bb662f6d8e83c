"""The order's output serializers answer through a plan for speed: held here to exactly what
DRF's generic path makes of the same declared fields."""

from decimal import Decimal

import pytest

from coupons.tests.factories import CouponFactory
from ecommerce.common.tests.serializers import drf_representation
from orders import selectors
from orders.models import OrderStatus, PaymentMethod
from orders.serializers import OrderOutputSerializer
from orders.services import order_status_change
from orders.tests.factories import DeliveryMethodFactory, place_order
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_the_fast_path_makes_what_drf_makes_of_the_declared_fields(user, staff):
    plain = place_order(user=user)  # before the shop had delivery methods: no delivery, no coupon
    shipped = place_order(
        user=user,
        lines=[(ProductFactory(title="ጀበና", price=Decimal("350.00"), stock=3), 2)],
        delivery_method=DeliveryMethodFactory(code="addis-courier").code,
        coupon_code=CouponFactory(code="BUNA10").code,
        payment_method=PaymentMethod.CASH_ON_DELIVERY,
        notes="Call before coming.",
    )
    order_status_change(order_id=shipped.pk, new_status=OrderStatus.PROCESSING, actor=staff)
    order_status_change(
        order_id=shipped.pk,
        new_status=OrderStatus.SHIPPED,
        actor=staff,
        tracking={"carrier": "Ethiopost", "number": "EP123"},
    )

    serializer = OrderOutputSerializer()
    for order_id in (plain.pk, shipped.pk):
        order = selectors.order_get(user=user, pk=order_id)
        assert serializer.to_representation(order) == drf_representation(serializer, order)
    shown = serializer.to_representation(selectors.order_get(user=user, pk=shipped.pk))
    assert (shown["tracking"]["url"], shown["delivery"]["fee"], len(shown["events"])) == ("", "150.00", 3)
