from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "products"
    verbose_name = _("Products")

    def ready(self) -> None:
        from products import (
            signals,  # noqa: F401 - connects the cache invalidation
            tasks,  # noqa: F401 - services queue its tasks by name
        )
        from products.emails import stock_email_kinds_register

        stock_email_kinds_register()
