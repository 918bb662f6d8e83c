"""The catalog's output serializers build their dicts by hand for speed: held here to exactly
what DRF's generic path makes of the same declared fields."""

from decimal import Decimal

import pytest
from rest_framework import serializers

from products import selectors
from products.serializers import ProductOutputSerializer, VariantOutputSerializer
from products.services import product_update, variant_update
from products.tests.factories import ProductFactory, product_with_sizes
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def test_the_fast_paths_make_what_drf_makes_of_the_declared_fields():
    sized = product_with_sizes(sizes=("S", "M"), price=Decimal("1299.5"))
    variant_update(variant=sized.variants.first(), data={"price": Decimal("1400.10")})
    ReviewFactory(product=sized, rating=4)
    hidden = ProductFactory(title="ጀበና", description="", is_active=False)
    product_update(product=hidden, data={"is_active": False})
    for product in selectors.product_list(include_inactive=True):
        serializer = ProductOutputSerializer()
        assert serializer.to_representation(product) == serializers.ModelSerializer.to_representation(
            serializer, product
        )
        for variant in product.variants.all():
            serializer = VariantOutputSerializer()
            assert serializer.to_representation(variant) == serializers.ModelSerializer.to_representation(
                serializer, variant
            )
