from ecommerce.outbox.models import OutboxEmail


def outbox_email_lock_pending(*, pk: int) -> OutboxEmail | None:
    """Lock a pending e-mail, or None when it is sent, gone, or locked by another sender (which
    is then sending it: skipping it is what keeps the task and the flush from sending twice)."""
    return (
        OutboxEmail.objects.select_for_update(skip_locked=True).filter(pk=pk, status=OutboxEmail.Status.PENDING).first()
    )
