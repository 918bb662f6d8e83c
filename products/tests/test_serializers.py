"""The catalog's output serializers answer through a plan for speed: held here to exactly what
DRF's generic path makes of the same declared fields."""

from decimal import Decimal

import pytest
from django.utils import translation
from rest_framework.test import APIRequestFactory

from ecommerce.common.tests.serializers import drf_representation
from products import selectors
from products.models import ProductImage
from products.serializers import (
    ProductDetailOutputSerializer,
    ProductImageOutputSerializer,
    ProductListStaffOutputSerializer,
    ProductOutputSerializer,
    ProductStaffOutputSerializer,
    VariantOutputSerializer,
)
from products.services import product_update, variant_update
from products.tests.factories import ProductFactory, product_with_sizes
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "am"])
def test_the_fast_paths_make_what_drf_makes_of_the_declared_fields(language):
    translation.activate(language)
    sized = product_with_sizes(sizes=("S", "M"), price=Decimal("1299.5"))
    size = {"name": "Size", "values": ["S", "M"], "translations": {"am": {"name": "መጠን", "values": ["ትንሽ", ""]}}}
    product_update(product=sized, data={"translations": {"am": {"title": "ቀሚስ"}}, "options": [size]})
    variant_update(variant=sized.variants.first(), data={"price": Decimal("1400.10")})
    ReviewFactory(product=sized, rating=4)
    hidden = ProductFactory(title="ጀበና", description="", is_active=False)
    product_update(product=hidden, data={"is_active": False})
    made = {"thumbnail": "p/1-200.webp", "medium": "p/1-600.webp", "large": "p/1-1200.webp", "renditions": "ready"}
    ProductImage.objects.create(product=sized, file="p/1.jpg", width=4, height=3, alt="ጀበና", **made)
    ProductImage.objects.create(product=sized, file="p/2.png", width=4, height=3, position=1)  # still pending
    # Image addresses are built from the request (https, another host: nothing hard-wired).
    context = {"request": APIRequestFactory().get("/api/products/", secure=True, HTTP_HOST="localhost:8443")}
    for product in selectors.product_list(include_inactive=True):
        for serializer_class in (
            ProductOutputSerializer,
            ProductDetailOutputSerializer,
            ProductListStaffOutputSerializer,
            ProductStaffOutputSerializer,
        ):
            serializer = serializer_class(context=context)
            assert serializer.to_representation(product) == drf_representation(serializer, product)
        for image in product.images.all():
            serializer = ProductImageOutputSerializer(context=context)
            assert serializer.to_representation(image) == drf_representation(serializer, image)
        for variant in product.variants.all():
            serializer = VariantOutputSerializer()
            assert serializer.to_representation(variant) == drf_representation(serializer, variant)
    shown = ProductDetailOutputSerializer(sized, context=context).data["images"]
    assert [(i["url"], i["large"], i["renditions"]) for i in shown] == [
        ("https://localhost:8443/media/p/1.jpg", "https://localhost:8443/media/p/1-1200.webp", "ready"),
        ("https://localhost:8443/media/p/2.png", None, "pending"),
    ]
