from django.db import models
from django.utils.translation import gettext_lazy as _

from ecommerce.common.models import TimeStampedModel


class Category(TimeStampedModel):
    name = models.CharField(max_length=120, unique=True, verbose_name=_("name"))
    slug = models.SlugField(max_length=140, unique=True, allow_unicode=True, verbose_name=_("slug"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    # The other languages' name and description (ecommerce.common.translations); the plain fields are the shop's.
    translations = models.JSONField(
        default=dict, db_default={}, blank=True, editable=False, verbose_name=_("translations")
    )
    # Active products in the category, kept up to date by the product services in the same
    # transaction as the change, so the category list reads no product rows.
    product_count = models.PositiveIntegerField(db_default=0, editable=False, verbose_name=_("product count"))

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
