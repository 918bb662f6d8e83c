from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEmail(models.Model):
    """An e-mail written in the same transaction as the change that causes it, and sent after.

    If that transaction rolls back, the e-mail never existed. If the broker is down when it
    commits, the row waits here and the periodic flush sends it. `key` makes an event's e-mail
    unique, so an event handled twice still sends one. Its subject and bodies are written when
    it is sent, in the recipient's `language` (ecommerce.outbox.kinds), and kept as sent.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    to = models.EmailField()
    # The recipient's language, and what the kind named `template` writes the e-mail from.
    language = models.CharField(max_length=8, blank=True)
    template = models.CharField(max_length=100, blank=True)
    context = models.JSONField(default=dict, blank=True)
    # Blank until sent. (Rows queued before kinds existed were written when queued.)
    subject = models.CharField(max_length=255, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    # [{"kind", "ref"}]: files rendered when the e-mail is sent (ecommerce.outbox.attachments).
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.subject or self.template} → {self.to}"
