"""The Ethiopian calendar (Amete Mihret), converted to and from Python's Gregorian `date`.

Twelve months of 30 days and Pagume of 5 days, 6 in a leap year; every fourth year is a leap
year without exception: the year before the Gregorian leap year (2015 E.C. ended with Pagume 6,
on 11 September 2023, so 2016 E.C. began on 12 September). The calendar is the Coptic one with
another epoch (Calendrical Calculations, Reingold and Dershowitz, chapter 4).

Our own, rather than a package: the arithmetic is a few lines over `date.toordinal()`, while
the converters on PyPI are each one person's, check their input with `assert` (gone under
`python -O`), or get the leap year wrong (one counts years divisible by 4, so it starts 2016
E.C. on 11 September 2023, a day early). The tests hold this one to a table of known dates and
to a round trip over three centuries.
"""

from datetime import date
from typing import NamedTuple

# Meskerem 1 of year 1: 29 August 8 in the Julian calendar, which is 27 August 8 in the
# (proleptic) Gregorian calendar that `date` counts in.
EPOCH = date(8, 8, 27).toordinal()

MONTHS_AMHARIC = (
    "መስከረም",
    "ጥቅምት",
    "ኅዳር",
    "ታኅሣሥ",
    "ጥር",
    "የካቲት",
    "መጋቢት",
    "ሚያዝያ",
    "ግንቦት",
    "ሰኔ",
    "ሐምሌ",
    "ነሐሴ",
    "ጳጉሜ",
)
MONTHS_ENGLISH = (
    "Meskerem",
    "Tikimt",
    "Hidar",
    "Tahsas",
    "Tir",
    "Yekatit",
    "Megabit",
    "Miyazya",
    "Ginbot",
    "Sene",
    "Hamle",
    "Nehase",
    "Pagume",
)
PAGUME = 13


class EthiopianDate(NamedTuple):
    year: int
    month: int
    day: int


def is_leap_year(year: int) -> bool:
    """Whether Pagume has 6 days in this Ethiopian year."""
    return year % 4 == 3


def days_in_month(year: int, month: int) -> int:
    if month == PAGUME:
        return 6 if is_leap_year(year) else 5
    return 30


def _ordinal(year: int, month: int, day: int) -> int:
    return EPOCH - 1 + 365 * (year - 1) + year // 4 + 30 * (month - 1) + day


def to_ethiopian(value: date) -> EthiopianDate:
    """The Ethiopian date of a Gregorian day (a `datetime` must be made local first)."""
    ordinal = value.toordinal()
    year = (4 * (ordinal - EPOCH) + 1463) // 1461
    month = (ordinal - _ordinal(year, 1, 1)) // 30 + 1
    return EthiopianDate(year, month, ordinal - _ordinal(year, month, 1) + 1)


def from_ethiopian(year: int, month: int, day: int) -> date:
    """The Gregorian day of an Ethiopian date; ValueError for a day the calendar has not (Pagume
    6 of a common year, a 31st, a 14th month)."""
    if not 1 <= month <= PAGUME:
        raise ValueError(f"The Ethiopian month is 1 to 13, not {month}.")
    if not 1 <= day <= days_in_month(year, month):
        raise ValueError(f"{MONTHS_ENGLISH[month - 1]} {year} has {days_in_month(year, month)} days, not {day}.")
    return date.fromordinal(_ordinal(year, month, day))
