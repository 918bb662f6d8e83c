from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from categories.models import Category
from ecommerce.common.cache import catalog_changed


@receiver([post_save, post_delete], sender=Category, dispatch_uid="categories.catalog_changed")
def category_changed(sender, **kwargs) -> None:
    catalog_changed()
