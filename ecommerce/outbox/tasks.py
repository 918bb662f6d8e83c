from celery import shared_task

from ecommerce.outbox import services


def _send(task, send, **ids) -> str:
    outcome, retry_in = send(**ids)
    if outcome == "retry" and not task.request.is_eager:
        raise task.retry(countdown=retry_in)
    # Inline (no broker), the periodic flush takes over the retries.
    return outcome


@shared_task(bind=True, max_retries=None, acks_late=True)
def outbox_email_send(self, email_id: int) -> str:
    """Send a queued e-mail; on an SMTP error, retry with exponential backoff."""
    return _send(self, services.outbox_email_send, email_id=email_id)


@shared_task(bind=True, max_retries=None, acks_late=True)
def outbox_sms_send(self, sms_id: int) -> str:
    """Send a queued SMS; when the gateway does not take it, retry with exponential backoff."""
    return _send(self, services.outbox_sms_send, sms_id=sms_id)


@shared_task
def outbox_flush() -> dict:
    return services.outbox_flush()
