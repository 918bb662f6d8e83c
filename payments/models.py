import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ecommerce.common.models import TimeStampedModel


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCESS = "success", _("Success")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class PaymentMethod(models.TextChoices):
    CHAPA = "chapa", _("Chapa")
    CASH = "cash", _("Cash")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")


class Payment(TimeStampedModel):
    """Money for an order, with its own unique tx_ref: an attempt to pay through Chapa, or money
    staff received outside Chapa (cash at the door, a bank transfer) and recorded."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payments")
    tx_ref = models.CharField(max_length=50, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="ETB")
    method = models.CharField(max_length=16, choices=PaymentMethod.choices, default=PaymentMethod.CHAPA)
    status = models.CharField(max_length=10, choices=PaymentState.choices, default=PaymentState.PENDING)
    checkout_url = models.URLField(max_length=500, blank=True)
    # Chapa's own id for the transaction, needed for refunds.
    chapa_reference = models.CharField(max_length=100, blank=True)
    failure_reason = models.CharField(max_length=255, blank=True)
    # What Chapa's verify API last said (never the secret key; Chapa does not send it back).
    gateway_response = models.JSONField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    # Whether this money paid the order; a success that was not applied (a second payment, a
    # wrong amount) is owed back to the customer.
    applied = models.BooleanField(default=False)
    # Set, and committed, before Chapa is asked to refund: a refund request is sent once at most.
    refund_requested_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    # A recorded payment: who took it in, and their reference (a bank transfer's, a receipt book's).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reference = models.CharField(max_length=100, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="payment_status_created_idx")]
        constraints = [
            models.UniqueConstraint(fields=["order"], condition=Q(status="pending"), name="payment_one_open_per_order"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            # Staff record money that already arrived; only Chapa attempts wait for an answer.
            models.CheckConstraint(
                condition=Q(method="chapa") | Q(status__in=["success", "refunded"]),
                name="payment_recorded_is_settled",
            ),
        ]

    def __str__(self) -> str:
        return self.tx_ref


class WebhookEvent(models.Model):
    """Each distinct signed webhook we accepted; a redelivery of the same body is recognised."""

    body_sha256 = models.CharField(max_length=64, unique=True)
    event = models.CharField(max_length=50)
    tx_ref = models.CharField(max_length=100, blank=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event} {self.tx_ref}"
