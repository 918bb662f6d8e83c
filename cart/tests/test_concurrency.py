"""Merging guest carts under real parallel requests, on PostgreSQL: no line lost, none doubled."""

from collections import Counter

import pytest
from django.conf import settings
from django.urls import reverse

from cart.exceptions import CartNotFound
from cart.models import Cart, CartItem
from cart.services import cart_item_add, cart_merge, guest_cart_delete_expired
from cart.tests.factories import CartItemFactory, guest_cart
from conftest import client_for
from ecommerce.common.tests.concurrency import race_under_lock, run_concurrently
from products.tests.factories import ProductFactory, default_variant
from users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]

MERGE = reverse("cart:merge")


def lines_of(user) -> dict[int, int]:
    return dict(CartItem.objects.filter(cart__user=user).values_list("variant_id", "quantity"))


def merge_call(user, token):
    def call():
        return client_for(user).post(MERGE, {"cart_token": token}, format="json").status_code

    return call


@pytest.mark.parametrize("has_cart", [True, False], ids=["customer-with-a-cart", "customer-without-one"])
def test_parallel_merges_of_one_token_merge_it_once(has_cart):
    # given a guest cart of two lines, and a customer who already holds one of the variants
    coffee, cups = default_variant(ProductFactory(stock=50)), default_variant(ProductFactory(stock=50))
    guest, token = guest_cart()
    CartItemFactory(cart=guest, variant=coffee, quantity=3)
    CartItemFactory(cart=guest, variant=cups, quantity=2)
    user = UserFactory()
    if has_cart:
        cart_item_add(user=user, variant_id=coffee.pk, quantity=1)

    # when six requests merge the same token at once
    statuses = run_concurrently([merge_call(user, token)] * 6)

    # then exactly one merges it, the others find it gone, and nothing is doubled
    assert Counter(statuses) == {200: 1, 404: 5}, statuses
    assert lines_of(user) == {coffee.pk: 4 if has_cart else 3, cups.pk: 2}
    assert not Cart.objects.filter(pk=guest.pk).exists()
    assert Cart.objects.filter(user=user).count() == 1


def test_parallel_merges_of_different_guest_carts_into_one_cart_add_up():
    coffee = default_variant(ProductFactory(stock=100))
    tokens = []
    for quantity in range(1, 6):
        guest, token = guest_cart()
        CartItemFactory(cart=guest, variant=coffee, quantity=quantity)
        tokens.append(token)
    user = UserFactory()

    statuses = run_concurrently([merge_call(user, token) for token in tokens])

    assert statuses == [200] * 5
    assert lines_of(user) == {coffee.pk: 1 + 2 + 3 + 4 + 5}
    assert not Cart.objects.filter(user=None).exists()


def test_an_add_to_the_guest_cart_that_holds_it_first_is_merged_too():
    # given a guest cart of one line, and the customer merging it while the guest adds another
    coffee, cups = default_variant(ProductFactory(stock=9)), default_variant(ProductFactory(stock=9))
    guest, token = guest_cart()
    CartItemFactory(cart=guest, variant=coffee, quantity=1)
    user = UserFactory()

    # when the add holds the guest cart and the merge must wait for it
    outcome = race_under_lock(
        lock=lambda: cart_item_add(token=token, variant_id=cups.pk, quantity=2),
        other=lambda: cart_merge(user=user, token=token),
    )

    # then the merge sees the added line: both lines are the customer's
    assert not isinstance(outcome, Exception), outcome
    assert lines_of(user) == {coffee.pk: 1, cups.pk: 2}
    assert not Cart.objects.filter(pk=guest.pk).exists()


def test_an_add_that_waits_for_a_merge_finds_the_guest_cart_gone():
    coffee, cups = default_variant(ProductFactory(stock=9)), default_variant(ProductFactory(stock=9))
    guest, token = guest_cart()
    CartItemFactory(cart=guest, variant=coffee, quantity=1)
    user = UserFactory()

    outcome = race_under_lock(
        lock=lambda: cart_merge(user=user, token=token),
        other=lambda: cart_item_add(token=token, variant_id=cups.pk, quantity=2),
    )

    # the add is refused (the guest is told), not written to a cart nobody can reach
    assert isinstance(outcome, CartNotFound), outcome
    assert lines_of(user) == {coffee.pk: 1}
    assert not Cart.objects.filter(user=None).exists()
    assert not CartItem.objects.filter(variant=cups).exists()


def test_the_sweep_skips_an_expired_guest_cart_that_is_being_changed():
    # given an expired guest cart that a request holds locked (a change under way), and another
    stale, _ = guest_cart(days_idle=settings.GUEST_CART_DAYS + 1)
    held, _ = guest_cart(days_idle=settings.GUEST_CART_DAYS + 1)

    # when the sweep runs meanwhile, then it neither waits for the held cart nor deletes it
    outcome = race_under_lock(
        lock=lambda: list(Cart.objects.select_for_update().filter(pk=held.pk)),
        other=guest_cart_delete_expired,
    )

    assert outcome == 1
    assert list(Cart.objects.values_list("pk", flat=True)) == [held.pk]
