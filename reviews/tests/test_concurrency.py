from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from ecommerce.common.tests.concurrency import run_concurrently
from products.tests.factories import ProductFactory
from reviews.tests.factories import buy
from users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]


def test_simultaneous_reviews_are_all_counted_in_the_rating():
    product = ProductFactory(stock=100)
    buyers = [UserFactory() for _ in range(12)]
    for buyer in buyers:
        buy(user=buyer, product=product)
    ratings = [1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 5, 5]

    def review(buyer, rating):
        return lambda: (
            client_for(buyer).post(reverse("reviews:list"), {"product": product.pk, "rating": rating}).status_code
        )

    results = run_concurrently([review(b, r) for b, r in zip(buyers, ratings, strict=True)])

    assert results == [201] * 12
    product.refresh_from_db()
    assert product.review_count == 12
    assert product.rating_avg == (Decimal(sum(ratings)) / 12).quantize(Decimal("0.01"))
