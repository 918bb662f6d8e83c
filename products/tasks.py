from celery import shared_task


@shared_task
def stock_low_digest() -> int:
    from django.utils import timezone

    from products.emails import stock_low_digest_email

    return stock_low_digest_email(day=timezone.localdate().isoformat())
