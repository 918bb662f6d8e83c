"""Trigram indexes for `?search=` on PostgreSQL.

Django's icontains compiles to `UPPER(col::text) LIKE UPPER('%term%')`; GIN trigram indexes on
exactly those expressions let PostgreSQL answer it without reading every product. SQLite has
no such index: the same query runs there as a scan, with the same results.
"""

from django.db import migrations

INDEXES = {
    "product_title_trgm_idx": "UPPER((title)::text)",
    "product_description_trgm_idx": "UPPER(description)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON products_product USING gin ({expression} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
