"""The e-mail outbox: enqueue inside a business transaction, write and send after it commits."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ecommerce.common.enqueue import task_enqueue
from ecommerce.outbox.attachments import attachment_render, attachment_spec
from ecommerce.outbox.kinds import email_kind
from ecommerce.outbox.lock_objects import outbox_email_lock_pending
from ecommerce.outbox.models import OutboxEmail

logger = logging.getLogger(__name__)


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
        # The task normally sends it at once; the flush only takes what is overdue.
        next_attempt_at=timezone.now() + timedelta(seconds=settings.EMAIL_OUTBOX_GRACE_SECONDS),
    )
    try:
        with transaction.atomic():
            email.save()
    except IntegrityError:
        if key and OutboxEmail.objects.filter(key=key).exists():
            return None  # this event's e-mail is already queued
        raise
    transaction.on_commit(
        lambda: task_enqueue(
            "ecommerce.outbox.tasks.outbox_email_send", email_id=email.pk, otherwise="the outbox flush will send it"
        )
    )
    return email


def _write(email: OutboxEmail) -> None:
    """Write the e-mail's subject and bodies from its kind, in the active language: `<template>.txt`
    unescaped (it is plain text) and `<template>.html`. Objects are read as they are now."""
    subject, context = email_kind(email.template)(email.context)
    context = {"shop_name": settings.SHOP_NAME, "site_url": settings.SITE_URL, **context}
    email.subject = f"[{settings.SHOP_NAME}] {subject}"[:255]
    email.body_text = render_to_string(f"{email.template}.txt", context, using="email_text")
    email.body_html = render_to_string(f"{email.template}.html", context)


def _message(email: OutboxEmail) -> EmailMultiAlternatives:
    """The message as it goes out, written (rows queued before kinds existed already are) and its
    files rendered in the recipient's language, whoever caused it and whatever the worker speaks."""
    with translation.override(email.language or settings.LANGUAGE_CODE):
        if email.template:
            _write(email)
        message = EmailMultiAlternatives(subject=email.subject, body=email.body_text, to=[email.to])
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        for spec in email.attachments:
            message.attach(*attachment_render(spec))
    return message


def _retry_delay(attempts: int) -> float:
    return min(settings.EMAIL_RETRY_BACKOFF_SECONDS * 2 ** (attempts - 1), 3600)


def outbox_email_send(*, email_id: int) -> tuple[str, float]:
    """Send one queued e-mail. Returns ("sent"|"retry"|"failed"|"skipped", seconds to wait).

    The row is locked (skipping it if another worker holds it) and re-checked, so the task and
    the periodic flush never send the same e-mail twice.
    """
    with transaction.atomic():
        email = outbox_email_lock_pending(pk=email_id)
        if email is None:
            return "skipped", 0
        email.attempts += 1
        try:
            _message(email).send()
        # smtplib's errors are OSErrors, as are refused connections; an e-mail or an attachment
        # that cannot be written now (its data is locked, a bug being fixed) is retried the same way.
        except Exception as exc:
            delay = _retry_delay(email.attempts)
            email.last_error = f"{exc.__class__.__name__}: {exc}"[:500]
            email.next_attempt_at = timezone.now() + timedelta(seconds=delay)
            gave_up = email.attempts >= settings.EMAIL_MAX_ATTEMPTS
            if gave_up:
                email.status = OutboxEmail.Status.FAILED
                logger.error("giving up on e-mail %s after %s attempts: %s", email.pk, email.attempts, exc)
            email.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
            return ("failed" if gave_up else "retry"), delay
        email.status = OutboxEmail.Status.SENT
        email.sent_at = timezone.now()
        # Kept as sent: what the customer read, in their language.
        email.save(update_fields=["attempts", "status", "sent_at", "subject", "body_text", "body_html"])
        return "sent", 0


def outbox_flush(*, limit: int = 200) -> dict[str, int]:
    """Send every pending e-mail that is due: those whose task was lost (broker down) or whose
    last attempt failed and waited out its backoff."""
    due = (
        OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    for email_id in list(due):
        outcome, _ = outbox_email_send(email_id=email_id)
        counts[outcome] += 1
    return counts
