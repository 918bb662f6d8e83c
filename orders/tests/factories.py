"""Orders are made the way customers make them: through the cart and the checkout service."""

from decimal import Decimal

import factory

from addresses.tests.factories import AddressFactory
from cart.services import cart_item_add
from orders.models import DeliveryKind, DeliveryMethod, Order
from orders.services import order_place_from_cart
from products.tests.factories import ProductFactory


def place_order(*, user, lines=None, address=None, **kwargs) -> Order:
    """Fill the user's cart with `lines` ([(product, quantity)], default one 100 ETB product)
    and check out."""
    if lines is None:
        lines = [(ProductFactory(price=Decimal("100.00"), stock=10), 1)]
    for product, quantity in lines:
        cart_item_add(user=user, product_id=product.pk, quantity=quantity)
    address = address or AddressFactory(user=user)
    order, _ = order_place_from_cart(user=user, shipping_address_id=address.pk, **kwargs)
    return order


class DeliveryMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryMethod
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"courier-{n}")
    name = factory.Sequence(lambda n: f"Courier {n}")
    kind = DeliveryKind.COURIER
    regions = factory.LazyFunction(lambda: ["Addis Ababa"])
    cities = factory.LazyFunction(list)
    fee = Decimal("150.00")
    free_over = None
    estimated_days_min = 1
    estimated_days_max = 2
    cash_on_delivery = True
