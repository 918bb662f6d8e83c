import pytest
from django.db import connection

from products.filters import ProductFilter
from products.models import Product
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_search_sql_matches_the_trigram_indexes(postgres):
    """The GIN indexes are on the exact expressions Django's icontains produces; if either side
    changed, PostgreSQL could no longer use them and search would scan the whole catalog."""
    ProductFactory(title="Wireless speaker", description="Loud")
    ProductFactory(title="Lamp", description="Fits any speaker stand")
    ProductFactory(title="Kettle", description="Boils")
    qs = ProductFilter({"search": "speaker"}, queryset=Product.objects.all()).qs.order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would otherwise be scanned
        plan = qs.explain()
    assert "Bitmap Index Scan on product_title_trgm_idx" in plan
    assert "Bitmap Index Scan on product_description_trgm_idx" in plan
    assert sorted(p.title for p in qs) == ["Lamp", "Wireless speaker"]
