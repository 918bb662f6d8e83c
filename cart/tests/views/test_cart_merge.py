"""merge/: a guest cart folded into the signed-in customer's, capped at stock and at the largest
order, saying what it capped or dropped; the guest cart gone."""

from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from cart.models import Cart, CartItem
from cart.selectors import CART_NOT_FOUND
from cart.tests.factories import CartFactory, CartItemFactory, guest_cart
from ecommerce.common.money import MAX_ORDER_TOTAL
from products.services import product_update
from products.tests.factories import ProductFactory, default_variant, product_with_sizes

pytestmark = pytest.mark.django_db

MERGE = reverse("cart:merge")
ADD = reverse("cart:add")


def lines_of(cart) -> dict[int, int]:
    return dict(CartItem.objects.filter(cart=cart).values_list("variant_id", "quantity"))


class TestMerge:
    def test_lines_are_added_and_summed_and_the_guest_cart_is_gone(self, api_client, auth_client, user):
        # given a guest cart started without an account, and the customer's own cart
        coffee, cups = ProductFactory(stock=10, price=Decimal("100.00")), ProductFactory(stock=10)
        token = api_client.post(ADD, {"product_id": coffee.pk, "quantity": 2}).json()["token"]
        api_client.post(ADD, {"product_id": cups.pk, "quantity": 4}, HTTP_X_CART_TOKEN=token)
        mine = CartFactory(user=user)
        CartItemFactory(cart=mine, product=coffee, quantity=3)

        # when the customer signs in and merges it
        response = auth_client.post(MERGE, {"cart_token": token})

        # then the answer is the customer's cart with both carts' lines, and nothing was capped
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["id"] == mine.pk and body["token"] is None
        assert [(i["product"]["id"], i["quantity"]) for i in body["items"]] == [(coffee.pk, 5), (cups.pk, 4)]
        assert body["adjustments"] == []
        assert body["total_items"] == 9
        assert lines_of(mine) == {default_variant(coffee).pk: 5, default_variant(cups).pk: 4}
        assert list(Cart.objects.values_list("pk", flat=True)) == [mine.pk]

    def test_a_first_cart_is_made_for_a_customer_without_one(self, auth_client, user):
        guest, token = guest_cart()
        line = CartItemFactory(cart=guest, product=ProductFactory(stock=3), quantity=2)
        response = auth_client.post(MERGE, {"cart_token": token})
        assert response.status_code == 200
        assert lines_of(Cart.objects.get(user=user)) == {line.variant_id: 2}
        assert not Cart.objects.filter(pk=guest.pk).exists()

    def test_caps_at_stock_and_drops_what_is_no_longer_sold_and_lists_both(self, auth_client, user):
        # given: a guest cart of a variant short of stock, one sold out, one no longer sold, one
        # whose product is no longer sold, and one that fits
        sized = product_with_sizes(sizes=("S", "M", "L"), stock=4)
        short, sold_out, retired = sized.variants.order_by("pk")
        fits = default_variant(ProductFactory(stock=9))
        hidden = default_variant(ProductFactory(stock=9))
        guest, token = guest_cart()
        for variant, quantity in ((short, 3), (sold_out, 1), (retired, 2), (hidden, 1), (fits, 2)):
            CartItemFactory(cart=guest, variant=variant, quantity=quantity)
        mine = CartFactory(user=user)
        CartItemFactory(cart=mine, variant=short, quantity=2)
        sold_out.stock = 0
        sold_out.save(update_fields=["stock"])
        retired.is_active = False
        retired.save(update_fields=["is_active"])
        product_update(product=hidden.product, data={"is_active": False})

        # when merged
        response = auth_client.post(MERGE, {"cart_token": token})

        # then every line it did not take whole is listed with its reason
        assert response.status_code == 200
        assert response.json()["adjustments"] == [
            {"variant_id": short.pk, "requested": 5, "kept": 4, "reason": "insufficient_stock"},
            {"variant_id": sold_out.pk, "requested": 1, "kept": 0, "reason": "insufficient_stock"},
            {"variant_id": retired.pk, "requested": 2, "kept": 0, "reason": "unavailable"},
            {"variant_id": hidden.pk, "requested": 1, "kept": 0, "reason": "unavailable"},
        ]
        assert lines_of(mine) == {short.pk: 4, fits.pk: 2}
        assert not Cart.objects.filter(pk=guest.pk).exists()

    def test_caps_at_the_largest_order_the_shop_accepts(self, auth_client, user):
        # given a customer's cart at half the limit, and a guest cart that would take it past
        half = Decimal("5000000000.00")  # the limit is 9,999,999,999.99
        big = default_variant(ProductFactory(price=Decimal("1000000000.00"), stock=10))
        mine = CartFactory(user=user)
        CartItemFactory(cart=mine, variant=default_variant(ProductFactory(price=half, stock=1)), quantity=1)
        guest, token = guest_cart()
        CartItemFactory(cart=guest, variant=big, quantity=8)

        response = auth_client.post(MERGE, {"cart_token": token})

        assert response.status_code == 200
        assert response.json()["adjustments"] == [
            {"variant_id": big.pk, "requested": 8, "kept": 4, "reason": "cart_too_large"}
        ]
        assert Decimal(response.json()["subtotal"]) <= MAX_ORDER_TOTAL
        assert lines_of(mine)[big.pk] == 4

    def test_the_same_token_twice_is_404_the_second_time(self, auth_client, user):
        guest, token = guest_cart()
        line = CartItemFactory(cart=guest, product=ProductFactory(stock=9), quantity=2)
        assert auth_client.post(MERGE, {"cart_token": token}).status_code == 200

        again = auth_client.post(MERGE, {"cart_token": token})

        assert again.status_code == 404
        assert again.json() == {"detail": str(CART_NOT_FOUND), "code": "cart_not_found"}
        assert lines_of(Cart.objects.get(user=user)) == {line.variant_id: 2}  # not doubled

    @pytest.mark.parametrize("kind", ["unknown", "expired"])
    def test_a_token_of_no_live_guest_cart_is_404_and_changes_nothing(self, auth_client, user, kind):
        guest, token = guest_cart(days_idle=django_settings.GUEST_CART_DAYS + 1 if kind == "expired" else 0)
        CartItemFactory(cart=guest, quantity=1)
        mine = CartFactory(user=user)
        CartItemFactory(cart=mine, quantity=1)
        before = lines_of(mine)

        response = auth_client.post(MERGE, {"cart_token": token if kind == "expired" else "x" * 43})

        assert response.status_code == 404 and response.json()["code"] == "cart_not_found"
        assert lines_of(mine) == before
        assert Cart.objects.filter(pk=guest.pk).exists()  # the sweep's to delete, not the merge's

    def test_merging_leaves_every_other_cart_alone(self, auth_client, other_user):
        theirs = CartFactory(user=other_user)
        their_line = CartItemFactory(cart=theirs, quantity=1)
        other_guest, _ = guest_cart()
        CartItemFactory(cart=other_guest, quantity=1)
        guest, token = guest_cart()
        CartItemFactory(cart=guest, quantity=1)
        assert auth_client.post(MERGE, {"cart_token": token}).status_code == 200
        assert lines_of(theirs) == {their_line.variant_id: 1}
        assert CartItem.objects.filter(cart=other_guest).count() == 1

    def test_needs_a_signed_in_customer(self, api_client):
        guest, token = guest_cart()
        CartItemFactory(cart=guest)
        assert api_client.post(MERGE, {"cart_token": token}).status_code == 401
        assert api_client.post(MERGE, {"cart_token": token}, HTTP_X_CART_TOKEN=token).status_code == 401
        assert Cart.objects.filter(pk=guest.pk).exists()

    @pytest.mark.parametrize("body", [{}, {"cart_token": ""}, {"cart_token": None}, {"cart_token": "x" * 201}])
    def test_a_missing_or_bad_token_is_400(self, auth_client, body):
        response = auth_client.post(MERGE, body, format="json")
        assert response.status_code == 400 and "cart_token" in response.json()
