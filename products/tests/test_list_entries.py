"""The public list's entries as PostgreSQL renders them (products.list_entries) are what the
list's serializer makes of the same products: field for field, in both languages, for products
with options and their translations, variants priced their own way or their product's,
inactive variants, images made and pending, no image, reviews, times with and without
microseconds."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone, translation
from rest_framework.test import APIRequestFactory

from categories.services import category_update
from products import selectors
from products.list_entries import media_prefix, product_entries
from products.models import Product, ProductImage
from products.serializers import ProductOutputSerializer
from products.services import product_update, variant_create, variant_update
from products.tests.factories import ProductFactory, product_with_sizes
from reviews.tests.factories import ReviewFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL renders the entries"),
]


@pytest.fixture
def catalog():
    sized = product_with_sizes(sizes=("S", "M", "L"), price=Decimal("1299.5"))
    size = {
        "name": "Size",
        "values": ["S", "M", "L"],
        "translations": {"am": {"name": "መጠን", "values": ["ትንሽ", "", ""]}},  # "M" and "L" untranslated
    }
    product_update(
        product=sized,
        data={"translations": {"am": {"title": "ቀሚስ", "description": ""}}, "options": [size]},
    )
    first, second, third = sized.variants.order_by("pk")
    variant_update(variant=first, data={"price": Decimal("1400.10")})
    variant_update(variant=third, data={"is_active": False})
    category_update(category=sized.category, data={"translations": {"am": {"name": "ልብስ"}}})
    ReviewFactory(product=sized, rating=4)
    made = {"thumbnail": "p/1-200.webp", "medium": "p/1-600.webp", "large": "p/1-1200.webp", "renditions": "ready"}
    ProductImage.objects.create(product=sized, file="p/1.jpg", width=4, height=3, alt="ጀበና", position=1, **made)
    ProductImage.objects.create(product=sized, file="p/2.png", width=4, height=3, position=0)  # pending, first
    coloured = ProductFactory(
        title='Coffee "Yirgacheffe" \\ 1kg', description="line\nbreak\ttab", price=Decimal("0"), stock=0
    )
    colour = {"name": "Colour", "values": ["Red", "Blue"], "translations": {"am": {"values": ["ቀይ", "ሰማያዊ"]}}}
    product_update(product=coloured, data={"options": [colour]})
    variant_create(product=coloured, sku="COL-RED", options={"Colour": "Red"}, stock=0)
    variant_create(product=coloured, sku="COL-BLUE", options={"Colour": "Blue"}, stock=3, price=Decimal("12.34"))
    ProductImage.objects.create(product=coloured, file="p/3.jpg", width=1, height=1, alt="", renditions="failed")
    # Whole seconds: DRF then writes no fraction.
    Product.objects.filter(pk=coloured.pk).update(created_at=datetime(2026, 12, 1, 21, 30, tzinfo=UTC))
    ProductFactory(title="Plain", stock=0)
    return Product.objects.count()


@pytest.mark.parametrize("language", ["en", "am"])
@pytest.mark.parametrize("host", [{}, {"secure": True, "HTTP_HOST": "localhost:8443"}])
def test_each_entry_is_what_the_serializer_makes_of_it(catalog, language, host):
    request = APIRequestFactory().get("/api/products/", **host)
    with translation.override(language), timezone.override(UTC):
        products = selectors.product_list()
        expected = ProductOutputSerializer(products, many=True, context={"request": request}).data
        rendered = product_entries(selectors.product_list()[:100], language=language, media=media_prefix(request))
    assert len(expected) == catalog
    assert [json.loads(entry) for entry in rendered] == [json.loads(json.dumps(entry)) for entry in expected]


def test_a_page_is_its_slice_of_the_filtered_and_ordered_list(catalog):
    request = APIRequestFactory().get("/api/products/")
    products = selectors.product_list(filters={"ordering": "price"})
    ids = list(products.values_list("pk", flat=True))
    rendered = product_entries(products[1:3], language="en", media=media_prefix(request))
    assert [json.loads(entry)["id"] for entry in rendered] == ids[1:3]
    assert product_entries(products[50:70], language="en", media=media_prefix(request)) == []


def test_addresses_are_the_storage_prefix_and_the_name():
    request = APIRequestFactory().get("/api/products/", secure=True, HTTP_HOST="localhost")
    assert media_prefix(request) == "https://localhost/media/"
