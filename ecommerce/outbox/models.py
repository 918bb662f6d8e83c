from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A message (an e-mail, an SMS) written in the same transaction as the change that causes
    it, and sent after.

    If that transaction rolls back, the message never existed. If the broker is down when it
    commits, the row waits here and the periodic flush sends it. `key` makes an event's message
    unique, so an event handled twice still sends one. Its words are written when it is sent,
    in the recipient's `language` (ecommerce.outbox.kinds), from the JSON `context` it was
    queued with, and kept as sent.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class OutboxEmail(OutboxMessage):
    to = models.EmailField()
    # What the kind named `template` writes the e-mail from (its templates' name).
    template = models.CharField(max_length=100, blank=True)
    # Blank until sent. (Rows queued before kinds existed were written when queued.)
    subject = models.CharField(max_length=255, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    # [{"kind", "ref"}]: files rendered when the e-mail is sent (ecommerce.outbox.attachments).
    attachments = models.JSONField(default=list, blank=True)

    class Meta(OutboxMessage.Meta):
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.subject or self.template} → {self.to}"


class OutboxSms(OutboxMessage):
    # International form without "+": 2519XXXXXXXX or 2517XXXXXXXX.
    to = models.CharField(max_length=12)
    kind = models.CharField(max_length=100)
    # Written when sent, with the parts the operator bills for it and the gateway's message id.
    text = models.TextField(blank=True)
    parts = models.PositiveSmallIntegerField(default=0)
    gateway_message_id = models.CharField(max_length=100, blank=True)

    class Meta(OutboxMessage.Meta):
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_sms_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} → +{self.to}"
