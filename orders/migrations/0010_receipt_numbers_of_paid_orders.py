from django.db import migrations, models


def number_paid_orders(apps, schema_editor):
    """Orders paid before receipts were numbered get their numbers in the order they were paid,
    and the receipt sequence goes on from the last of them."""
    Order = apps.get_model("orders", "Order")
    DocumentCounter = apps.get_model("orders", "DocumentCounter")
    counter, _ = DocumentCounter.objects.get_or_create(name="receipt")
    for order in Order.objects.filter(paid_at__isnull=False, receipt_number__isnull=True).order_by("paid_at", "pk"):
        counter.last += 1
        order.receipt_number = f"R-{counter.last:06d}"
        order.save(update_fields=["receipt_number"])
    counter.save(update_fields=["last"])


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0009_order_receipt_number_buyer_tin"),
    ]

    operations = [
        migrations.RunPython(number_paid_orders, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.CheckConstraint(
                condition=models.Q(("paid_at__isnull", True), ("receipt_number__isnull", False), _connector="OR"),
                name="order_paid_has_receipt_number",
            ),
        ),
    ]
