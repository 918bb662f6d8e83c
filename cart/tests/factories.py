import factory

from cart.models import Cart, CartItem
from products.tests.factories import ProductFactory, default_variant
from users.tests.factories import UserFactory


class CartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cart
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)


class CartItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartItem
        skip_postgeneration_save = True

    class Params:
        product = factory.SubFactory(ProductFactory)  # a simple product: its default variant

    cart = factory.SubFactory(CartFactory)
    variant = factory.LazyAttribute(lambda line: default_variant(line.product))
    quantity = 1
