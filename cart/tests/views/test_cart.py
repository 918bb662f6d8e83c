from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cart.models import Cart, CartItem
from cart.services import CART_TOO_LARGE, PRODUCT_UNAVAILABLE
from cart.tests.factories import CartFactory, CartItemFactory
from ecommerce.common.money import MAX_ORDER_TOTAL
from products.services import product_update
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

CART = reverse("cart:detail")
ADD = reverse("cart:add")
CLEAR = reverse("cart:clear")


def item_url(pk):
    return reverse("cart:item", args=[pk])


class TestCartAccess:
    # add/ is open: without a login it starts a guest cart (tests/views/test_guest_cart.py).
    @pytest.mark.parametrize(
        ("method", "url"),
        [("get", CART), ("delete", CLEAR), ("patch", item_url(1)), ("delete", item_url(1))],
    )
    def test_anonymous_is_401(self, api_client, method, url):
        assert getattr(api_client, method)(url, {"product_id": 1, "quantity": 1}).status_code == 401


class TestCartRead:
    def test_empty_cart_is_created_on_first_use(self, auth_client, user):
        response = auth_client.get(CART)
        assert response.status_code == 200
        body = response.json()
        assert body == {
            "id": Cart.objects.get(user=user).pk,
            "items": [],
            "total_items": 0,
            "subtotal": "0.00",
            "updated_at": body["updated_at"],
            "token": None,
        }

    def test_cart_shape_and_server_side_totals(self, auth_client, user):
        cart = CartFactory(user=user)
        coffee = ProductFactory(title="Sidamo", slug="sidamo", price=Decimal("780.50"), stock=9)
        pot = ProductFactory(price=Decimal("650.00"), stock=2)
        line = CartItemFactory(cart=cart, product=coffee, quantity=3)
        CartItemFactory(cart=cart, product=pot, quantity=1)
        body = auth_client.get(CART).json()
        assert body["items"][0] == {
            "id": line.pk,
            "product": {
                "id": coffee.pk,
                "title": "Sidamo",
                "slug": "sidamo",
                "price": "780.50",
                "stock": 9,
                "in_stock": True,
                "image": None,
            },
            "variant": {
                "id": line.variant_id,
                "sku": f"SKU-{coffee.pk}",
                "options": {},
                "price": "780.50",
                "stock": 9,
                "in_stock": True,
                "is_active": True,
            },
            "quantity": 3,
            "unit_price": "780.50",
            "line_total": "2341.50",
        }
        assert (body["total_items"], body["subtotal"]) == (4, "2991.50")

    def test_cart_shows_current_price(self, auth_client, user):
        item = CartItemFactory(cart=CartFactory(user=user), product=ProductFactory(price=Decimal("100")), quantity=2)
        product_update(product=item.variant.product, data={"price": Decimal("120")})
        assert auth_client.get(CART).json()["subtotal"] == "240.00"

    @pytest.mark.parametrize("lines", [1, 20])
    def test_query_count_is_constant(self, auth_client, user, django_assert_max_num_queries, lines):
        cart = CartFactory(user=user)
        for _ in range(lines):
            CartItemFactory(cart=cart)
        with django_assert_max_num_queries(4):  # user (token) + cart + items with products + their images
            body = auth_client.get(CART).json()
        assert len(body["items"]) == lines


class TestCartAdd:
    def test_add_creates_cart_and_line(self, auth_client, user):
        product = ProductFactory(stock=5, price=Decimal("10.00"))
        response = auth_client.post(ADD, {"product_id": product.pk, "quantity": 2})
        assert response.status_code == 201
        body = response.json()
        assert [(i["product"]["id"], i["quantity"]) for i in body["items"]] == [(product.pk, 2)]
        assert body["subtotal"] == "20.00"

    def test_quantity_defaults_to_one(self, auth_client):
        product = ProductFactory()
        assert auth_client.post(ADD, {"product_id": product.pk}).json()["items"][0]["quantity"] == 1

    def test_adding_again_merges_quantities(self, auth_client, user):
        product = ProductFactory(stock=10)
        auth_client.post(ADD, {"product_id": product.pk, "quantity": 2})
        response = auth_client.post(ADD, {"product_id": product.pk, "quantity": 3})
        assert [i["quantity"] for i in response.json()["items"]] == [5]
        assert CartItem.objects.filter(cart__user=user).count() == 1

    def test_merged_quantity_above_stock_is_409_and_changes_nothing(self, auth_client, user):
        # the same code and status as at checkout
        product = ProductFactory(stock=4)
        auth_client.post(ADD, {"product_id": product.pk, "quantity": 3})
        response = auth_client.post(ADD, {"product_id": product.pk, "quantity": 2})
        assert response.status_code == 409
        assert response.json()["code"] == "insufficient_stock"
        [line] = response.json()["lines"]
        assert (line["sku"], line["available"], line["requested"]) == (f"SKU-{product.pk}", 4, 5)
        assert CartItem.objects.get(cart__user=user).quantity == 3

    @pytest.mark.parametrize("quantity", [0, -1, "two", 1.5, 10**9, None])
    def test_bad_quantity_is_400(self, auth_client, user, quantity):
        product = ProductFactory()
        response = auth_client.post(ADD, {"product_id": product.pk, "quantity": quantity}, format="json")
        assert response.status_code == 400
        assert "quantity" in response.json()
        assert not CartItem.objects.exists()

    def test_unknown_and_inactive_products_are_400(self, auth_client):
        hidden = ProductFactory(is_active=False)
        for product_id in (hidden.pk, 999999):
            response = auth_client.post(ADD, {"product_id": product_id})
            assert response.status_code == 400
            assert response.json() == {"product_id": [PRODUCT_UNAVAILABLE]}
        assert not CartItem.objects.exists()

    def test_out_of_stock_product_is_400(self, auth_client):
        product = ProductFactory(stock=0)
        assert auth_client.post(ADD, {"product_id": product.pk}).json()["code"] == "insufficient_stock"

    @pytest.mark.parametrize("product_id", ["abc", -3, None, 2**64])
    def test_bad_product_id_is_400(self, auth_client, product_id):
        response = auth_client.post(ADD, {"product_id": product_id}, format="json")
        assert response.status_code == 400
        assert "product_id" in response.json()


class TestCartChange:
    def test_patch_quantity(self, auth_client, user):
        item = CartItemFactory(cart=CartFactory(user=user), product=ProductFactory(stock=5), quantity=1)
        response = auth_client.patch(item_url(item.pk), {"quantity": 5})
        assert response.status_code == 200
        assert response.json()["items"][0]["quantity"] == 5

    def test_patch_above_stock_is_409(self, auth_client, user):
        item = CartItemFactory(cart=CartFactory(user=user), product=ProductFactory(stock=5), quantity=1)
        response = auth_client.patch(item_url(item.pk), {"quantity": 6})
        assert response.status_code == 409
        assert response.json()["code"] == "insufficient_stock"
        item.refresh_from_db()
        assert item.quantity == 1

    def test_patch_product_no_longer_sold_is_400(self, auth_client, user):
        item = CartItemFactory(cart=CartFactory(user=user), product=ProductFactory(is_active=False))
        assert auth_client.patch(item_url(item.pk), {"quantity": 1}).status_code == 400

    @pytest.mark.parametrize("quantity", [0, -2, "x"])
    def test_patch_bad_quantity(self, auth_client, user, quantity):
        item = CartItemFactory(cart=CartFactory(user=user))
        assert auth_client.patch(item_url(item.pk), {"quantity": quantity}).status_code == 400

    def test_other_users_item_is_404_and_untouched(self, auth_client, other_user):
        theirs = CartItemFactory(cart=CartFactory(user=other_user), quantity=1)
        assert auth_client.patch(item_url(theirs.pk), {"quantity": 2}).status_code == 404
        assert auth_client.delete(item_url(theirs.pk)).status_code == 404
        theirs.refresh_from_db()
        assert theirs.quantity == 1

    def test_delete_item_and_clear(self, auth_client, user):
        cart = CartFactory(user=user)
        first, second = CartItemFactory(cart=cart), CartItemFactory(cart=cart)
        response = auth_client.delete(item_url(first.pk))
        assert response.status_code == 200  # the cart as it is now
        assert [item["id"] for item in response.json()["items"]] == [second.pk]
        assert auth_client.delete(item_url(first.pk)).status_code == 404
        response = auth_client.delete(CLEAR)
        assert response.status_code == 200
        assert (response.json()["items"], response.json()["subtotal"]) == ([], "0.00")
        assert cart.items.count() == 0

    def test_clear_leaves_other_carts_alone(self, auth_client, other_user):
        theirs = CartItemFactory(cart=CartFactory(user=other_user))
        assert auth_client.delete(CLEAR).status_code == 200
        assert CartItem.objects.filter(pk=theirs.pk).exists()


class TestCartSize:
    """A cart never grows past the largest order the shop accepts (MAX_ORDER_TOTAL)."""

    def assert_too_large(self, response):
        assert response.status_code == 400, response.content
        detail = CART_TOO_LARGE.format(amount="9,999,999,999.99 ETB")
        assert response.json() == {"detail": detail, "code": "cart_too_large", "max_total": "9999999999.99"}

    def test_one_line_past_the_limit_is_refused_before_it_is_saved(self, auth_client):
        product = ProductFactory(price=Decimal("100000000.00"), stock=10_000)
        self.assert_too_large(auth_client.post(ADD, {"product_id": product.pk, "quantity": 10_000}))
        assert not CartItem.objects.exists()
        assert auth_client.get(CART).json()["subtotal"] == "0.00"

    def test_the_line_that_takes_the_subtotal_past_the_limit_is_refused(self, auth_client, user):
        half = ProductFactory(price=Decimal("5000000000.00"), stock=5)
        other = ProductFactory(price=Decimal("5000000000.00"), stock=5)
        assert auth_client.post(ADD, {"product_id": half.pk}).status_code == 201
        self.assert_too_large(auth_client.post(ADD, {"product_id": other.pk}))
        self.assert_too_large(auth_client.post(ADD, {"product_id": half.pk}))
        assert list(CartItem.objects.values_list("variant__product_id", "quantity")) == [(half.pk, 1)]

    def test_exactly_the_limit_is_accepted(self, auth_client):
        product = ProductFactory(price=MAX_ORDER_TOTAL, stock=1)
        response = auth_client.post(ADD, {"product_id": product.pk})
        assert response.status_code == 201 and response.json()["subtotal"] == "9999999999.99"

    def test_raising_a_quantity_past_the_limit_is_refused(self, auth_client, user):
        product = ProductFactory(price=Decimal("100000000.00"), stock=10_000)
        line = CartItemFactory(cart=CartFactory(user=user), product=product, quantity=2)
        self.assert_too_large(auth_client.patch(item_url(line.pk), {"quantity": 10_000}))
        assert CartItem.objects.get(pk=line.pk).quantity == 2

    def test_a_cart_made_too_large_by_a_price_rise_still_shows_and_can_shrink(self, auth_client, user):
        # given: a cart within the limit, then staff raise the price to the column's maximum
        product = ProductFactory(price=Decimal("10.00"), stock=10_000)
        line = CartItemFactory(cart=CartFactory(user=user), product=product, quantity=10_000)
        product_update(product=product, data={"price": MAX_ORDER_TOTAL})
        # when / then: the cart still reads, with its true totals
        body = auth_client.get(CART).json()
        assert body["subtotal"] == body["items"][0]["line_total"] == "99999999999900.00"
        # and the customer can bring it back under the limit
        response = auth_client.patch(item_url(line.pk), {"quantity": 1})
        assert response.status_code == 200 and response.json()["subtotal"] == "9999999999.99"


class TestCartConstraints:
    def test_one_line_per_variant(self):
        item = CartItemFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            CartItem.objects.create(cart=item.cart, variant=item.variant, quantity=1)

    @pytest.mark.parametrize("quantity", [0, -1])
    def test_quantity_must_be_positive(self, quantity):
        item = CartItemFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            CartItem.objects.filter(pk=item.pk).update(quantity=quantity)

    def test_one_cart_per_user(self, user):
        CartFactory(user=user)
        with pytest.raises(IntegrityError), transaction.atomic():
            Cart.objects.create(user=user)
