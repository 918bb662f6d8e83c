import re

from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from addresses.models import Address, AddressType
from addresses.snapshots import ADDRESS_SNAPSHOT_FIELDS
from ecommerce.common.serializers import ChoiceField, InputSerializer

COUNTRY_INVALID = _('"{input}" is not a country code: send its ISO 3166-1 alpha-2 code, e.g. ET.')


class Alpha2CountryField(CountryField):
    """A country as its two-letter code only. django-countries also reads numeric codes, with
    str.isdigit() and int(): `²` passes the first and crashes the second. Its refusal names the
    standard rather than some 250 codes (the project's ChoiceField lists a field's choices)."""

    default_error_messages = {"invalid_choice": COUNTRY_INVALID}

    def to_internal_value(self, data):
        if not (isinstance(data, str) and re.fullmatch(r"[A-Za-z]{2}", data)):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class AddressOutputSerializer(serializers.ModelSerializer):
    country = CountryField()

    class Meta:
        model = Address
        fields = ["id", "address_type", *ADDRESS_SNAPSHOT_FIELDS, "is_default", "created_at"]
        read_only_fields = fields


class AddressInputSerializer(InputSerializer):
    address_type = ChoiceField(choices=AddressType.choices, default=AddressType.SHIPPING)
    full_name = serializers.CharField(max_length=150)
    phone = serializers.CharField(max_length=20)
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    country = Alpha2CountryField(default="ET", help_text="ISO 3166-1 alpha-2 code.")
    is_default = serializers.BooleanField(default=False)
