"""Dates and times as people read them, in e-mails, PDFs, exports and the back office.

A moment is shown in the shop's local time (TIME_ZONE, Addis Ababa by default), never UTC. In
Amharic the date is Ethiopian ("ኅዳር 22 ቀን 2019 ዓ.ም."); in English it is Gregorian with the
Ethiopian one after it ("1 December 2026 (Hidar 22, 2019 E.C.)"); receipts show both calendars
in either language. The time of day is the 24-hour clock in both languages ("21:57"): the
Ethiopian clock counts the hours from six in the morning, so a deadline written that way
("3:00") is read six hours off by whoever assumes the other clock, while a 24-hour time is read
one way by everyone (the banks' and Ethio telecom's messages write it so too).
"""

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import pgettext

from ecommerce.common.ethiopian_calendar import MONTHS_AMHARIC, MONTHS_ENGLISH, to_ethiopian

ETHIOPIAN_MONTHS = {"am": MONTHS_AMHARIC, "en": MONTHS_ENGLISH}
GREGORIAN_MONTHS = {
    "am": ("ጃንዋሪ", "ፌብሩዋሪ", "ማርች", "ኤፕሪል", "ሜይ", "ጁን", "ጁላይ", "ኦገስት", "ሴፕቴምበር", "ኦክቶበር", "ኖቬምበር", "ዲሴምበር"),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def _local(value: datetime) -> datetime:
    # In TIME_ZONE even where another zone is active (the API answers in UTC).
    return timezone.localtime(value, timezone.get_default_timezone())


def _language(language: str | None) -> str:
    code = language or translation.get_language() or settings.LANGUAGE_CODE
    return "am" if code.lower().startswith("am") else "en"


def time_display(value: datetime) -> str:
    """The time of day of a moment, in local time: "21:57"."""
    return f"{_local(value):%H:%M}"


def date_display(
    value: date | datetime, *, language: str | None = None, with_time: bool = False, both_calendars: bool = False
) -> str:
    """The day of a date, or of a moment in local time, in `language` (the active one unless
    given): the Ethiopian date in Amharic, the Gregorian one with the Ethiopian after it in
    English. `with_time` adds the local time of day (a deadline); `both_calendars` gives the
    Gregorian date in Amharic too (receipts and credit notes)."""
    language = _language(language)
    day = _local(value).date() if isinstance(value, datetime) else value
    ethiopian_day = to_ethiopian(day)
    with translation.override(language):
        text = ethiopian = pgettext("Ethiopian date", "{month} {day}, {year} E.C.").format(
            month=ETHIOPIAN_MONTHS[language][ethiopian_day.month - 1], day=ethiopian_day.day, year=ethiopian_day.year
        )
        if language != "am" or both_calendars:
            gregorian = pgettext("Gregorian date", "{day} {month} {year}").format(
                day=day.day, month=GREGORIAN_MONTHS[language][day.month - 1], year=day.year
            )
            text = pgettext("a date in both calendars", "{gregorian} ({ethiopian})").format(
                gregorian=gregorian, ethiopian=ethiopian
            )
        if with_time:
            text = pgettext("a date and a time of day", "{date}, {time}").format(date=text, time=time_display(value))
    return text


def day_display(value: date, *, language: str | None = None) -> str:
    """A day of the month, where the year goes without saying (a chart's axis): its Ethiopian
    day in Amharic ("ኅዳር 22"), its Gregorian one in English ("1 December")."""
    language = _language(language)
    if language == "am":
        ethiopian_day = to_ethiopian(value)
        month, number = ETHIOPIAN_MONTHS[language][ethiopian_day.month - 1], ethiopian_day.day
    else:
        month, number = GREGORIAN_MONTHS[language][value.month - 1], value.day
    with translation.override(language):
        return pgettext("a day of a month", "{day} {month}").format(day=number, month=month)
