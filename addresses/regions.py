"""Ethiopia's regions and chartered cities, by their English names: an address's `region` is
stored in this spelling so that delivery methods can match it."""

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

ETHIOPIA_REGIONS = (
    "Addis Ababa",
    "Afar",
    "Amhara",
    "Benishangul-Gumuz",
    "Central Ethiopia",
    "Dire Dawa",
    "Gambela",
    "Harari",
    "Oromia",
    "Sidama",
    "Somali",
    "South Ethiopia",
    "South West Ethiopia Peoples'",
    "Tigray",
)
REGION_UNKNOWN = format_lazy(
    _("Enter one of Ethiopia's regions or chartered cities: {regions}."), regions=", ".join(ETHIOPIA_REGIONS)
)

_CANONICAL = {name.casefold(): name for name in ETHIOPIA_REGIONS}


def place_key(value: str) -> str:
    """How places are compared: without regard to case or surrounding spaces."""
    return " ".join(value.split()).casefold()


def region_canonical(value: str) -> str:
    """An Ethiopian region in its canonical spelling ("" stays ""), or a ValidationError."""
    if not value.strip():
        return ""
    try:
        return _CANONICAL[place_key(value)]
    except KeyError:
        raise ValidationError({"region": [REGION_UNKNOWN]}) from None
