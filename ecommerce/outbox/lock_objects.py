from typing import TypeVar

from ecommerce.outbox.models import OutboxMessage

Message = TypeVar("Message", bound=OutboxMessage)


def outbox_message_lock_pending(*, model: type[Message], pk: int) -> Message | None:
    """Lock a pending message (an e-mail, an SMS), or None when it is sent, gone, or locked by
    another sender (which is then sending it: skipping it is what keeps the task and the flush
    from sending twice)."""
    return model.objects.select_for_update(skip_locked=True).filter(pk=pk, status=model.Status.PENDING).first()
