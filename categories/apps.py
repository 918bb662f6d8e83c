from django.apps import AppConfig


class CategoriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "categories"

    def ready(self) -> None:
        from categories import signals  # noqa: F401 - connects the cache invalidation
