from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ecommerce.common.cache import catalog_changed
from products.models import Product, ProductImage


@receiver([post_save, post_delete], sender=Product, dispatch_uid="products.catalog_changed")
@receiver([post_save, post_delete], sender=ProductImage, dispatch_uid="products.image_catalog_changed")
def product_changed(sender, **kwargs) -> None:
    catalog_changed()


@receiver(post_delete, sender=ProductImage, dispatch_uid="products.image_files_delete")
def product_image_deleted(sender, instance: ProductImage, **kwargs) -> None:
    """Remove the image's files once its deletion commits. Here rather than in a service: a
    product's deletion (API, admin, bulk) deletes its images by cascade, without a service call."""
    from products.services import product_image_files_delete

    transaction.on_commit(partial(product_image_files_delete, names=instance.stored_names))
