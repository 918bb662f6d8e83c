from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coupons.models import MAX_DISCOUNT_ONLY_PERCENTAGE, Coupon
from coupons.services import CODE_TAKEN
from coupons.tests.factories import CouponFactory, CouponRedemptionFactory

pytestmark = pytest.mark.django_db

LIST = reverse("coupons:list")
VALIDATE = reverse("coupons:validate")
PUBLIC_FIELDS = {
    "code",
    "description",
    "discount_type",
    "value",
    "min_purchase",
    "max_discount",
    "valid_from",
    "valid_to",
}


def detail(pk):
    return reverse("coupons:detail", args=[pk])


def new_coupon(**overrides):
    now = timezone.now()
    return {
        "code": "buna20",
        "description": "20% off",
        "discount_type": "percentage",
        "value": "20.00",
        "max_discount": "300.00",
        "min_purchase": "500.00",
        "valid_from": (now - timedelta(hours=1)).isoformat(),
        "valid_to": (now + timedelta(days=7)).isoformat(),
        "usage_limit": 100,
        "per_user_limit": 1,
        **overrides,
    }


class TestCouponList:
    def test_anonymous_is_401(self, api_client):
        assert api_client.get(LIST).status_code == 401

    def test_customers_see_usable_coupons_with_public_fields(self, auth_client):
        usable = CouponFactory(code="OPEN", min_purchase=Decimal("100"))
        CouponFactory(code="OFF", is_active=False)
        CouponFactory(code="LATER", valid_from=timezone.now() + timedelta(days=1))
        CouponFactory(
            code="GONE", valid_to=timezone.now() - timedelta(seconds=1), valid_from=timezone.now() - timedelta(days=2)
        )
        CouponFactory(code="USEDUP", usage_limit=1, times_used=1)
        body = auth_client.get(LIST).json()
        assert [c["code"] for c in body["results"]] == ["OPEN"]
        item = body["results"][0]
        assert set(item) == PUBLIC_FIELDS
        assert (item["value"], item["min_purchase"], item["max_discount"]) == ("10.00", "100.00", None)
        assert item["valid_to"] == usable.valid_to.isoformat().replace("+00:00", "Z")

    def test_customers_do_not_see_coupons_they_have_used_up(self, auth_client, user, other_user):
        once = CouponFactory(code="ONCE", per_user_limit=1)
        twice = CouponFactory(code="TWICE", per_user_limit=2)
        CouponRedemptionFactory(coupon=once, user=user)
        CouponRedemptionFactory(coupon=twice, user=user)
        CouponRedemptionFactory(coupon=twice, user=other_user)
        assert [c["code"] for c in auth_client.get(LIST).json()["results"]] == ["TWICE"]
        CouponRedemptionFactory(coupon=twice, user=user)
        assert auth_client.get(LIST).json()["results"] == []
        assert {c["code"] for c in client_for(other_user).get(LIST).json()["results"]} == {"ONCE", "TWICE"}

    def test_staff_see_all_coupons_with_usage(self, staff_client):
        CouponFactory(code="OPEN", usage_limit=5, times_used=2)
        CouponFactory(code="OFF", is_active=False)
        body = staff_client.get(LIST).json()
        assert body["count"] == 2
        opened = next(c for c in body["results"] if c["code"] == "OPEN")
        assert (opened["usage_limit"], opened["times_used"], opened["is_active"]) == (5, 2, True)


class TestCouponStaffWrites:
    def test_customer_cannot_write(self, auth_client):
        coupon = CouponFactory()
        assert auth_client.post(LIST, new_coupon()).status_code == 403
        assert auth_client.patch(detail(coupon.pk), {"value": "90"}).status_code == 403
        assert auth_client.delete(detail(coupon.pk)).status_code == 403
        assert auth_client.get(detail(coupon.pk)).status_code == 403

    def test_create_normalises_code(self, staff_client):
        response = staff_client.post(LIST, new_coupon())
        assert response.status_code == 201
        body = response.json()
        assert body["code"] == "BUNA20"
        assert body["times_used"] == 0
        assert Coupon.objects.get(pk=body["id"]).per_user_limit == 1

    def test_codes_are_unique_case_insensitively(self, staff_client):
        CouponFactory(code="BUNA20")
        response = staff_client.post(LIST, new_coupon(code="Buna20"))
        assert response.status_code == 400
        assert Coupon.objects.count() == 1

    def test_times_used_is_read_only(self, staff_client):
        response = staff_client.post(LIST, new_coupon(times_used=50))
        assert response.status_code == 400
        assert response.json() == {"times_used": ["Unknown field."]}
        assert not Coupon.objects.exists()

    @pytest.mark.parametrize(
        "overrides",
        [
            {"discount_type": "percentage", "value": "101"},
            {"value": "0"},
            {"value": "-5"},
            {"value": "abc"},
            {"discount_type": "bogus"},
            {"valid_to": (timezone.now() - timedelta(days=30)).isoformat()},
            {"valid_from": "yesterday"},
            {"usage_limit": 0},
            {"per_user_limit": -1},
            {"code": "has space"},
            {"code": "x" * 41},
            {"min_purchase": "-1"},
            {"discount_type": "fixed", "value": "100", "max_discount": "50"},
        ],
    )
    def test_bad_coupons_are_400(self, staff_client, overrides):
        response = staff_client.post(LIST, new_coupon(**overrides))
        assert response.status_code == 400, response.json()
        assert not Coupon.objects.exists()

    def test_a_taken_code_and_a_bad_cap_are_answered_together(self, staff_client):
        CouponFactory(code="BUNA20")
        response = staff_client.post(LIST, new_coupon(discount_type="fixed", value="100", max_discount="50"))
        assert response.status_code == 400
        assert response.json() == {"code": [CODE_TAKEN], "max_discount": [MAX_DISCOUNT_ONLY_PERCENTAGE]}

    def test_fixed_with_cap_message(self, staff_client):
        response = staff_client.post(LIST, new_coupon(discount_type="fixed", value="100", max_discount="50"))
        assert response.json() == {"max_discount": [MAX_DISCOUNT_ONLY_PERCENTAGE]}

    def test_patch_and_delete(self, staff_client):
        coupon = CouponFactory(value=Decimal("10"))
        response = staff_client.patch(detail(coupon.pk), {"value": "25.50", "is_active": False})
        assert response.status_code == 200
        coupon.refresh_from_db()
        assert (coupon.value, coupon.is_active) == (Decimal("25.50"), False)
        assert staff_client.delete(detail(coupon.pk)).status_code == 204
        assert not Coupon.objects.filter(pk=coupon.pk).exists()

    def test_patch_cannot_break_the_percentage_rule(self, staff_client):
        coupon = CouponFactory(value=Decimal("10"))
        assert staff_client.patch(detail(coupon.pk), {"value": "150"}).status_code == 400
        coupon.refresh_from_db()
        assert coupon.value == Decimal("10")

    def test_used_coupon_cannot_be_deleted(self, staff_client):
        redemption = CouponRedemptionFactory()
        response = staff_client.delete(detail(redemption.coupon_id))
        assert response.status_code == 409
        assert Coupon.objects.filter(pk=redemption.coupon_id).exists()

    def test_unknown_coupon_is_404(self, staff_client):
        assert staff_client.get(detail(999999)).status_code == 404


class TestCouponValidate:
    def test_anonymous_is_401(self, api_client):
        assert api_client.post(VALIDATE, {"code": "X", "subtotal": "10"}).status_code == 401

    def test_valid_percentage_with_cap(self, auth_client):
        CouponFactory(code="BIG", value=Decimal("50"), max_discount=Decimal("200"))
        response = auth_client.post(VALIDATE, {"code": "big", "subtotal": "1000.00"})
        assert response.status_code == 200
        assert response.json() == {
            "valid": True,
            "code": "BIG",
            "discount_amount": "200.00",
            "subtotal": "1000.00",
            "total": "800.00",
        }

    def test_fixed_discount_never_exceeds_subtotal(self, auth_client):
        CouponFactory(code="FLAT", discount_type="fixed", value=Decimal("500"))
        body = auth_client.post(VALIDATE, {"code": "FLAT", "subtotal": "120.00"}).json()
        assert (body["discount_amount"], body["total"]) == ("120.00", "0.00")

    @pytest.mark.parametrize(
        ("coupon_kwargs", "subtotal", "reason"),
        [
            (None, "100", "not_found"),
            ({"is_active": False}, "100", "inactive"),
            (
                {"valid_from": timezone.now() + timedelta(days=1), "valid_to": timezone.now() + timedelta(days=2)},
                "100",
                "not_started",
            ),
            (
                {"valid_from": timezone.now() - timedelta(days=2), "valid_to": timezone.now() - timedelta(days=1)},
                "100",
                "expired",
            ),
            ({"usage_limit": 3, "times_used": 3}, "100", "usage_limit_reached"),
            ({"min_purchase": Decimal("500")}, "499.99", "min_purchase_not_met"),
        ],
    )
    def test_reasons(self, auth_client, coupon_kwargs, subtotal, reason):
        if coupon_kwargs is not None:
            CouponFactory(code="CODE", **coupon_kwargs)
        response = auth_client.post(VALIDATE, {"code": "code", "subtotal": subtotal})
        assert response.status_code == 200
        body = response.json()
        assert (body["valid"], body["code"], body["reason"]) == (False, "CODE", reason)
        assert body["detail"]

    def test_user_limit_counts_this_users_redemptions_only(self, auth_client, user, other_user):
        coupon = CouponFactory(code="ONCE", per_user_limit=1)
        CouponRedemptionFactory(coupon=coupon, user=other_user)
        assert auth_client.post(VALIDATE, {"code": "ONCE", "subtotal": "100"}).json()["valid"] is True
        CouponRedemptionFactory(coupon=coupon, user=user)
        body = auth_client.post(VALIDATE, {"code": "ONCE", "subtotal": "100"}).json()
        assert body["reason"] == "user_limit_reached"

    def test_reasons_are_checked_in_contract_order(self, auth_client):
        CouponFactory(code="BOTH", is_active=False, min_purchase=Decimal("1000"))
        assert auth_client.post(VALIDATE, {"code": "BOTH", "subtotal": "1"}).json()["reason"] == "inactive"

    @pytest.mark.parametrize(
        "body",
        [
            {},
            {"code": "X"},
            {"code": "X", "subtotal": "-1"},
            {"code": "X", "subtotal": "abc"},
            {"code": "X", "subtotal": "1e20"},
            {"code": "", "subtotal": "1"},
        ],
    )
    def test_bad_input_is_400(self, auth_client, body):
        assert auth_client.post(VALIDATE, body).status_code == 400


class TestCouponConstraints:
    @pytest.mark.parametrize(
        "update",
        [
            {"times_used": 6},  # above usage_limit=5
            {"value": Decimal("0")},
            {"value": Decimal("150")},  # a percentage above 100
            {"valid_to": timezone.now() - timedelta(days=5)},
            {"min_purchase": Decimal("-1")},
        ],
    )
    def test_database_refuses(self, update):
        coupon = CouponFactory(usage_limit=5)
        with pytest.raises(IntegrityError), transaction.atomic():
            Coupon.objects.filter(pk=coupon.pk).update(**update)

    def test_database_refuses_duplicate_code_in_other_case(self):
        CouponFactory(code="SAME")
        with pytest.raises(IntegrityError), transaction.atomic():
            Coupon.objects.create(
                code="same",
                discount_type="fixed",
                value=1,
                valid_from=timezone.now(),
                valid_to=timezone.now() + timedelta(days=1),
            )
