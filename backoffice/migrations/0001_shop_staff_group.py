from django.db import migrations

from backoffice.migrations._group import SHOP_STAFF, add_permissions

# What the people who run the shop day to day may do: orders, payments and stock; not users,
# groups, lockouts or the shop's settings, which stay with the owner (a superuser).
PERMISSIONS = {
    "orders": ["view_order", "change_order", "view_orderitem", "view_orderevent"],
    "payments": ["view_payment", "view_webhookevent"],
    "products": [
        "view_product",
        "add_product",
        "change_product",
        "view_variant",
        "add_variant",
        "change_variant",
        "view_stockmovement",
        "view_productimage",
        "add_productimage",
        "change_productimage",
        "delete_productimage",
    ],
    "categories": ["view_category"],
    "coupons": ["view_coupon", "view_couponredemption"],
    "cart": ["view_cart", "view_cartitem"],
    "reviews": ["view_review", "change_review"],
}


def create_shop_staff(apps, schema_editor):
    add_permissions(apps, SHOP_STAFF, PERMISSIONS)


def remove_shop_staff(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=SHOP_STAFF).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("orders", "0003_order_item_variant"),
        ("payments", "0002_refunds_applied"),
        ("products", "0006_variant_low_stock_threshold"),
        ("categories", "0001_initial"),
        ("coupons", "0003_redemption_order_id"),
        ("cart", "0002_lines_by_variant"),
        ("reviews", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_shop_staff, remove_shop_staff)]
