"""The category output serializer answers through a plan for speed: held here to exactly what
DRF's generic path makes of the same declared fields."""

import pytest

from categories import selectors
from categories.serializers import CategoryOutputSerializer
from categories.tests.factories import CategoryFactory
from ecommerce.common.tests.serializers import drf_representation
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_the_fast_path_makes_what_drf_makes_of_the_declared_fields():
    coffee = CategoryFactory(name="ቡና", slug="buna", description="")
    ProductFactory(category=coffee)
    CategoryFactory(name="Spices")
    serializer = CategoryOutputSerializer()
    shown = [serializer.to_representation(category) for category in selectors.category_list()]
    assert shown == [drf_representation(serializer, category) for category in selectors.category_list()]
    assert [(c["name"], c["product_count"]) for c in shown] == [("Spices", 0), ("ቡና", 1)]
