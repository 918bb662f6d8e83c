from django.db import migrations

from backoffice.migrations._group import shop_staff_grant

# Day-to-day staff answer returns (approve, reject, receive: the change permission) and see the
# refunds; refunding itself is orders.refund, which the group already holds.
PERMISSIONS = {
    "orders": ["view_return", "change_return", "view_returnline", "view_returnevent"],
    "payments": ["view_refund"],
}


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0002_shop_staff_actions"),
        ("orders", "0011_returns_and_refunded_amount"),
        ("payments", "0005_refunds"),
    ]

    operations = [shop_staff_grant(PERMISSIONS)]
