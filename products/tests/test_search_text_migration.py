"""The migration to the folded search copy, run forwards on a database that already has
products: each gets its folded title and description, and on PostgreSQL the trigram index
moves to the folded copy."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("products", "0009_productimage_renditions")]
AFTER = [("products", "0010_product_search_text")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def trigram_indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'products_product' AND indexdef ~ 'gin'")
        return {row[0] for row in cursor.fetchall()}


def test_existing_products_get_their_folded_copy():
    old = migrate(BEFORE)
    try:
        # given products written before the column existed
        category = old.get_model("categories", "Category").objects.create(name="Fashion", slug="fashion")
        made = old.get_model("products", "Product").objects.create
        kemis = made(title="ሐበሻ ቀሚስ", slug="kemis", description="የጥጥ፡ቀሚስ።", base_price=Decimal(1), category=category)
        shoes = made(title="Leather SHOES", slug="shoes", base_price=Decimal(1), category=category)
        if connection.vendor == "postgresql":
            assert {"product_title_trgm_idx", "product_description_trgm_idx"} <= trigram_indexes()

        # when the migration runs forwards
        new = migrate(AFTER)

        # then each has its folded copy, and the stored text is as it was
        product = new.get_model("products", "Product").objects.get
        assert product(pk=kemis.pk).search_text == "ሀበሻ ቀሚስ\nየጥጥ ቀሚስ"
        assert product(pk=kemis.pk).title == "ሐበሻ ቀሚስ"
        assert product(pk=shoes.pk).search_text == "leather shoes"
        if connection.vendor == "postgresql":
            assert trigram_indexes() == {"product_search_text_trgm_idx"}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
