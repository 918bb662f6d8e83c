from django.db import migrations

from backoffice.migrations._group import add_permissions, remove_permissions

SHOP_STAFF = "Shop staff"
# The actions that are not plain edits, now permissions of their own: day-to-day staff record
# cash, refund and adjust stock, as they did when being staff was enough.
PERMISSIONS = {"orders": ["record_payment", "refund"], "products": ["adjust_stock"]}


def forwards(apps, schema_editor):
    add_permissions(apps, SHOP_STAFF, PERMISSIONS)


def backwards(apps, schema_editor):
    remove_permissions(apps, SHOP_STAFF, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0001_shop_staff_group"),
        ("orders", "0005_permissions"),
        ("products", "0008_permissions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
