from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CategoriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "categories"
    verbose_name = _("Categories")

    def ready(self) -> None:
        from categories import signals  # noqa: F401 - connects the cache invalidation
