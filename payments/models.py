import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ecommerce.common.models import TimeStampedModel, actor_field


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
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="payments", verbose_name=_("order")
    )
    tx_ref = models.CharField(max_length=50, unique=True, verbose_name=_("transaction reference"))
    amount = models.DecimalField(max_digits=12, decimal_places=2, verbose_name=_("amount"))
    currency = models.CharField(max_length=3, default="ETB", verbose_name=_("currency"))
    method = models.CharField(
        max_length=16, choices=PaymentMethod.choices, default=PaymentMethod.CHAPA, verbose_name=_("method")
    )
    status = models.CharField(
        max_length=10, choices=PaymentState.choices, default=PaymentState.PENDING, verbose_name=_("status")
    )
    checkout_url = models.URLField(max_length=500, blank=True, verbose_name=_("checkout URL"))
    # Chapa's own id for the transaction, needed for refunds.
    chapa_reference = models.CharField(max_length=100, blank=True, verbose_name=_("Chapa reference"))
    failure_reason = models.CharField(max_length=255, blank=True, verbose_name=_("failure reason"))
    # What Chapa's verify API last said (never the secret key; Chapa does not send it back).
    gateway_response = models.JSONField(null=True, blank=True, verbose_name=_("gateway response"))
    verified_at = models.DateTimeField(null=True, blank=True, verbose_name=_("verified at"))
    # Whether this money paid the order; a success that was not applied (a second payment, a
    # wrong amount) is owed back to the customer.
    applied = models.BooleanField(default=False, verbose_name=_("applied"))
    # Set, and committed, before Chapa is asked to refund: a refund request is sent once at most.
    refund_requested_at = models.DateTimeField(null=True, blank=True, verbose_name=_("refund requested at"))
    refunded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("refunded at"))
    # A recorded payment: who took it in, and their reference (a bank transfer's, a receipt book's).
    recorded_by = actor_field(_("recorded by"))
    reference = models.CharField(max_length=100, blank=True, verbose_name=_("reference"))
    note = models.CharField(max_length=500, blank=True, verbose_name=_("note"))

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
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


class RefundState(models.TextChoices):
    # Claimed and committed before Chapa is asked: a refund whose answer never came stays
    # here, for staff to settle by what the Chapa dashboard says, and is never sent again.
    SENDING = "sending", _("Sending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Refund(TimeStampedModel):
    """Money that went back to a customer (or is on its way): a return's refund, or the whole of
    a payment the order could not keep. Only the money the order kept counts in the order's
    `refunded_amount` (`counted`); a surplus payment given back does not."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="refunds", verbose_name=_("order"))
    return_request = models.ForeignKey(
        "orders.Return",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refunds",
        verbose_name=_("return"),
    )
    # The payment whose money goes back (Chapa refunds it by that payment's reference).
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="refunds", verbose_name=_("payment")
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2, verbose_name=_("amount"))
    # The part of `amount` that is the order's delivery fee.
    delivery_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0, verbose_name=_("delivery amount"))
    currency = models.CharField(max_length=3, default="ETB", verbose_name=_("currency"))
    method = models.CharField(max_length=16, choices=PaymentMethod.choices, verbose_name=_("method"))
    status = models.CharField(
        max_length=10, choices=RefundState.choices, default=RefundState.SENDING, verbose_name=_("status")
    )
    counted = models.BooleanField(default=True, verbose_name=_("counted in the order's refunded amount"))
    reference = models.CharField(max_length=100, blank=True, verbose_name=_("reference"))
    note = models.CharField(max_length=500, blank=True, verbose_name=_("note"))
    actor = actor_field()
    # The credit note's number, given when a return's refund is made.
    credit_note_number = models.CharField(
        max_length=20, null=True, blank=True, unique=True, editable=False, verbose_name=_("credit note number")
    )
    # What Chapa answered to the refund request (or why there was no answer).
    gateway_response = models.JSONField(null=True, blank=True, verbose_name=_("gateway response"))
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="refund_status_created_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(delivery_amount__gte=0) & Q(delivery_amount__lte=models.F("amount")),
                name="refund_delivery_within_amount",
            ),
            # A return is refunded once: a second refund is refused while one is on its way or done.
            models.UniqueConstraint(
                fields=["return_request"],
                condition=Q(status__in=["sending", "succeeded"]),
                name="refund_one_per_return",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.get_status_display()})"


class WebhookEvent(models.Model):
    """Each distinct signed webhook we accepted; a redelivery of the same body is recognised."""

    body_sha256 = models.CharField(max_length=64, unique=True, verbose_name=_("body SHA-256"))
    event = models.CharField(max_length=50, verbose_name=_("event"))
    tx_ref = models.CharField(max_length=100, blank=True, verbose_name=_("transaction reference"))
    payload = models.JSONField(verbose_name=_("payload"))
    received_at = models.DateTimeField(auto_now_add=True, verbose_name=_("received at"))

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event} {self.tx_ref}"
