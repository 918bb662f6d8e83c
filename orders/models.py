import functools
import operator
import uuid
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext_lazy as _

from addresses.snapshots import AddressSnapshot
from ecommerce.common.display import variant_display
from ecommerce.common.models import Event, TimeStampedModel
from ecommerce.common.validators import tin_validator


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Pending payment")
    CONFIRMED = "confirmed", _("Confirmed")
    PROCESSING = "processing", _("Processing")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    REFUND_PENDING = "refund_pending", _("Refund pending")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")


# The (status, payment_status) pairs an order can be in; the database refuses any other
# (Order.Meta's order_state_legal), and docs/architecture.md shows this table (checked by a test).
LEGAL_STATES: dict[str, set[str]] = {
    # Waiting for Chapa; a failed attempt may be retried; money that could not be applied is owed.
    OrderStatus.PENDING: {PaymentStatus.UNPAID, PaymentStatus.FAILED, PaymentStatus.REFUND_PENDING},
    # Unpaid while it is cash on delivery; refund_pending when a second payment arrived.
    OrderStatus.CONFIRMED: {PaymentStatus.UNPAID, PaymentStatus.PAID, PaymentStatus.REFUND_PENDING},
    OrderStatus.PROCESSING: {PaymentStatus.UNPAID, PaymentStatus.PAID, PaymentStatus.REFUND_PENDING},
    OrderStatus.SHIPPED: {PaymentStatus.UNPAID, PaymentStatus.PAID, PaymentStatus.REFUND_PENDING},
    # Handed over only against the money; returns give some or all of it back.
    OrderStatus.DELIVERED: {
        PaymentStatus.PAID,
        PaymentStatus.REFUND_PENDING,
        PaymentStatus.PARTIALLY_REFUNDED,
        PaymentStatus.REFUNDED,
    },
    OrderStatus.CANCELLED: {
        PaymentStatus.UNPAID,
        PaymentStatus.FAILED,
        PaymentStatus.REFUND_PENDING,
        PaymentStatus.REFUNDED,
    },
}


def state_text(choices: type[models.TextChoices], value: str) -> str:
    """A status as a sentence names it ("pending payment"), in the active language."""
    return str(dict(choices.choices).get(value, value)).lower()


def _legal_states() -> Q:
    return functools.reduce(
        operator.or_,
        (Q(status=status, payment_status__in=sorted(payments)) for status, payments in LEGAL_STATES.items()),
    )


class PaymentMethod(models.TextChoices):
    CHAPA = "chapa", _("Chapa")
    CASH_ON_DELIVERY = "cash_on_delivery", _("Cash on delivery")


class DeliveryKind(models.TextChoices):
    COURIER = "courier", _("Courier")
    PICKUP = "pickup", _("Pickup")


class DeliveryMethod(TimeStampedModel):
    """A way the shop gets an order to its customer, set up by staff. A courier serves the
    places listed (regions, or cities within them); a pickup point serves everyone
    in Ethiopia. An address abroad is served by none (orders.pricing.delivery_serves)."""

    code = models.SlugField(max_length=50, unique=True, verbose_name=_("code"))
    name = models.CharField(max_length=100, verbose_name=_("name"))
    # The other languages' name (ecommerce.common.translations); the plain fields are the shop's.
    translations = models.JSONField(
        default=dict, db_default={}, blank=True, editable=False, verbose_name=_("translations")
    )
    kind = models.CharField(
        max_length=8, choices=DeliveryKind.choices, default=DeliveryKind.COURIER, verbose_name=_("kind")
    )
    # Canonical region names (addresses.regions) and free-form city names, compared without
    # regard to case or surrounding spaces.
    regions = models.JSONField(default=list, blank=True, verbose_name=_("regions"))
    cities = models.JSONField(default=list, blank=True, verbose_name=_("cities"))
    fee = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"), verbose_name=_("fee"))
    free_over = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Delivery is free when the subtotal after the coupon reaches this amount."),
        verbose_name=_("free delivery from"),
    )
    estimated_days_min = models.PositiveSmallIntegerField(default=1, verbose_name=_("days at least"))
    estimated_days_max = models.PositiveSmallIntegerField(default=1, verbose_name=_("days at most"))
    cash_on_delivery = models.BooleanField(
        default=False, help_text=_("The customer may pay on delivery."), verbose_name=_("cash on delivery")
    )
    is_active = models.BooleanField(default=True, verbose_name=_("active"))

    class Meta:
        verbose_name = _("delivery method")
        verbose_name_plural = _("delivery methods")
        ordering = ["fee", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0), name="delivery_method_fee_non_negative"),
            models.CheckConstraint(
                condition=Q(free_over__isnull=True) | Q(free_over__gte=0), name="delivery_method_free_over_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(estimated_days_min__lte=F("estimated_days_max")), name="delivery_method_days_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Order(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(max_length=16, unique=True, editable=False, verbose_name=_("number"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders", verbose_name=_("user")
    )
    status = models.CharField(
        max_length=12, choices=OrderStatus.choices, default=OrderStatus.PENDING, verbose_name=_("status")
    )
    payment_status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID, verbose_name=_("payment status")
    )
    subtotal = models.DecimalField(max_digits=12, decimal_places=2, verbose_name=_("subtotal"))
    discount_amount = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00"), verbose_name=_("discount amount")
    )
    delivery_fee = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00"), verbose_name=_("delivery fee")
    )
    total = models.DecimalField(max_digits=12, decimal_places=2, verbose_name=_("total"))
    # The VAT contained in the total, at the rate in force at checkout.
    vat_amount = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00"), verbose_name=_("VAT amount")
    )
    payment_method = models.CharField(
        max_length=16, choices=PaymentMethod.choices, default=PaymentMethod.CHAPA, verbose_name=_("payment method")
    )
    # A copy of the delivery method at checkout (DeliveryChoice); null when the shop had none.
    delivery = models.JSONField(null=True, blank=True, verbose_name=_("delivery"))
    # {carrier, number, url} given when the order was shipped.
    tracking = models.JSONField(null=True, blank=True, verbose_name=_("tracking"))
    currency = models.CharField(max_length=3, default="ETB", verbose_name=_("currency"))
    coupon = models.ForeignKey(
        "coupons.Coupon",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("coupon"),
    )
    coupon_code = models.CharField(max_length=40, blank=True, verbose_name=_("coupon code"))
    # Copies of the addresses at checkout: editing or deleting an address never changes an order.
    shipping_address = models.JSONField(verbose_name=_("shipping address"))
    billing_address = models.JSONField(verbose_name=_("billing address"))
    notes = models.TextField(blank=True, verbose_name=_("notes"))
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Unpaid orders are cancelled after this."), verbose_name=_("expires at")
    )
    # Whether the order currently holds stock; releasing and re-reserving flip it exactly once.
    stock_reserved = models.BooleanField(default=True, editable=False, verbose_name=_("stock reserved"))
    # What went back to the customer of the money the order kept (never more than its total,
    # which is what a paid order was paid): returns' refunds and the refund of a cancelled order.
    refunded_amount = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00"), editable=False, verbose_name=_("refunded amount")
    )
    # Whether a refund gave the delivery fee back: at most once per order.
    delivery_refunded = models.BooleanField(default=False, editable=False, verbose_name=_("delivery refunded"))
    # When money was first applied to the order; a refund settles back to paid only if it was.
    paid_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("paid at"))
    # Given when the order becomes paid, from the shop's gapless sequence (R-000123), and never
    # changed afterwards (orders.services.transitions).
    receipt_number = models.CharField(
        max_length=16, unique=True, null=True, blank=True, editable=False, verbose_name=_("receipt number")
    )
    # A business customer's Tax Identification Number, printed on the receipt.
    buyer_tin = models.CharField(max_length=10, blank=True, validators=[tin_validator], verbose_name=_("buyer's TIN"))
    idempotency_key = models.CharField(
        max_length=100, null=True, blank=True, editable=False, verbose_name=_("idempotency key")
    )
    idempotency_fingerprint = models.CharField(
        max_length=64, blank=True, editable=False, verbose_name=_("idempotency fingerprint")
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        # Actions on an order that are not a plain edit, given to staff one by one (the admin and
        # the API check the same ones).
        permissions = [
            ("record_payment", "Can record a payment received outside Chapa"),
            ("refund", "Can refund an order's payment"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="order_user_created_idx"),
            models.Index(fields=["status", "expires_at"], name="order_status_expires_idx"),
            models.Index(fields=["status", "-created_at"], name="order_status_created_idx"),
            # The order desk finds the orders shipping to a phone (OrderAdmin.get_search_results).
            models.Index(KeyTransform("phone", "shipping_address"), name="order_ship_to_phone_idx"),
            # The dashboard's last 30 days of paid orders.
            models.Index(fields=["payment_status", "paid_at"], name="order_paid_at_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="order_idempotency_key_unique_per_user",
            ),
            models.CheckConstraint(condition=_legal_states(), name="order_state_legal"),
            # Money applied to an order always comes with its receipt's number.
            models.CheckConstraint(
                condition=Q(paid_at__isnull=True) | Q(receipt_number__isnull=False),
                name="order_paid_has_receipt_number",
            ),
            models.CheckConstraint(condition=Q(subtotal__gte=0), name="order_subtotal_non_negative"),
            models.CheckConstraint(
                condition=Q(discount_amount__gte=0) & Q(discount_amount__lte=F("subtotal")),
                name="order_discount_within_subtotal",
            ),
            models.CheckConstraint(condition=Q(delivery_fee__gte=0), name="order_delivery_fee_non_negative"),
            models.CheckConstraint(
                condition=Q(total=F("subtotal") - F("discount_amount") + F("delivery_fee")),
                name="order_total_is_subtotal_minus_discount_plus_delivery",
            ),
            # The backstop of the order's lock: refunds never add up to more than was paid.
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0) & Q(refunded_amount__lte=F("total")),
                name="order_refunded_within_paid",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    # The copies made at checkout, typed: read these, never the JSON's keys.
    @property
    def ship_to(self) -> AddressSnapshot:
        return AddressSnapshot.from_dict(self.shipping_address)

    @property
    def bill_to(self) -> AddressSnapshot:
        return AddressSnapshot.from_dict(self.billing_address)

    @property
    def delivery_choice(self) -> "DeliveryChoice | None":
        return None if self.delivery is None else DeliveryChoice.from_dict(self.delivery)


@dataclass(frozen=True)
class DeliveryChoice:
    """The delivery method as the order was placed with it (`Order.delivery`): later edits of
    the method never change it."""

    method: str  # its code
    name: str
    kind: str

    @classmethod
    def from_method(cls, method: DeliveryMethod) -> "DeliveryChoice":
        return cls(method=method.code, name=method.name, kind=method.kind)

    @classmethod
    def from_dict(cls, data) -> "DeliveryChoice":
        return cls(method=data["method"], name=data["name"], kind=data["kind"])

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def display(self) -> str:
        """As staff read it: "Addis courier (Courier)"."""
        kind = dict(DeliveryKind.choices).get(self.kind)
        return f"{self.name} ({kind})" if kind else self.name


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items", verbose_name=_("order"))
    # The product may later be deleted; the copied title and price keep the order intact.
    product = models.ForeignKey(
        "products.Product", on_delete=models.SET_NULL, null=True, related_name="order_items", verbose_name=_("product")
    )
    variant = models.ForeignKey(
        "products.Variant", on_delete=models.SET_NULL, null=True, related_name="order_items", verbose_name=_("variant")
    )
    product_title = models.CharField(max_length=200, verbose_name=_("product title"))
    sku = models.CharField(max_length=64, blank=True, verbose_name=_("SKU"))
    # {option name: value} as sold, e.g. {"Size": "M", "Colour": "Red"}.
    variant_options = models.JSONField(default=dict, blank=True, verbose_name=_("variant options"))
    unit_price = models.DecimalField(max_digits=12, decimal_places=2, verbose_name=_("unit price"))
    quantity = models.PositiveIntegerField(verbose_name=_("quantity"))
    line_total = models.DecimalField(max_digits=12, decimal_places=2, verbose_name=_("line total"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_item_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="order_item_unit_price_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_title}"

    @property
    def variant_text(self) -> str:
        """The variant as sold, for people: "Size: M, Colour: Red · SKU TSH-RED-M"."""
        return variant_display(options=self.variant_options, sku=self.sku)


class DocumentCounter(models.Model):
    """The last number given in one of the shop's numbered documents (receipts, credit notes):
    one row per sequence, locked by the transaction that takes the next number, so a rollback
    takes its number back with it (orders.services.documents)."""

    name = models.CharField(max_length=32, unique=True, verbose_name=_("sequence"))
    last = models.PositiveBigIntegerField(default=0, verbose_name=_("last number"))

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")

    def __str__(self) -> str:
        return f"{self.name}: {self.last}"


class OrderEventType(models.TextChoices):
    PLACED = "placed", _("Placed")
    PAYMENT_SUCCEEDED = "payment_succeeded", _("Payment succeeded")
    PAYMENT_FAILED = "payment_failed", _("Payment failed")
    PAYMENT_RECORDED = "payment_recorded", _("Payment recorded")
    STATUS_CHANGED = "status_changed", _("Status changed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    REINSTATED = "reinstated", _("Reinstated")
    REFUND_FLAGGED = "refund_flagged", _("Refund flagged")
    REFUNDED = "refunded", _("Refunded")


class OrderEvent(Event):
    """One row per change of an order's status or payment status: what happened (`type` and its
    `parameters`), the state it left the order in, who did it and when."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order"))
    type = models.CharField(max_length=20, choices=OrderEventType.choices, verbose_name=_("type"))
    from_status = models.CharField(
        max_length=12, choices=OrderStatus.choices, blank=True, verbose_name=_("from status")
    )
    status = models.CharField(max_length=12, choices=OrderStatus.choices, verbose_name=_("status"))
    payment_status = models.CharField(max_length=20, choices=PaymentStatus.choices, verbose_name=_("payment status"))
    note = models.CharField(max_length=500, blank=True, verbose_name=_("note"))

    class Meta(Event.Meta):
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self) -> str:
        moved = f"{self.get_from_status_display() or '∅'} → {self.get_status_display()}"
        return f"{self.get_type_display()}: {moved} ({self.get_payment_status_display()})"


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    RECEIVED = "received", _("Received")
    REFUNDED = "refunded", _("Refunded")


class ReturnReason(models.TextChoices):
    DAMAGED = "damaged", _("Damaged")
    WRONG_ITEM = "wrong_item", _("Wrong item")
    NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
    CHANGED_MIND = "changed_mind", _("Changed mind")
    OTHER = "other", _("Other")


class ReturnCondition(models.TextChoices):
    RESELLABLE = "resellable", _("Resellable")
    DAMAGED = "damaged", _("Damaged")


class Return(TimeStampedModel):
    """A customer's request to give back units of a delivered order, and what became of it:
    moved only by orders.services.returns, each move a ReturnEvent."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="returns", verbose_name=_("order"))
    number = models.CharField(max_length=24, unique=True, editable=False, verbose_name=_("number"))
    status = models.CharField(
        max_length=10,
        choices=ReturnStatus.choices,
        default=ReturnStatus.REQUESTED,
        editable=False,
        verbose_name=_("status"),
    )
    note = models.CharField(max_length=1000, blank=True, verbose_name=_("note"))
    # All the refund gave back (delivery_refund included), set when it is refunded.
    refund_amount = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00"), editable=False, verbose_name=_("refund amount")
    )
    delivery_refund = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00"), editable=False, verbose_name=_("delivery refund")
    )

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="return_status_created_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(refund_amount__gte=0), name="return_refund_non_negative"),
            models.CheckConstraint(
                condition=Q(delivery_refund__gte=0) & Q(delivery_refund__lte=F("refund_amount")),
                name="return_delivery_refund_within_refund",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ReturnLine(models.Model):
    return_request = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="lines", verbose_name=_("return"))
    order_item = models.ForeignKey(
        OrderItem, on_delete=models.PROTECT, related_name="return_lines", verbose_name=_("order line")
    )
    quantity = models.PositiveIntegerField(verbose_name=_("quantity"))
    reason = models.CharField(max_length=16, choices=ReturnReason.choices, verbose_name=_("reason"))
    # Set when staff receive the units; only resellable ones go back into stock, once.
    condition = models.CharField(
        max_length=10, choices=ReturnCondition.choices, blank=True, editable=False, verbose_name=_("condition")
    )
    restocked = models.BooleanField(default=False, editable=False, verbose_name=_("restocked"))
    # The line's share of the refund, set when the return is refunded.
    refund_amount = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00"), editable=False, verbose_name=_("refund amount")
    )

    class Meta:
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="return_line_quantity_positive"),
            models.UniqueConstraint(fields=["return_request", "order_item"], name="return_line_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.order_item.product_title}"


class ReturnEventType(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    RECEIVED = "received", _("Received")
    REFUNDED = "refunded", _("Refunded")


class ReturnEvent(Event):
    """One row per move of a return: what happened, the status it left, who did it and when."""

    return_request = models.ForeignKey(
        Return, on_delete=models.CASCADE, related_name="events", verbose_name=_("return")
    )
    type = models.CharField(max_length=12, choices=ReturnEventType.choices, verbose_name=_("type"))
    status = models.CharField(max_length=10, choices=ReturnStatus.choices, verbose_name=_("status"))
    note = models.CharField(max_length=1000, blank=True, verbose_name=_("note"))

    class Meta(Event.Meta):
        verbose_name = _("return event")
        verbose_name_plural = _("return events")

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.get_status_display()}"
