from django.db import models

from ecommerce.common.models import TimeStampedModel


class Category(TimeStampedModel):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True, allow_unicode=True)
    description = models.TextField(blank=True)
    # Active products in the category, kept up to date by the product services in the same
    # transaction as the change, so the category list reads no product rows.
    product_count = models.PositiveIntegerField(db_default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name
