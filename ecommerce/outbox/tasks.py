from celery import shared_task

from ecommerce.outbox import services


@shared_task(bind=True, max_retries=None, acks_late=True)
def outbox_email_send(self, email_id: int) -> str:
    """Send a queued e-mail; on an SMTP error, retry with exponential backoff."""
    outcome, retry_in = services.outbox_email_send(email_id=email_id)
    if outcome == "retry" and not self.request.is_eager:
        raise self.retry(countdown=retry_in)
    # Inline (no broker), the periodic flush takes over the retries.
    return outcome


@shared_task
def outbox_flush() -> dict:
    return services.outbox_flush()
