import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from addresses.tests.factories import AddressFactory
from coupons.models import CouponRedemption
from coupons.tests.factories import CouponFactory
from orders.models import Order, OrderEvent, OrderStatus, PaymentStatus
from orders.services import order_payment_received
from orders.tests.factories import place_order
from products.models import Product
from products.tests.factories import ProductFactory, set_stock, shortage

pytestmark = pytest.mark.django_db

LIST = reverse("orders:list")
CREATE = reverse("orders:create")


def url(name, order):
    return reverse(f"orders:{name}", args=[order.pk])


def stock(product) -> int:
    return Product.objects.get(pk=product.pk).stock


class TestOrderCreateApi:
    @pytest.mark.parametrize("coupon_value", [None, Decimal("100.00")], ids=["to-pay", "fully-discounted"])
    def test_the_new_order_is_answered_as_it_reads_back(self, auth_client, user, coupon_value):
        """Checkout answers from the order it has just written (not read back): the same body
        as the order's own page, events of a fully discounted order included."""
        product = ProductFactory(price=Decimal("99.90"), stock=4)
        body = {"shipping_address_id": AddressFactory(user=user).pk}
        if coupon_value:
            body["coupon_code"] = CouponFactory(code="FREE", value=coupon_value).code
        auth_client.post(reverse("cart:add"), {"product_id": product.pk, "quantity": 3})
        created = auth_client.post(CREATE, body)
        assert created.status_code == 201
        assert created.json() == auth_client.get(reverse("orders:detail", args=[created.json()["id"]])).json()
        assert len(created.json()["events"]) == (2 if coupon_value else 1)

    def test_creates_order(self, auth_client, user):
        product = ProductFactory(price=Decimal("250.00"), stock=4)
        address = AddressFactory(user=user)
        auth_client.post(reverse("cart:add"), {"product_id": product.pk, "quantity": 2})
        response = auth_client.post(CREATE, {"shipping_address_id": address.pk, "notes": "Gate B"})
        assert response.status_code == 201
        body = response.json()
        assert body["status"] == "pending" and body["payment_status"] == "unpaid"
        assert body["items"] == [
            {
                "id": Order.objects.get(pk=body["id"]).items.get().pk,
                "product_id": product.pk,
                "variant_id": product.variants.get().pk,
                "sku": product.variants.get().sku,
                "variant_options": {},
                "product_title": product.title,
                "unit_price": "250.00",
                "quantity": 2,
                "line_total": "500.00",
            }
        ]
        assert (body["subtotal"], body["discount_amount"], body["total"], body["currency"]) == (
            "500.00",
            "0.00",
            "500.00",
            "ETB",
        )
        # no delivery method set up: free delivery; VAT 15% contained in the total
        assert (body["delivery"], body["delivery_fee"], body["vat_amount"]) == (None, "0.00", "65.22")
        assert (body["payment_method"], body["tracking"]) == ("chapa", None)
        assert body["shipping_address"]["phone"] == address.phone
        assert (body["receipt_number"], body["buyer_tin"]) == (None, "")  # not paid; no TIN given
        assert body["events"][0]["status"] == "pending"
        assert (body["refunded_amount"], body["returns"]) == ("0.00", [])
        assert uuid.UUID(body["id"]) and body["expires_at"]
        assert stock(product) == 2

    def test_anonymous_is_401(self, api_client):
        assert api_client.post(CREATE, {"shipping_address_id": 1}).status_code == 401

    def test_empty_cart_is_400(self, auth_client, user):
        response = auth_client.post(CREATE, {"shipping_address_id": AddressFactory(user=user).pk})
        assert response.status_code == 400
        assert response.json()["code"] == "empty_cart"

    def test_insufficient_stock_is_409_with_lines(self, auth_client, user):
        product = ProductFactory(stock=2)
        auth_client.post(reverse("cart:add"), {"product_id": product.pk, "quantity": 2})
        set_stock(product, 1)
        response = auth_client.post(CREATE, {"shipping_address_id": AddressFactory(user=user).pk})
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "insufficient_stock"
        assert body["lines"] == [shortage(product, requested=2, available=1)]
        assert stock(product) == 1

    def test_invalid_coupon_is_400_with_reason(self, auth_client, user):
        product = ProductFactory()
        CouponFactory(code="OLD", is_active=False)
        auth_client.post(reverse("cart:add"), {"product_id": product.pk})
        response = auth_client.post(CREATE, {"shipping_address_id": AddressFactory(user=user).pk, "coupon_code": "old"})
        assert response.status_code == 400
        assert (response.json()["code"], response.json()["reason"]) == ("coupon_invalid", "inactive")

    def test_other_users_address_is_400(self, auth_client, other_user):
        product = ProductFactory()
        auth_client.post(reverse("cart:add"), {"product_id": product.pk})
        response = auth_client.post(CREATE, {"shipping_address_id": AddressFactory(user=other_user).pk})
        assert response.status_code == 400
        assert "shipping_address_id" in response.json()

    @pytest.mark.parametrize(
        "body",
        [
            {},
            {"shipping_address_id": "abc"},
            {"shipping_address_id": -1},
            {"shipping_address_id": 1, "notes": "x" * 1001},
        ],
    )
    def test_bad_input_is_400(self, auth_client, body):
        assert auth_client.post(CREATE, body, format="json").status_code == 400

    def test_a_business_gives_its_tin_for_the_receipt(self, auth_client, user):
        auth_client.post(reverse("cart:add"), {"product_id": ProductFactory().pk})
        body = {"shipping_address_id": AddressFactory(user=user).pk, "buyer_tin": "0012345678"}
        response = auth_client.post(CREATE, body, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["buyer_tin"] == "0012345678"
        assert Order.objects.get(pk=response.json()["id"]).buyer_tin == "0012345678"

    @pytest.mark.parametrize(
        "tin",
        ["001234567", "00123456789", "0012 34567", "001234567X", "٠٠١٢٣٤٥٦٧٨", "００１２３４５６７８", "-012345678"],
        ids=["nine", "eleven", "space", "letter", "arabic-indic", "fullwidth", "sign"],
    )
    def test_a_tin_that_is_not_ten_ascii_digits_is_400_and_nothing_is_written(self, auth_client, user, tin):
        product = ProductFactory(stock=3)
        auth_client.post(reverse("cart:add"), {"product_id": product.pk})
        body = {"shipping_address_id": AddressFactory(user=user).pk, "buyer_tin": tin}
        response = auth_client.post(CREATE, body, format="json")
        assert response.status_code == 400
        assert response.json() == {
            "buyer_tin": ["A TIN is exactly ten digits, 0 to 9, with no spaces or other characters."]
        }
        assert not Order.objects.exists() and stock(product) == 3

    def test_idempotency_key_replays(self, auth_client, user):
        product = ProductFactory(stock=5)
        address = AddressFactory(user=user)
        auth_client.post(reverse("cart:add"), {"product_id": product.pk})
        first = auth_client.post(CREATE, {"shipping_address_id": address.pk}, HTTP_IDEMPOTENCY_KEY="checkout-42")
        again = auth_client.post(CREATE, {"shipping_address_id": address.pk}, HTTP_IDEMPOTENCY_KEY="checkout-42")
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["id"] == again.json()["id"]
        assert Order.objects.count() == 1 and stock(product) == 4

    @pytest.mark.parametrize("key", ["", "has space", "x" * 101, "ключ"])
    def test_bad_idempotency_key_is_400(self, auth_client, key):
        response = auth_client.post(CREATE, {"shipping_address_id": 1}, HTTP_IDEMPOTENCY_KEY=key)
        assert response.status_code == 400
        assert "Idempotency-Key" in response.json()


class TestOrderRead:
    def test_list_shows_own_orders_staff_see_all(self, auth_client, staff_client, user, other_user):
        mine = place_order(user=user)
        place_order(user=other_user)
        body = auth_client.get(LIST).json()
        assert [o["id"] for o in body["results"]] == [str(mine.pk)]
        assert staff_client.get(LIST).json()["count"] == 2

    def test_status_filter(self, auth_client, user):
        pending = place_order(user=user)
        cancelled = place_order(user=user)
        auth_client.post(url("cancel", cancelled))
        assert [o["id"] for o in auth_client.get(LIST, {"status": "pending"}).json()["results"]] == [str(pending.pk)]
        assert [o["id"] for o in auth_client.get(LIST, {"status": "cancelled"}).json()["results"]] == [
            str(cancelled.pk)
        ]

    def test_bad_status_filter_is_400(self, auth_client):
        response = auth_client.get(LIST, {"status": "lost"})
        assert response.status_code == 400
        assert "status" in response.json()

    def test_detail_owner_staff_and_others(self, auth_client, other_client, staff_client, api_client, user):
        order = place_order(user=user)
        assert auth_client.get(url("detail", order)).status_code == 200
        assert staff_client.get(url("detail", order)).status_code == 200
        assert other_client.get(url("detail", order)).status_code == 404
        assert api_client.get(url("detail", order)).status_code == 401
        assert auth_client.get(reverse("orders:detail", args=[uuid.uuid4()])).status_code == 404

    def test_list_query_count_is_constant(self, auth_client, user, django_assert_max_num_queries):
        for _ in range(5):
            place_order(user=user)
        with django_assert_max_num_queries(6):  # user, count, orders, items, events, returns
            assert len(auth_client.get(LIST).json()["results"]) == 5


class TestOrderCancel:
    def test_owner_cancels_pending_order_returning_stock_and_coupon(self, auth_client, user):
        product = ProductFactory(stock=5)
        coupon = CouponFactory(code="TEN", usage_limit=3)
        order = place_order(user=user, lines=[(product, 2)], coupon_code="TEN")
        assert stock(product) == 3
        response = auth_client.post(url("cancel", order), {"note": "Changed my mind"})
        assert response.status_code == 200
        assert response.json()["status"] == "cancelled"
        assert response.json()["events"][-1] == {
            "type": "cancelled",
            "status": "cancelled",
            "payment_status": "unpaid",
            "note": "Changed my mind",
            "created_at": response.json()["events"][-1]["created_at"],
        }
        assert stock(product) == 5
        coupon.refresh_from_db()
        assert coupon.times_used == 0
        assert not CouponRedemption.objects.exists()

    def test_cancelling_twice_returns_stock_once(self, auth_client, user):
        product = ProductFactory(stock=5)
        order = place_order(user=user, lines=[(product, 2)])
        assert auth_client.post(url("cancel", order)).status_code == 200
        second = auth_client.post(url("cancel", order))
        assert second.status_code == 400
        assert second.json()["code"] == "invalid_transition"
        assert stock(product) == 5
        assert OrderEvent.objects.filter(order=order, status="cancelled").count() == 1

    def test_owner_cannot_cancel_confirmed_order(self, auth_client, user):
        order = place_order(user=user)
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.CONFIRMED)
        response = auth_client.post(url("cancel", order))
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_transition"

    def test_other_user_gets_404(self, other_client, user):
        order = place_order(user=user)
        assert other_client.post(url("cancel", order)).status_code == 404
        order.refresh_from_db()
        assert order.status == "pending"


class TestOrderStatusUpdate:
    def test_customer_is_403(self, auth_client, user):
        order = place_order(user=user)
        assert auth_client.patch(url("update-status", order), {"status": "confirmed"}).status_code == 403

    def test_staff_walks_the_state_machine_with_events(self, staff_client, staff, user):
        order = place_order(user=user)
        order_payment_received(order_id=order.pk, payment_ref="tx-1")
        for status in ["processing", "shipped", "delivered"]:
            response = staff_client.patch(url("update-status", order), {"status": status, "note": f"to {status}"})
            assert response.status_code == 200, response.json()
            assert response.json()["status"] == status
        events = list(
            OrderEvent.objects.filter(order=order).values_list("type", "from_status", "status", "actor", "note")
        )
        assert events == [
            ("placed", "pending", "pending", user.pk, "Order placed."),
            ("payment_succeeded", "pending", "confirmed", None, "Payment tx-1 verified."),
            ("status_changed", "confirmed", "processing", staff.pk, "to processing"),
            ("status_changed", "processing", "shipped", staff.pk, "to shipped"),
            ("status_changed", "shipped", "delivered", staff.pk, "to delivered"),
        ]

    def test_staff_cannot_confirm_an_unpaid_order(self, staff_client, user):
        # Finding 18: only money confirms an order; an unpaid Chapa order cannot be shipped by hand.
        order = place_order(user=user)
        response = staff_client.patch(url("update-status", order), {"status": "confirmed"})
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_transition"
        order.refresh_from_db()
        assert (order.status, order.payment_status) == ("pending", "unpaid")
        assert not OrderEvent.objects.filter(order=order).exclude(type="placed").exists()

    def test_cancelling_a_paid_zero_total_order_owes_nothing(self, staff_client, user):
        # Finding 17: a fully discounted order has nothing to refund once cancelled.
        CouponFactory(code="FREE", discount_type="percentage", value=Decimal("100"))
        order = place_order(user=user, coupon_code="FREE")
        assert (order.status, order.payment_status, order.total) == ("confirmed", "paid", Decimal("0.00"))
        response = staff_client.patch(url("update-status", order), {"status": "cancelled"})
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["payment_status"]) == ("cancelled", "refunded")

    @pytest.mark.parametrize(
        ("start", "target"),
        [
            ("pending", "shipped"),
            ("pending", "delivered"),
            ("pending", "pending"),
            ("shipped", "cancelled"),
            ("delivered", "processing"),
            ("cancelled", "pending"),
            ("cancelled", "confirmed"),
            ("cancelled", "cancelled"),
            ("shipped", "processing"),
        ],
    )
    def test_transitions_outside_the_machine_are_400(self, staff_client, user, start, target):
        order = place_order(user=user)
        # A delivered order is a paid one (the database allows no other).
        paid = {"payment_status": PaymentStatus.PAID} if start == "delivered" else {}
        Order.objects.filter(pk=order.pk).update(status=start, **paid)
        response = staff_client.patch(url("update-status", order), {"status": target})
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_transition"
        order.refresh_from_db()
        assert order.status == start

    def test_unknown_status_is_400(self, staff_client, user):
        order = place_order(user=user)
        assert staff_client.patch(url("update-status", order), {"status": "lost"}).status_code == 400

    def test_staff_cancel_of_paid_order_marks_refund_pending_and_returns_stock(self, staff_client, user):
        product = ProductFactory(stock=3)
        order = place_order(user=user, lines=[(product, 3)])
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.PROCESSING, payment_status=PaymentStatus.PAID)
        response = staff_client.patch(url("update-status", order), {"status": "cancelled", "note": "Out of region"})
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["payment_status"]) == ("cancelled", "refund_pending")
        assert stock(product) == 3
