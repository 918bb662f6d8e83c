from celery import shared_task


# The names predate the move out of the users app: messages already queued and the beat
# schedules of running deployments carry them.
@shared_task(name="users.tasks.outbox_email_send", bind=True, max_retries=None, acks_late=True)
def outbox_email_send(self, email_id: int) -> str:
    """Send a queued e-mail; on an SMTP error, retry with exponential backoff."""
    from ecommerce.outbox.services import outbox_email_send

    outcome, retry_in = outbox_email_send(email_id=email_id)
    if outcome == "retry" and not self.request.is_eager:
        raise self.retry(countdown=retry_in)
    # Inline (no broker), the periodic flush takes over the retries.
    return outcome


@shared_task(name="users.tasks.outbox_flush")
def outbox_flush() -> dict:
    from ecommerce.outbox.services import outbox_flush

    return outbox_flush()
