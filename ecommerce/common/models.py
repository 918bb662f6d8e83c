from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


ACTOR = _("actor")


def actor_field(verbose_name=ACTOR) -> models.ForeignKey:
    """Who made a change: a member of staff or a customer, or null for the shop itself (a task,
    a webhook, a command). The row outlives the account."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class Event(models.Model):
    """An audit row of one move of a state machine (an order's, a return's): what happened is the
    subclass's `type` and its `parameters`, made by `actor` at `created_at`; oldest first."""

    parameters = models.JSONField(default=dict, blank=True, verbose_name=_("parameters"))
    actor = actor_field()
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]
