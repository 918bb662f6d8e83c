"""Search on a folded copy of the title and description (Product.search_text).

`search=` folds the query (ecommerce.common.folding) and looks for it in the folded copy, so
that the spellings Amharic writers mix find each other. This fills the column for the
products there are and, on PostgreSQL, puts the trigram index on it in place of the two on
UPPER(title) and UPPER(description), which nothing reads any more.
"""

from django.db import migrations, models

from ecommerce.common.folding import search_text

OLD_INDEXES = {
    "product_title_trgm_idx": "UPPER((title)::text)",
    "product_description_trgm_idx": "UPPER(description)",
}
NEW_INDEXES = {"product_search_text_trgm_idx": "search_text"}


def fill(apps, schema_editor):
    Product = apps.get_model("products", "Product")
    batch = []
    for product in Product.objects.only("pk", "title", "description").order_by("pk").iterator(chunk_size=2000):
        product.search_text = search_text(product.title, product.description)
        batch.append(product)
        if len(batch) == 2000:
            Product.objects.bulk_update(batch, ["search_text"])
            batch = []
    Product.objects.bulk_update(batch, ["search_text"])


def _swap(schema_editor, *, drop: dict, create: dict) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in drop:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, expression in create.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON products_product USING gin ({expression} gin_trgm_ops)"
        )


def index_folded(apps, schema_editor):
    _swap(schema_editor, drop=OLD_INDEXES, create=NEW_INDEXES)
    if schema_editor.connection.vendor == "postgresql":
        # Statistics of the new column now, or the planner guesses how many rows a search
        # matches (10, whatever the term) until autovacuum comes by.
        schema_editor.execute("ANALYZE products_product")


def index_plain(apps, schema_editor):
    _swap(schema_editor, drop=NEW_INDEXES, create=OLD_INDEXES)


class Migration(migrations.Migration):
    dependencies = [("products", "0009_productimage_renditions")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index_folded, index_plain),
    ]
