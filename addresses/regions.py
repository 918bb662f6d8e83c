"""Ethiopia's regions and chartered cities, by their English names: an address's `region` is
stored in this spelling so that delivery methods can match it."""

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ecommerce.common.folding import fold

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
# Their Amharic names, as the regions write them (ድሬዳዋ is written in one word as often as in
# two). Compared folded, so the spellings that sound alike are one: ሐረሪ and ሀረሪ.
ETHIOPIA_REGIONS_AMHARIC = {
    "Addis Ababa": ("አዲስ አበባ",),
    "Afar": ("አፋር",),
    "Amhara": ("አማራ",),
    "Benishangul-Gumuz": ("ቤኒሻንጉል ጉሙዝ",),
    "Central Ethiopia": ("ማዕከላዊ ኢትዮጵያ",),
    "Dire Dawa": ("ድሬ ዳዋ", "ድሬዳዋ"),
    "Gambela": ("ጋምቤላ",),
    "Harari": ("ሐረሪ",),
    "Oromia": ("ኦሮሚያ",),
    "Sidama": ("ሲዳማ",),
    "Somali": ("ሶማሌ",),
    "South Ethiopia": ("ደቡብ ኢትዮጵያ",),
    "South West Ethiopia Peoples'": ("ደቡብ ምዕራብ ኢትዮጵያ ሕዝቦች",),
    "Tigray": ("ትግራይ",),
}
REGION_UNKNOWN = format_lazy(
    _("Enter one of Ethiopia's regions or chartered cities: {regions}."), regions=", ".join(ETHIOPIA_REGIONS)
)


def place_key(value: str) -> str:
    """How places are compared: folded as search folds (case, runs of spaces, Ethiopic
    punctuation and the Amharic letters that sound alike make no difference)."""
    return fold(value)


_CANONICAL = {place_key(name): name for name in ETHIOPIA_REGIONS} | {
    place_key(amharic): name for name, names in ETHIOPIA_REGIONS_AMHARIC.items() for amharic in names
}


def region_canonical(value: str) -> str:
    """An Ethiopian region in its canonical spelling ("" stays ""), or a ValidationError."""
    if not value.strip():
        return ""
    try:
        return _CANONICAL[place_key(value)]
    except KeyError:
        raise ValidationError({"region": [REGION_UNKNOWN]}) from None
