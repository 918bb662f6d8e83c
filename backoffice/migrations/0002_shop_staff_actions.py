from django.db import migrations

from backoffice.migrations._group import shop_staff_grant

# The actions that are not plain edits, now permissions of their own: day-to-day staff record
# cash, refund and adjust stock, as they did when being staff was enough.
PERMISSIONS = {"orders": ["record_payment", "refund"], "products": ["adjust_stock"]}


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0001_shop_staff_group"),
        ("orders", "0005_permissions"),
        ("products", "0008_permissions"),
    ]

    operations = [shop_staff_grant(PERMISSIONS)]
