from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """The outbox every app queues its e-mails and SMS in; infrastructure, not a domain app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ecommerce.outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self):
        from ecommerce.outbox import tasks  # noqa: F401 - services queue its tasks by name
