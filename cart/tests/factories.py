import factory

from cart.models import Cart, CartItem
from products.tests.factories import ProductFactory
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

    cart = factory.SubFactory(CartFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = 1
