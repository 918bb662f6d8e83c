from datetime import timedelta

import factory
from django.utils import timezone

from cart.models import Cart, CartItem
from cart.tokens import token_hash, token_new
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


def guest_cart(*, days_idle: float = 0, **fields) -> tuple[Cart, str]:
    """A guest cart and its token, last changed `days_idle` days ago."""
    token = token_new()
    cart = CartFactory(user=None, token_hash=token_hash(token), **fields)
    if days_idle:
        # updated_at is auto_now: only an update of the row sets it in the past.
        Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now() - timedelta(days=days_idle))
        cart.refresh_from_db()
    return cart, token
