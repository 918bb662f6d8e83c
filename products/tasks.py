from celery import shared_task


# Storage or a worker hiccup: try again later, up to about ten minutes; the original stays usable.
@shared_task(autoretry_for=(Exception,), retry_backoff=10, retry_backoff_max=300, max_retries=5)
def product_image_renditions_make(image_id: int) -> None:
    from products.services import product_image_renditions_make

    product_image_renditions_make(image_id=image_id)
