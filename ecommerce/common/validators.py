import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

PHONE_INVALID = _("Enter an Ethiopian phone number: 09XXXXXXXX or 07XXXXXXXX, or +2519XXXXXXXX / +2517XXXXXXXX.")
# What people type around the digits of a number; anything else (letters, which the library would
# read as a keypad's "1-800-FLOWERS", an extension, digits of other scripts) is refused first.
_PHONE_WRITTEN = re.compile(r"[0-9 \-().+]{1,24}")
# Numbers in query parameters, in ASCII digits only. Python reads far more: int() and Decimal()
# take the digits of every script ('٣' is 3), spaces and underscores ('1_000'), and
# str.isdigit() says yes to '²', which int() then refuses.
ASCII_INTEGER = re.compile(r"-?[0-9]+")
# An Ethiopian Taxpayer Identification Number: ten ASCII digits, nothing else (not '١٢٣', not
# '0012 345 678').
TIN_INVALID = _("A TIN is exactly ten digits, 0 to 9, with no spaces or other characters.")
tin_validator = RegexValidator(r"\A[0-9]{10}\Z", TIN_INVALID, code="invalid_tin")
ASCII_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def normalize_ethiopian_phone(value: str, *, field: str | None = None) -> str:
    """Return the 10-digit local form (`0912345678`) of an Ethiopian mobile number (Ethio
    Telecom's `09…`, Safaricom's `07…`), the form Chapa and the couriers take.

    Any usual writing is accepted (`0911 23 45 67`, `+251 911-234567`, `251711234567`); the
    `phonenumbers` library, which follows the operators' number plans, decides what is a mobile
    number in service. The error names `field` when given.
    """
    value = (value or "").strip()
    number = None
    if _PHONE_WRITTEN.fullmatch(value):
        try:
            number = phonenumbers.parse(value, "ET")
        except phonenumbers.NumberParseException:
            number = None
    if (
        number is None
        or number.country_code != 251
        or number.extension
        or not phonenumbers.is_valid_number_for_region(number, "ET")
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
        # The plan reserves other mobile ranges (08…) that no operator the gateway reaches uses.
        or str(number.national_number)[0] not in "79"
    ):
        error = ValidationError(PHONE_INVALID, code="invalid_phone")
        raise ValidationError({field: error.error_list}) if field else error
    return "0" + str(number.national_number)
