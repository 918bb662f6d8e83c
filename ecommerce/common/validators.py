import re

from django.core.exceptions import ValidationError

PHONE_INVALID = "Enter an Ethiopian phone number: 09XXXXXXXX or 07XXXXXXXX, or +2519XXXXXXXX / +2517XXXXXXXX."
_PHONE_RE = re.compile(r"^(?:\+?251|0)([79]\d{8})$")


def normalize_ethiopian_phone(value: str) -> str:
    """Return the 10-digit local form (`0912345678`), the only form Chapa accepts.

    Spaces and dashes are ignored; `+251`, `251` and `0` prefixes are accepted.
    """
    compact = re.sub(r"[\s\-()]", "", value or "")
    match = _PHONE_RE.match(compact)
    if not match:
        raise ValidationError(PHONE_INVALID, code="invalid_phone")
    return "0" + match.group(1)
