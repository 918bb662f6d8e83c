from django.contrib.auth.management import create_permissions
from django.db import migrations

SHOP_STAFF = "Shop staff"
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
    # Permissions are normally made after all migrations ran; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=SHOP_STAFF)
    for app_label, codenames in PERMISSIONS.items():
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


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
