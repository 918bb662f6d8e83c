from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from orders.tests.factories import place_order
from products.models import Product
from products.tests.factories import ProductFactory, page_queries
from reviews.models import Review
from reviews.services import ALREADY_REVIEWED, NOT_AUTHOR, NOT_PURCHASED, review_set_visibility
from reviews.tests.factories import ReviewFactory, buy
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("reviews:list")


def detail(pk):
    return reverse("reviews:detail", args=[pk])


def rating_of(product) -> tuple[Decimal, int]:
    product = Product.objects.get(pk=product.pk)
    return product.rating_avg, product.review_count


@pytest.fixture
def product():
    return ProductFactory(stock=50)


class TestReviewCreate:
    def test_buyer_reviews_and_product_rating_follows(self, auth_client, user, product):
        buy(user=user, product=product)
        response = auth_client.post(LIST, {"product": product.pk, "rating": 5, "comment": "Great coffee"})
        assert response.status_code == 201
        body = response.json()
        assert body == {
            "id": body["id"],
            "product": product.pk,
            "user": {"id": user.pk, "username": user.username},
            "rating": 5,
            "comment": "Great coffee",
            "verified_purchase": True,
            "created_at": body["created_at"],
            "updated_at": body["updated_at"],
        }
        assert rating_of(product) == (Decimal("5.00"), 1)

    def test_not_bought_is_403(self, auth_client, product):
        response = auth_client.post(LIST, {"product": product.pk, "rating": 5})
        assert response.status_code == 403
        assert response.json() == {"detail": NOT_PURCHASED, "code": "not_purchased"}
        assert not Review.objects.exists()

    def test_unpaid_order_does_not_count(self, auth_client, user, product):
        place_order(user=user, lines=[(product, 1)])
        assert auth_client.post(LIST, {"product": product.pk, "rating": 5}).status_code == 403

    def test_second_review_is_400(self, auth_client, user, product):
        buy(user=user, product=product)
        auth_client.post(LIST, {"product": product.pk, "rating": 5})
        response = auth_client.post(LIST, {"product": product.pk, "rating": 1})
        assert response.status_code == 400
        assert response.json() == {"detail": ALREADY_REVIEWED, "code": "already_reviewed"}
        assert rating_of(product) == (Decimal("5.00"), 1)

    def test_anonymous_is_401(self, api_client, product):
        assert api_client.post(LIST, {"product": product.pk, "rating": 5}).status_code == 401

    @pytest.mark.parametrize(
        "body",
        [
            {"product": None},
            {"product": 999999},
            {"rating": 0},
            {"rating": 6},
            {"rating": "five"},
            {"rating": None},
            {"comment": "x" * 5001},
        ],
    )
    def test_bad_input_is_400(self, auth_client, user, product, body):
        buy(user=user, product=product)
        body = {"product": product.pk, "rating": 3, **body}
        response = auth_client.post(LIST, body, format="json")
        assert response.status_code == 400
        assert not Review.objects.exists()


class TestReviewReadAndFilter:
    def test_public_list_with_filters(self, api_client, product):
        other = ProductFactory()
        five = ReviewFactory(product=product, rating=5)
        ReviewFactory(product=product, rating=3)
        ReviewFactory(product=other, rating=5)
        assert api_client.get(LIST).json()["count"] == 3
        assert api_client.get(LIST, {"product": product.pk}).json()["count"] == 2
        assert [r["id"] for r in api_client.get(LIST, {"product": product.pk, "rating": 5}).json()["results"]] == [
            five.pk
        ]
        assert api_client.get(detail(five.pk)).json()["rating"] == 5

    @pytest.mark.parametrize("params", [{"rating": "6"}, {"rating": "0"}, {"rating": "x"}, {"product": "abc"}])
    def test_bad_filters_are_400(self, api_client, params):
        response = api_client.get(LIST, params)
        assert response.status_code == 400
        assert set(response.json()) == set(params)

    def test_list_query_count_is_constant(self, api_client, django_assert_max_num_queries):
        for _ in range(10):
            ReviewFactory()
        with django_assert_max_num_queries(2):
            assert len(api_client.get(LIST).json()["results"]) == 10

    def test_hidden_reviews_are_seen_by_author_and_staff_only(self, api_client, auth_client, staff_client, user):
        hidden = ReviewFactory(user=user, is_visible=False)
        assert api_client.get(LIST).json()["count"] == 0
        assert api_client.get(detail(hidden.pk)).status_code == 404
        assert auth_client.get(detail(hidden.pk)).status_code == 200
        assert staff_client.get(LIST).json()["count"] == 1


class TestReviewEditDelete:
    def test_author_edits_and_rating_follows(self, auth_client, user, product):
        buy(user=user, product=product)
        review_id = auth_client.post(LIST, {"product": product.pk, "rating": 2}).json()["id"]
        ReviewFactory(product=product, rating=5)
        from reviews.services import product_rating_refresh

        product_rating_refresh(product_id=product.pk)
        assert rating_of(product) == (Decimal("3.50"), 2)
        response = auth_client.patch(detail(review_id), {"rating": 4, "comment": "Better than I thought"})
        assert response.status_code == 200
        assert response.json()["comment"] == "Better than I thought"
        assert rating_of(product) == (Decimal("4.50"), 2)
        assert auth_client.delete(detail(review_id)).status_code == 204
        assert rating_of(product) == (Decimal("5.00"), 1)

    def test_others_get_403_and_nothing_changes(self, other_client, staff_client, user, product):
        review = ReviewFactory(user=user, product=product, rating=2)
        for client in (other_client, staff_client):
            response = client.patch(detail(review.pk), {"rating": 5})
            assert response.status_code == 403
            assert response.json()["detail"] == NOT_AUTHOR
            assert client.delete(detail(review.pk)).status_code == 403
        review.refresh_from_db()
        assert review.rating == 2

    def test_anonymous_edit_is_401(self, api_client):
        review = ReviewFactory()
        assert api_client.patch(detail(review.pk), {"rating": 1}).status_code == 401

    def test_bad_rating_on_edit_is_400(self, auth_client, user):
        review = ReviewFactory(user=user)
        assert auth_client.patch(detail(review.pk), {"rating": 9}).status_code == 400

    def test_moderation_hides_from_rating(self, product):
        shown = ReviewFactory(product=product, rating=5)
        hidden = ReviewFactory(product=product, rating=1)
        review_set_visibility(review_id=hidden.pk, visible=False)
        assert rating_of(product) == (Decimal("5.00"), 1)
        review_set_visibility(review_id=hidden.pk, visible=True)
        assert rating_of(product) == (Decimal("3.00"), 2)
        assert shown.is_visible


class TestProductListShowsRatings:
    def test_ratings_in_listing_without_a_query_per_product(self, api_client, django_assert_num_queries):
        for rating in (3, 4, 5):
            product = ProductFactory()
            buyer = UserFactory()
            buy(user=buyer, product=product)
            from reviews.services import review_create

            review_create(user=buyer, product=product, rating=rating)
        with django_assert_num_queries(1 + page_queries()):  # the count and the page
            results = api_client.get(reverse("products:list"), {"ordering": "-rating_avg"}).json()["results"]
        assert [(r["rating_avg"], r["review_count"]) for r in results] == [("5.00", 1), ("4.00", 1), ("3.00", 1)]


class TestReviewConstraints:
    def test_one_review_per_user_and_product(self):
        review = ReviewFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Review.objects.create(product=review.product, user=review.user, rating=3)

    @pytest.mark.parametrize("rating", [0, 6])
    def test_rating_between_1_and_5(self, rating):
        review = ReviewFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Review.objects.filter(pk=review.pk).update(rating=rating)
