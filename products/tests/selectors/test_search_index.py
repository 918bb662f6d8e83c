import pytest
from django.db import connection

from ecommerce.common.folding import fold
from products.filters import ProductFilter
from products.models import Product
from products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def plan_and_titles(search: str) -> tuple[str, list[str]]:
    qs = ProductFilter({"search": search}, queryset=Product.objects.all()).qs.order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would otherwise be scanned
        plan = qs.explain()
    return plan, sorted(p.title for p in qs)


def test_search_sql_matches_the_trigram_index(postgres):
    """The GIN index is on the folded column exactly as the search's LIKE reads it; if either
    side changed, PostgreSQL could no longer use it and search would scan the whole catalog."""
    ProductFactory(title="Wireless speaker", description="Loud")
    ProductFactory(title="Lamp", description="Fits any speaker stand")
    ProductFactory(title="Kettle", description="Boils")
    plan, titles = plan_and_titles("SPEAKER")
    assert "Bitmap Index Scan on product_search_text_trgm_idx" in plan
    assert titles == ["Lamp", "Wireless speaker"]


def test_amharic_search_reads_the_index_by_its_trigrams(postgres):
    """pg_trgm makes trigrams of letters only, as the database's LC_CTYPE classes them: under
    the C locale no Ethiopic character is a letter, and an Amharic query would read the whole
    index. A UTF-8 locale (C.UTF-8, en_US.UTF-8) knows them."""
    ProductFactory(title="ሀበሻ ቀሚስ", description="የጥጥ")
    ProductFactory(title="ቡና", description="ከሲዳማ")
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm(%s)", [fold("ሐበሻ")])
        assert len(cursor.fetchone()[0]) >= 3
    plan, titles = plan_and_titles("ሐበሻ")
    assert "Bitmap Index Scan on product_search_text_trgm_idx" in plan
    assert titles == ["ሀበሻ ቀሚስ"]
