from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ecommerce.common.models import TimeStampedModel


class AddressType(models.TextChoices):
    SHIPPING = "shipping", _("Shipping")
    BILLING = "billing", _("Billing")


class Address(TimeStampedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses")
    address_type = models.CharField(max_length=8, choices=AddressType.choices, default=AddressType.SHIPPING)
    full_name = models.CharField(max_length=150)
    phone = models.CharField(max_length=16)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = CountryField(default="ET")
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_default", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "address_type"],
                condition=models.Q(is_default=True),
                name="address_one_default_per_user_and_type",
            ),
        ]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.full_name}, {self.line1}, {self.city} ({self.address_type})"
