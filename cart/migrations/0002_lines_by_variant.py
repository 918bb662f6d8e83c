from django.db import migrations, models


def lines_to_default_variants(apps, schema_editor):
    """Each cart line of a product is now a line of that product's default variant."""
    CartItem = apps.get_model("cart", "CartItem")
    Variant = apps.get_model("products", "Variant")
    default = Variant.objects.filter(product_id=models.OuterRef("product_id"), options_key="")
    CartItem.objects.update(variant_id=models.Subquery(default.values("pk")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("cart", "0001_initial"),
        ("products", "0004_variants_and_stock_ledger"),
    ]

    operations = [
        migrations.AddField(
            model_name="cartitem",
            name="variant",
            field=models.ForeignKey(
                null=True, on_delete=models.deletion.CASCADE, related_name="cart_items", to="products.variant"
            ),
        ),
        migrations.RunPython(lines_to_default_variants, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="cartitem", name="cart_item_one_line_per_product"),
        migrations.RemoveField(model_name="cartitem", name="product"),
        migrations.AlterField(
            model_name="cartitem",
            name="variant",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE, related_name="cart_items", to="products.variant"
            ),
        ),
        migrations.AddConstraint(
            model_name="cartitem",
            constraint=models.UniqueConstraint(fields=("cart", "variant"), name="cart_item_one_line_per_variant"),
        ),
    ]
