from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from coupons.models import Coupon, CouponRedemption, DiscountType
from orders.tests.factories import place_order
from users.tests.factories import UserFactory


class CouponFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coupon
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"SAVE{n}")
    description = "Save on your order"
    discount_type = DiscountType.PERCENTAGE
    value = Decimal("10.00")
    valid_from = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    valid_to = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class CouponRedemptionFactory(factory.django.DjangoModelFactory):
    """A use of a coupon by an order the user placed without it (the order is only an anchor)."""

    class Meta:
        model = CouponRedemption
        skip_postgeneration_save = True

    coupon = factory.SubFactory(CouponFactory)
    user = factory.SubFactory(UserFactory)
    order_id = factory.LazyAttribute(lambda o: place_order(user=o.user).pk)
