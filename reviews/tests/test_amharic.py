"""Reviews in Amharic: who may review, said in the customer's language; the staff's
moderation in the admin."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from products.tests.factories import ProductFactory
from reviews.models import Review
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db

AMHARIC = {"HTTP_ACCEPT_LANGUAGE": "am"}


def test_a_review_by_someone_who_did_not_buy_is_refused_in_amharic(auth_client):
    product = ProductFactory()

    with translation.override("am"):
        response = auth_client.post(reverse("reviews:list"), {"product": product.pk, "rating": 5}, **AMHARIC)

    assert response.status_code == 403
    assert response.json() == {
        "detail": "ይህን ምርት መገምገም የሚችሉት በተከፈለበት ትዕዛዝ የገዙት ደንበኞች ብቻ ናቸው።",
        "code": "not_purchased",
    }


def test_hiding_reviews_in_the_admin_says_how_many_in_amharic(staff):
    reviews = [ReviewFactory(), ReviewFactory()]
    client = Client()
    client.force_login(staff)

    with translation.override("am"):
        page = client.post(
            reverse("admin:reviews_review_changelist"),
            {"action": "hide_reviews", "_selected_action": [review.pk for review in reviews]},
            follow=True,
            **AMHARIC,
        )

    assert "2 ግምገማዎች ተደብቀዋል።" in page.content.decode()
    assert not Review.objects.filter(is_visible=True).exists()


def test_a_review_is_named_in_amharic_where_the_admin_lists_it():
    review = ReviewFactory(rating=4)

    with translation.override("am"):
        assert str(review) == f"4★ {review.product}፣ በ{review.user}"
