from django.db import migrations

from backoffice.migrations._group import add_permissions, remove_permissions

SHOP_STAFF = "Shop staff"
# Day-to-day staff answer returns (approve, reject, receive: the change permission) and see the
# refunds; refunding itself is orders.refund, which the group already holds.
PERMISSIONS = {
    "orders": ["view_return", "change_return", "view_returnline", "view_returnevent"],
    "payments": ["view_refund"],
}


def forwards(apps, schema_editor):
    add_permissions(apps, SHOP_STAFF, PERMISSIONS)


def backwards(apps, schema_editor):
    remove_permissions(apps, SHOP_STAFF, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0002_shop_staff_actions"),
        ("orders", "0011_returns_and_refunded_amount"),
        ("payments", "0005_refunds"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
