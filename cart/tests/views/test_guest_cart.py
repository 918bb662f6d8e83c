"""Guest carts: every cart endpoint with X-Cart-Token instead of a login, under every rule of a
customer's cart; their expiry and sweep; the throttle on creating them."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from cart.models import Cart, CartItem
from cart.selectors import CART_NOT_FOUND
from cart.services import guest_cart_delete_expired
from cart.tasks import guest_cart_delete_expired as guest_cart_delete_expired_task
from cart.tests.factories import CartFactory, CartItemFactory, guest_cart
from products.tests.factories import ProductFactory, product_with_sizes

pytestmark = pytest.mark.django_db

CART = reverse("cart:detail")
ADD = reverse("cart:add")
CLEAR = reverse("cart:clear")


def item_url(pk):
    return reverse("cart:item", args=[pk])


def with_token(token):
    return {"HTTP_X_CART_TOKEN": token}


def assert_cart_not_found(response):
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": str(CART_NOT_FOUND), "code": "cart_not_found"}


def set_rate(settings, scope, rate):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], scope: rate},
    }


class TestGuestCartCreation:
    def test_first_add_without_login_answers_the_token_in_body_and_header(self, api_client):
        product = ProductFactory(stock=5, price=Decimal("250.00"))

        response = api_client.post(ADD, {"product_id": product.pk, "quantity": 2})

        assert response.status_code == 201
        body = response.json()
        token = body["token"]
        assert response["X-Cart-Token"] == token
        assert len(token) >= 43  # secrets.token_urlsafe(32): 256 random bits
        assert [(item["product"]["id"], item["quantity"]) for item in body["items"]] == [(product.pk, 2)]
        assert body["subtotal"] == "500.00"
        # the shop keeps the token's SHA-256, never the token
        cart = Cart.objects.get()
        assert (cart.user, cart.pk) == (None, body["id"])
        assert cart.token_hash == hashlib.sha256(token.encode()).hexdigest() != token

    def test_every_add_without_a_token_is_a_cart_of_its_own(self, api_client):
        product = ProductFactory(stock=5)
        first = api_client.post(ADD, {"product_id": product.pk}).json()["token"]
        second = api_client.post(ADD, {"product_id": product.pk}).json()["token"]
        assert first != second
        assert Cart.objects.filter(user=None).count() == 2

    def test_a_refused_first_add_creates_no_cart(self, api_client):
        product = ProductFactory(stock=1)
        response = api_client.post(ADD, {"product_id": product.pk, "quantity": 2})
        assert response.status_code == 409
        assert response.json()["code"] == "insufficient_stock"
        assert "X-Cart-Token" not in response
        assert not Cart.objects.exists()


class TestGuestCartWithToken:
    def test_the_token_reaches_the_cart_on_every_endpoint(self, api_client):
        # given a guest cart started by a first add
        tea, pot = ProductFactory(stock=9, price=Decimal("10.00")), ProductFactory(stock=9)
        token = api_client.post(ADD, {"product_id": tea.pk}).json()["token"]

        # when the guest adds, reads, changes and removes with the token
        added = api_client.post(ADD, {"product_id": tea.pk, "quantity": 2}, **with_token(token))
        api_client.post(ADD, {"product_id": pot.pk}, **with_token(token))
        read = api_client.get(CART, **with_token(token))
        tea_line, pot_line = read.json()["items"]
        patched = api_client.patch(item_url(tea_line["id"]), {"quantity": 5}, **with_token(token))
        removed = api_client.delete(item_url(pot_line["id"]), **with_token(token))

        # then each is the one cart, answered with its token
        assert added.status_code == 201 and added.json()["items"][0]["quantity"] == 3
        assert read.status_code == 200 and read["X-Cart-Token"] == read.json()["token"] == token
        assert patched.status_code == 200 and patched.json()["items"][0]["quantity"] == 5
        assert removed.status_code == 200 and [i["product"]["id"] for i in removed.json()["items"]] == [tea.pk]
        assert removed["X-Cart-Token"] == token
        assert Cart.objects.count() == 1
        cleared = api_client.delete(CLEAR, **with_token(token))
        assert cleared.status_code == 200 and cleared.json()["items"] == []
        assert not CartItem.objects.exists()

    @pytest.mark.parametrize("kind", ["unknown", "tampered", "expired", "empty"])
    def test_a_token_of_no_live_cart_is_404_cart_not_found_everywhere(self, api_client, kind):
        # given a guest cart with a line, and a token that does not open it
        cart, token = guest_cart(days_idle=django_settings.GUEST_CART_DAYS + 1 if kind == "expired" else 0)
        line = CartItemFactory(cart=cart, product=ProductFactory(stock=9), quantity=1)
        sent = {
            "unknown": "A" * 43,
            "tampered": token[:-1] + ("A" if token[-1] != "A" else "B"),
            "expired": token,
            "empty": "",
        }[kind]
        product = ProductFactory(stock=9)

        # when it is used on every endpoint, then each is the same 404, and nothing is written
        assert_cart_not_found(api_client.get(CART, **with_token(sent)))
        assert_cart_not_found(api_client.post(ADD, {"product_id": product.pk}, **with_token(sent)))
        assert_cart_not_found(api_client.patch(item_url(line.pk), {"quantity": 3}, **with_token(sent)))
        assert_cart_not_found(api_client.delete(item_url(line.pk), **with_token(sent)))
        assert_cart_not_found(api_client.delete(CLEAR, **with_token(sent)))
        assert list(CartItem.objects.values_list("pk", "quantity")) == [(line.pk, 1)]
        assert list(Cart.objects.values_list("pk", flat=True)) == [cart.pk]

    def test_a_cart_just_within_its_days_is_live_and_a_change_starts_them_again(self, api_client):
        cart, token = guest_cart(days_idle=django_settings.GUEST_CART_DAYS - 0.01)
        idle_since = cart.updated_at
        product = ProductFactory(stock=9)

        assert api_client.get(CART, **with_token(token)).status_code == 200
        cart.refresh_from_db()
        assert cart.updated_at == idle_since  # a read is no change
        assert api_client.post(ADD, {"product_id": product.pk}, **with_token(token)).status_code == 201
        cart.refresh_from_db()
        assert cart.updated_at > timezone.now() - timedelta(minutes=1)

    def test_neither_login_nor_token_is_401_everywhere_but_add(self, api_client):
        line = CartItemFactory(cart=guest_cart()[0])
        for response in (
            api_client.get(CART),
            api_client.patch(item_url(line.pk), {"quantity": 2}),
            api_client.delete(item_url(line.pk)),
            api_client.delete(CLEAR),
        ):
            assert response.status_code == 401
        assert CartItem.objects.get().quantity == 1

    def test_with_both_the_customers_cart_is_meant_and_the_token_ignored(self, auth_client, user):
        # given a guest cart with a line, and the customer's own
        guest, token = guest_cart()
        guest_line = CartItemFactory(cart=guest, quantity=1)
        product = ProductFactory(stock=5)

        # when the signed-in customer sends the guest token too
        added = auth_client.post(ADD, {"product_id": product.pk}, **with_token(token))
        read = auth_client.get(CART, **with_token(token))
        cleared = auth_client.delete(CLEAR, **with_token(token))
        other = auth_client.patch(item_url(guest_line.pk), {"quantity": 2}, **with_token(token))

        # then every request is about the customer's cart; the guest's is untouched
        assert added.status_code == 201 and added.json()["id"] == Cart.objects.get(user=user).pk
        assert added.json()["token"] is None and "X-Cart-Token" not in added
        assert [i["product"]["id"] for i in read.json()["items"]] == [product.pk]
        assert cleared.status_code == 200
        assert other.status_code == 404
        assert list(guest.items.values_list("pk", "quantity")) == [(guest_line.pk, 1)]

    def test_a_bad_token_with_a_login_is_ignored(self, auth_client):
        assert auth_client.get(CART, **with_token("nonsense")).status_code == 200

    def test_a_guest_cannot_reach_another_carts_line(self, api_client, user):
        _, token = guest_cart()
        theirs = CartItemFactory(cart=CartFactory(user=user), quantity=1)
        other_guests = CartItemFactory(cart=guest_cart()[0], quantity=1)
        for line in (theirs, other_guests):
            assert api_client.patch(item_url(line.pk), {"quantity": 2}, **with_token(token)).status_code == 404
            assert api_client.delete(item_url(line.pk), **with_token(token)).status_code == 404
        assert sorted(CartItem.objects.values_list("quantity", flat=True)) == [1, 1]


class TestGuestCartRules:
    """A guest cart follows every rule of a customer's."""

    def test_stock_is_409_insufficient_stock_and_changes_nothing(self, api_client):
        product = ProductFactory(stock=4)
        token = api_client.post(ADD, {"product_id": product.pk, "quantity": 3}).json()["token"]

        added = api_client.post(ADD, {"product_id": product.pk, "quantity": 2}, **with_token(token))
        line = CartItem.objects.get()
        patched = api_client.patch(item_url(line.pk), {"quantity": 5}, **with_token(token))

        for response in (added, patched):
            assert response.status_code == 409
            assert response.json()["code"] == "insufficient_stock"
            [shortage] = response.json()["lines"]
            assert (shortage["available"], shortage["requested"]) == (4, 5)
        assert CartItem.objects.get().quantity == 3

    def test_variants_and_bounds(self, api_client):
        sized = product_with_sizes(sizes=("S", "M"), stock=5)
        response = api_client.post(ADD, {"product_id": sized.pk})
        assert response.status_code == 400 and response.json()["code"] == "variant_required"
        expensive = ProductFactory(price=Decimal("100000000.00"), stock=10_000)
        response = api_client.post(ADD, {"product_id": expensive.pk, "quantity": 10_000})
        assert response.status_code == 400 and response.json()["code"] == "cart_too_large"
        response = api_client.post(ADD, {"product_id": sized.pk, "quantity": 0})
        assert response.status_code == 400 and "quantity" in response.json()
        assert not Cart.objects.exists()
        variant = sized.variants.order_by("pk").first()
        response = api_client.post(ADD, {"variant_id": variant.pk})
        assert response.status_code == 201
        assert response.json()["items"][0]["variant"]["id"] == variant.pk


class TestGuestCartThrottle:
    def test_creating_guest_carts_is_throttled_per_client_with_retry_after(self, api_client, settings):
        # given a rate of two new guest carts a minute
        set_rate(settings, "guest_cart", "2/min")
        product = ProductFactory(stock=99)
        tokens = [api_client.post(ADD, {"product_id": product.pk}).json()["token"] for _ in range(2)]

        # when the same client starts a third, even with a new X-Forwarded-For
        third = api_client.post(ADD, {"product_id": product.pk}, HTTP_X_FORWARDED_FOR="198.51.100.9")

        # then it is a 429 with Retry-After, and no cart is made
        assert third.status_code == 429
        assert int(third["Retry-After"]) > 0
        assert Cart.objects.count() == 2
        # while the carts it has, a signed-in customer and another client go on
        assert api_client.post(ADD, {"product_id": product.pk}, **with_token(tokens[0])).status_code == 201
        assert api_client.get(CART, **with_token(tokens[1])).status_code == 200
        other_client = api_client.post(ADD, {"product_id": product.pk}, REMOTE_ADDR="203.0.113.50")
        assert other_client.status_code == 201

    def test_a_signed_in_customer_is_not_counted(self, auth_client, settings):
        set_rate(settings, "guest_cart", "1/min")
        product = ProductFactory(stock=99)
        assert [auth_client.post(ADD, {"product_id": product.pk}).status_code for _ in range(3)] == [201] * 3


class TestGuestCartSweep:
    def test_deletes_only_expired_guest_carts_never_customers_carts(self, user, other_user):
        # given guest carts on both sides of GUEST_CART_DAYS, and customers' carts idle longer still
        days = django_settings.GUEST_CART_DAYS
        expired = [guest_cart(days_idle=days + 1)[0], guest_cart(days_idle=days + 400)[0]]
        live = guest_cart(days_idle=days - 1)[0]
        for cart in expired + [live]:
            CartItemFactory(cart=cart)
        customers = [CartFactory(user=user), CartFactory(user=other_user)]
        CartItemFactory(cart=customers[0])
        Cart.objects.filter(pk__in=[c.pk for c in customers]).update(updated_at=live.updated_at.replace(year=2000))

        # when the periodic task runs
        deleted = guest_cart_delete_expired_task.delay().get()

        # then only the expired guest carts and their lines are gone
        assert deleted == 2
        assert set(Cart.objects.values_list("pk", flat=True)) == {live.pk, *(c.pk for c in customers)}
        assert set(CartItem.objects.values_list("cart_id", flat=True)) == {live.pk, customers[0].pk}

    def test_works_in_batches(self):
        for _ in range(5):
            guest_cart(days_idle=django_settings.GUEST_CART_DAYS + 1)
        assert guest_cart_delete_expired(batch_size=2) == 5
        assert not Cart.objects.exists()

    def test_the_beat_schedule_runs_it(self):
        tasks = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
        assert "cart.tasks.guest_cart_delete_expired" in tasks
