"""What the Shop staff group's migrations share (not a migration: its name starts with `_`)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SHOP_STAFF = "Shop staff"


def add_permissions(apps, group_name: str, permissions: dict[str, list[str]]) -> None:
    # Permissions are normally made after all migrations ran; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for app_label, codenames in permissions.items():
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


def remove_permissions(apps, group_name: str, permissions: dict[str, list[str]]) -> None:
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name=group_name):
        for app_label, codenames in permissions.items():
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )


def shop_staff_grant(permissions: dict[str, list[str]]) -> migrations.RunPython:
    """A migration step that gives the Shop staff group `permissions`, and takes them back when
    the migration is reversed."""

    def forwards(apps, schema_editor):
        add_permissions(apps, SHOP_STAFF, permissions)

    def backwards(apps, schema_editor):
        remove_permissions(apps, SHOP_STAFF, permissions)

    return migrations.RunPython(forwards, backwards)
