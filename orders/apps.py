from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from orders.emails import order_email_kinds_register
        from orders.sms import order_sms_kinds_register

        order_email_kinds_register()
        order_sms_kinds_register()
