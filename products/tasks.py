from celery import shared_task

from products import services


@shared_task
def stock_low_digest() -> int:
    from django.utils import timezone

    from products.emails import stock_low_digest_email

    return stock_low_digest_email(day=timezone.localdate())


# Storage or a worker hiccup: try again later, up to about ten minutes; the original stays usable.
@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=10, retry_backoff_max=300, max_retries=5)
def product_image_renditions_make(self, image_id: int) -> None:
    try:
        services.product_image_renditions_make(image_id=image_id)
    except Exception:
        if self.request.retries >= self.max_retries:  # the last try: no retry follows
            services.product_image_renditions_failed(image_id=image_id)
        raise
