from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ecommerce.common.models import TimeStampedModel


class AddressType(models.TextChoices):
    SHIPPING = "shipping", _("Shipping")
    BILLING = "billing", _("Billing")


class Address(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("user")
    )
    address_type = models.CharField(
        max_length=8, choices=AddressType.choices, default=AddressType.SHIPPING, verbose_name=_("address type")
    )
    full_name = models.CharField(max_length=150, verbose_name=_("full name"))
    phone = models.CharField(max_length=16, verbose_name=_("phone"))
    line1 = models.CharField(max_length=200, verbose_name=_("address line 1"))
    line2 = models.CharField(max_length=200, blank=True, verbose_name=_("address line 2"))
    city = models.CharField(max_length=100, verbose_name=_("city"))
    region = models.CharField(max_length=100, blank=True, verbose_name=_("region"))
    postal_code = models.CharField(max_length=20, blank=True, verbose_name=_("postal code"))
    country = CountryField(default="ET", verbose_name=_("country"))
    is_default = models.BooleanField(default=False, verbose_name=_("default"))

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-is_default", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "address_type"],
                condition=models.Q(is_default=True),
                name="address_one_default_per_user_and_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.line1}, {self.city} ({self.get_address_type_display()})"
