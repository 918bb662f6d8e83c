import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

PHONE_INVALID = _("Enter an Ethiopian phone number: 09XXXXXXXX or 07XXXXXXXX, or +2519XXXXXXXX / +2517XXXXXXXX.")
_PHONE_RE = re.compile(r"^(?:\+?251|0)([79]\d{8})$")
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
    """Return the 10-digit local form (`0912345678`), the only form Chapa accepts.

    Spaces and dashes are ignored; `+251`, `251` and `0` prefixes are accepted. The error names
    `field` when given.
    """
    compact = re.sub(r"[\s\-()]", "", value or "")
    match = _PHONE_RE.match(compact)
    if not match:
        error = ValidationError(PHONE_INVALID, code="invalid_phone")
        raise ValidationError({field: error.error_list}) if field else error
    return "0" + match.group(1)
