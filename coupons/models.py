from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecommerce.common.models import TimeStampedModel


class DiscountType(models.TextChoices):
    PERCENTAGE = "percentage", _("Percentage")
    FIXED = "fixed", _("Fixed amount")


MAX_DISCOUNT_ONLY_PERCENTAGE = _("max_discount applies to percentage coupons only.")


class Coupon(TimeStampedModel):
    # Stored upper-case; the constraint below keeps codes unique whatever their case.
    code = models.CharField(max_length=40, verbose_name=_("code"))
    description = models.CharField(max_length=255, blank=True, verbose_name=_("description"))
    discount_type = models.CharField(max_length=10, choices=DiscountType.choices, verbose_name=_("discount type"))
    value = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))], verbose_name=_("value")
    )
    max_discount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Upper bound of a percentage discount, in ETB."),
        verbose_name=_("largest discount"),
    )
    min_purchase = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        verbose_name=_("minimum purchase"),
    )
    valid_from = models.DateTimeField(verbose_name=_("valid from"))
    valid_to = models.DateTimeField(verbose_name=_("valid to"))
    usage_limit = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Total uses; empty for unlimited."), verbose_name=_("uses in all")
    )
    per_user_limit = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Uses per customer; empty for unlimited."),
        verbose_name=_("uses per customer"),
    )
    times_used = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("times used"))
    is_active = models.BooleanField(default=True, verbose_name=_("active"))

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                Upper("code"),
                name="coupon_code_ci_unique",
                violation_error_message=_("A coupon with this code exists."),
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="coupon_value_positive"),
            models.CheckConstraint(
                condition=~Q(discount_type="percentage") | Q(value__lte=100),
                name="coupon_percentage_at_most_100",
                violation_error_message=_("A percentage discount is at most 100."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gt=F("valid_from")),
                name="coupon_valid_to_after_valid_from",
                violation_error_message=_("valid_to must be after valid_from."),
            ),
            # The backstop of the conditional update at checkout: never more uses than allowed.
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(times_used__lte=F("usage_limit")),
                name="coupon_times_used_within_limit",
            ),
            models.CheckConstraint(condition=Q(min_purchase__gte=0), name="coupon_min_purchase_non_negative"),
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self):
        # Here rather than in a service, so the API and the admin's form refuse it alike.
        if self.discount_type == DiscountType.FIXED and self.max_discount is not None:
            raise ValidationError({"max_discount": [MAX_DISCOUNT_ONLY_PERCENTAGE]})


class CouponRedemption(models.Model):
    """One use of a coupon by a customer's order; it is deleted when the order is cancelled,
    which gives the use back."""

    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("coupon"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coupon_redemptions", verbose_name=_("user")
    )
    # The order that made this use. Orders sit above coupons (an order refers to its coupon), so
    # this is the order's id, not a foreign key that would tie the two apps in a circle.
    order_id = models.UUIDField(unique=True, verbose_name=_("order"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("coupon use")
        verbose_name_plural = _("coupon uses")
        indexes = [models.Index(fields=["coupon", "user"], name="redemption_coupon_user_idx")]

    def __str__(self) -> str:
        return gettext("{code} by {user}").format(code=self.coupon.code, user=self.user)
