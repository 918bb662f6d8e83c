from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "users"
    verbose_name = _("Users")

    def ready(self) -> None:
        from users.emails import user_email_kinds_register
        from users.sms import user_sms_kinds_register

        user_email_kinds_register()
        user_sms_kinds_register()
