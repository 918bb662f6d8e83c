from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ecommerce.common.cache import catalog_changed
from products.models import Product


@receiver([post_save, post_delete], sender=Product, dispatch_uid="products.catalog_changed")
def product_changed(sender, **kwargs) -> None:
    catalog_changed()
