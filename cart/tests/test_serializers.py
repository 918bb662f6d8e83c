"""The cart's output serializers answer through a plan for speed: held here to exactly what DRF's
generic path makes of the same declared fields."""

from decimal import Decimal

import pytest
from rest_framework.test import APIRequestFactory

from cart import selectors
from cart.serializers import CartOutputSerializer
from cart.services import cart_item_add
from ecommerce.common.tests.serializers import drf_representation
from products.models import ProductImage
from products.tests.factories import ProductFactory, default_variant, product_with_sizes

pytestmark = pytest.mark.django_db


def test_the_fast_path_makes_what_drf_makes_of_the_declared_fields(user):
    sized = product_with_sizes(sizes=("S", "M"), price=Decimal("1299.5"))
    pictured = ProductFactory(title="ጀበና", price=Decimal("350.00"))
    ProductImage.objects.create(product=pictured, file="products/jebena.jpg", width=640, height=480, alt="ጀበና")
    for variant in sized.variants.all():
        cart_item_add(user=user, variant_id=variant.pk, quantity=2)
    cart_item_add(user=user, variant_id=default_variant(pictured).pk)

    contents = selectors.cart_get(user=user)
    assert len(contents.items) == 3
    request = APIRequestFactory().get("/api/cart/", secure=True, HTTP_HOST="localhost:8443")
    serializer = CartOutputSerializer(context={"request": request})
    assert serializer.to_representation(contents) == drf_representation(serializer, contents)
    image = serializer.to_representation(contents)["items"][2]["product"]["image"]
    assert (image["alt"], image["url"]) == ("ጀበና", "https://localhost:8443/media/products/jebena.jpg")
