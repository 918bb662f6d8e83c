"""Dates for people: the Ethiopian date in Amharic, the Gregorian with the Ethiopian in English,
both on receipts, and always the local day and time of a moment, never UTC's."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from ecommerce.common.dates import date_display, time_display

DAY = date(2026, 12, 1)
# 21:30 UTC on 1 December is half past midnight on 2 December in Addis Ababa.
LATE_EVENING_UTC = datetime(2026, 12, 1, 21, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _in_addis_ababa(settings):
    settings.TIME_ZONE = "Africa/Addis_Ababa"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("am", "ኅዳር 22 ቀን 2019 ዓ.ም."), ("en", "1 December 2026 (Hidar 22, 2019 E.C.)")],
)
def test_a_date_in_each_language(language, expected):
    assert date_display(DAY, language=language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("am", "ኅዳር 22 ቀን 2019 ዓ.ም. (ዲሴምበር 1 ቀን 2026 እ.ኤ.አ.)"),
        ("en", "1 December 2026 (Hidar 22, 2019 E.C.)"),
    ],
)
def test_both_calendars_in_either_language(language, expected):
    assert date_display(DAY, language=language, both_calendars=True) == expected


def test_the_active_language_is_the_default():
    with translation.override("am"):
        assert date_display(DAY) == "ኅዳር 22 ቀን 2019 ዓ.ም."
    with translation.override("en"):
        assert date_display(DAY) == "1 December 2026 (Hidar 22, 2019 E.C.)"


def test_a_moment_is_shown_on_its_local_day_and_at_its_local_time():
    assert date_display(LATE_EVENING_UTC, language="en") == "2 December 2026 (Hidar 23, 2019 E.C.)"
    assert time_display(LATE_EVENING_UTC) == "00:30"
    assert date_display(LATE_EVENING_UTC, language="en", with_time=True) == (
        "2 December 2026 (Hidar 23, 2019 E.C.), 00:30"
    )
    # the 24-hour clock in Amharic too (see ecommerce/common/dates.py)
    assert date_display(LATE_EVENING_UTC, language="am", with_time=True) == "ኅዳር 23 ቀን 2019 ዓ.ም. 00:30"


def test_local_time_holds_where_another_zone_is_active():
    with timezone.override(UTC):  # as during an API request
        assert date_display(LATE_EVENING_UTC, language="en", with_time=True).endswith("(Hidar 23, 2019 E.C.), 00:30")


def test_the_new_year_after_a_leap_year_in_both_languages():
    assert date_display(date(2023, 9, 12), language="am") == "መስከረም 1 ቀን 2016 ዓ.ም."
    assert date_display(date(2023, 9, 11), language="en") == "11 September 2023 (Pagume 6, 2015 E.C.)"


def test_a_naive_moment_is_refused_rather_than_guessed():
    with pytest.raises(ValueError):
        date_display(datetime(2026, 12, 1, 21, 30))


def test_the_template_filters_print_nothing_for_no_date_as_djangos_do():
    assert Template("{% load dates %}[{{ none|date_display }}|{{ none|datetime_display }}]").render(Context()) == "[|]"


def test_the_template_filters():
    template = Template("{% load dates %}{{ placed|date_display }} / {{ until|datetime_display }}")
    context = Context({"placed": LATE_EVENING_UTC, "until": LATE_EVENING_UTC})
    with translation.override("am"):
        assert template.render(context) == "ኅዳር 23 ቀን 2019 ዓ.ም. / ኅዳር 23 ቀን 2019 ዓ.ም. 00:30"
    with translation.override("en"):
        assert template.render(context) == (
            "2 December 2026 (Hidar 23, 2019 E.C.) / 2 December 2026 (Hidar 23, 2019 E.C.), 00:30"
        )
