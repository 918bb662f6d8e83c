"""Coupons in Amharic: why a coupon does not apply, in the customer's words; the `reason` a
program reads stays as it is."""

import pytest
from django.urls import reverse
from django.utils import translation

from coupons.tests.factories import CouponFactory

pytestmark = pytest.mark.django_db

AMHARIC = {"HTTP_ACCEPT_LANGUAGE": "am"}


def test_a_coupon_that_does_not_apply_says_why_in_amharic(auth_client):
    CouponFactory(code="BUNA20", is_active=False)

    with translation.override("am"):
        response = auth_client.post(reverse("coupons:validate"), {"code": "buna20", "subtotal": "100"}, **AMHARIC)

    assert response.json() == {"valid": False, "code": "BUNA20", "reason": "inactive", "detail": "ይህ ኩፖን ንቁ አይደለም።"}


def test_a_taken_code_is_refused_in_amharic(staff_client):
    CouponFactory(code="BUNA20")
    coupon = {
        "code": "Buna20",
        "discount_type": "percentage",
        "value": "10",
        "valid_from": "2026-01-01T00:00:00Z",
        "valid_to": "2027-01-01T00:00:00Z",
    }

    with translation.override("am"):
        response = staff_client.post(reverse("coupons:list"), coupon, **AMHARIC)

    assert response.status_code == 400
    assert response.json()["code"] == ["በዚህ ኮድ ኩፖን አስቀድሞ አለ።"]
