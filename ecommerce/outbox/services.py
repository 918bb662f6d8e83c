"""The outbox: e-mails and SMS queued inside a business transaction, written and sent after it
commits, retried with backoff, and flushed by beat after an outage.

Both channels share one mechanism (`_Channel`): the row is saved with its key in the caller's
transaction, its task is queued after commit, and a sender locks the pending row, writes the
message in the recipient's language and hands it to the channel's transport. Only how a message
is written and sent differs between them.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ecommerce.common.enqueue import task_enqueue
from ecommerce.common.validators import normalize_ethiopian_phone
from ecommerce.outbox.attachments import attachment_render, attachment_spec
from ecommerce.outbox.kinds import email_kind, sms_kind, sms_kind_is_secret
from ecommerce.outbox.lock_objects import outbox_message_lock_pending
from ecommerce.outbox.models import OutboxEmail, OutboxMessage, OutboxSms
from ecommerce.outbox.sms_backends import sms_backend
from ecommerce.outbox.sms_parts import sms_parts

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Channel:
    name: str  # in log lines
    model: type[OutboxMessage]
    task: str  # its send task, which takes `<id_argument>=<pk>`
    id_argument: str
    settings_prefix: str  # <prefix>_OUTBOX_GRACE_SECONDS, _RETRY_BACKOFF_SECONDS, _MAX_ATTEMPTS
    # Writes the message on the row, in the active language, and sends it; returns the fields
    # it wrote, kept as sent.
    deliver: Callable[[OutboxMessage], list[str]]
    # Called once the message is done with (sent, or given up on); returns the fields it changed.
    finish: Callable[[OutboxMessage], list[str]] = lambda message: []

    def setting(self, name: str):
        return getattr(settings, f"{self.settings_prefix}_{name}")


def _queue(channel: _Channel, message: OutboxMessage) -> OutboxMessage | None:
    """Save `message` in the current transaction and send it after commit; None when a message
    with its key is queued already."""
    # The task normally sends it at once; the flush only takes what is overdue.
    message.next_attempt_at = timezone.now() + timedelta(seconds=channel.setting("OUTBOX_GRACE_SECONDS"))
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        if message.key and channel.model.objects.filter(key=message.key).exists():
            return None  # this event's message is already queued
        raise
    transaction.on_commit(
        lambda: task_enqueue(
            channel.task, otherwise="the outbox flush will send it", **{channel.id_argument: message.pk}
        )
    )
    return message


def _retry_delay(channel: _Channel, attempts: int) -> float:
    return min(channel.setting("RETRY_BACKOFF_SECONDS") * 2 ** (attempts - 1), 3600)


def _send(channel: _Channel, pk: int) -> tuple[str, float]:
    """Send one queued message. Returns ("sent"|"retry"|"failed"|"skipped", seconds to wait).

    The row is locked (skipping it if another worker holds it) and re-checked, so the task and
    the periodic flush never send the same message twice.
    """
    with transaction.atomic():
        message = outbox_message_lock_pending(model=channel.model, pk=pk)
        if message is None:
            return "skipped", 0
        message.attempts += 1
        try:
            written = channel.deliver(message)
        # smtplib's errors are OSErrors, as are refused connections, and a gateway's refusal is
        # SmsNotSent; a message that cannot be written now (its data is locked, a bug being
        # fixed) is retried the same way.
        except Exception as exc:
            delay = _retry_delay(channel, message.attempts)
            message.last_error = f"{exc.__class__.__name__}: {exc}"[:500]
            message.next_attempt_at = timezone.now() + timedelta(seconds=delay)
            gave_up = message.attempts >= channel.setting("MAX_ATTEMPTS")
            fields = ["attempts", "last_error", "next_attempt_at", "status"]
            if gave_up:
                message.status = OutboxMessage.Status.FAILED
                logger.error(
                    "giving up on %s %s after %s attempts: %s", channel.name, message.pk, message.attempts, exc
                )
                fields += channel.finish(message)
            message.save(update_fields=fields)
            return ("failed" if gave_up else "retry"), delay
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        # Kept as sent: what the recipient read, in their language.
        message.save(update_fields=["attempts", "status", "sent_at", *written, *channel.finish(message)])
        return "sent", 0


# -- e-mail ---------------------------------------------------------------------------------------


def _email_write(email: OutboxEmail) -> None:
    """Write the e-mail's subject and bodies from its kind, in the active language: `<template>.txt`
    unescaped (it is plain text) and `<template>.html`. Objects are read as they are now."""
    subject, context = email_kind(email.template)(email.context)
    context = {"shop_name": settings.SHOP_NAME, "site_url": settings.SITE_URL, **context}
    email.subject = f"[{settings.SHOP_NAME}] {subject}"[:255]
    email.body_text = render_to_string(f"{email.template}.txt", context, using="email_text")
    email.body_html = render_to_string(f"{email.template}.html", context)


def _email_message(email: OutboxEmail) -> EmailMultiAlternatives:
    """The message as it goes out, written (rows queued before kinds existed already are) and its
    files rendered in the recipient's language, whoever caused it and whatever the worker speaks."""
    with translation.override(email.language or settings.LANGUAGE_CODE):
        if email.template:
            _email_write(email)
        message = EmailMultiAlternatives(subject=email.subject, body=email.body_text, to=[email.to])
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        for spec in email.attachments:
            message.attach(*attachment_render(spec))
    return message


def _email_deliver(email: OutboxEmail) -> list[str]:
    _email_message(email).send()
    return ["subject", "body_text", "body_html"]


EMAIL = _Channel(
    name="e-mail",
    model=OutboxEmail,
    task="ecommerce.outbox.tasks.outbox_email_send",
    id_argument="email_id",
    settings_prefix="EMAIL",
    deliver=_email_deliver,
)


def email_enqueue(
    *,
    to: str,
    language: str,
    template: str,
    context: dict,
    key: str | None = None,
    attachments: list[tuple[str, object]] = (),
) -> OutboxEmail | None:
    """Queue the e-mail of kind `template` for sending after the current transaction commits.

    `context` holds JSON values only (ids, and what the event was): the kind writes the subject
    and bodies from them when the e-mail is sent, in `language`, the recipient's. With a `key`
    already queued, nothing new is queued. `attachments` are (kind, reference) pairs, rendered
    at send time too."""
    if not to:
        return None
    email_kind(template)  # an unknown kind fails here, in the change that queues it
    email = OutboxEmail(
        key=key,
        to=to,
        language=language,
        template=template,
        context=context,
        attachments=[attachment_spec(kind, ref) for kind, ref in attachments],
    )
    return _queue(EMAIL, email)


def outbox_email_send(*, email_id: int) -> tuple[str, float]:
    return _send(EMAIL, email_id)


# -- SMS ------------------------------------------------------------------------------------------


def sms_recipient(phone: str) -> str:
    """An Ethiopian mobile number in any usual form, as the gateway takes it: 2519XXXXXXXX."""
    return "251" + normalize_ethiopian_phone(phone)[1:]


def _sms_deliver(sms: OutboxSms) -> list[str]:
    with translation.override(sms.language or settings.LANGUAGE_CODE):
        sms.text = sms_kind(sms.kind)(sms.context)
    sms.parts = sms_parts(sms.text).parts
    sms.gateway_message_id = sms_backend().send(to=sms.to, text=sms.text)
    return ["text", "parts", "gateway_message_id"]


def _sms_finish(sms: OutboxSms) -> list[str]:
    """A secret kind's values and text (a one-time code) are kept only while it may be sent."""
    if not sms_kind_is_secret(sms.kind):
        return []
    sms.context, sms.text = {}, ""
    return ["context", "text"]


SMS = _Channel(
    name="SMS",
    model=OutboxSms,
    task="ecommerce.outbox.tasks.outbox_sms_send",
    id_argument="sms_id",
    settings_prefix="SMS",
    deliver=_sms_deliver,
    finish=_sms_finish,
)


def sms_enqueue(*, to: str, kind: str, context: dict, language: str, key: str | None = None) -> OutboxSms | None:
    """Queue the SMS of `kind` to the phone `to` for sending after the current transaction commits.

    `to` is an Ethiopian mobile number in any usual form (a ValidationError otherwise); a blank
    one queues nothing. `context` holds JSON values only: the kind writes the text from them when
    the SMS is sent, in `language`, the recipient's. With a `key` already queued, nothing new is
    queued."""
    if not to:
        return None
    sms_kind(kind)  # an unknown kind fails here, in the change that queues it
    return _queue(SMS, OutboxSms(key=key, to=sms_recipient(to), kind=kind, context=context, language=language))


def outbox_sms_send(*, sms_id: int) -> tuple[str, float]:
    return _send(SMS, sms_id)


# -- the flush ------------------------------------------------------------------------------------


def outbox_flush(*, limit: int = 200) -> dict[str, int]:
    """Send every pending message that is due, of each channel: those whose task was lost
    (broker down) or whose last attempt failed and waited out its backoff."""
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    for channel in (EMAIL, SMS):
        due = (
            channel.model.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=timezone.now())
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        for pk in list(due):
            outcome, _ = _send(channel, pk)
            counts[outcome] += 1
    return counts
