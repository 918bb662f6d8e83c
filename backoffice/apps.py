from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class BackofficeConfig(AppConfig):
    """What a shop owner opens every morning: the admin's dashboard and the staff roles. It reads
    across orders, payments and stock, so it sits above every other app."""

    name = "backoffice"
    default = True
    default_auto_field = "django.db.models.BigAutoField"


class ShopAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the shop's site (INSTALLED_APPS names it instead of django.contrib.admin)."""

    default = False
    default_site = "backoffice.site.ShopAdminSite"
