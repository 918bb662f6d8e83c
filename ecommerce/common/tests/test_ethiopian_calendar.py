"""The Ethiopian calendar: right on the days people know, and on every day in between."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecommerce.common.ethiopian_calendar import (
    MONTHS_AMHARIC,
    MONTHS_ENGLISH,
    from_ethiopian,
    is_leap_year,
    to_ethiopian,
)

KNOWN = [
    (date(2026, 12, 1), (2019, 3, 22)),  # the contract's example: ኅዳር 22 ቀን 2019 ዓ.ም.
    # New year: 11 September, or 12 September after a leap year (2015 and 1999 E.C.).
    (date(2024, 9, 11), (2017, 1, 1)),
    (date(2025, 9, 11), (2018, 1, 1)),
    (date(2023, 9, 12), (2016, 1, 1)),
    (date(2007, 9, 12), (2000, 1, 1)),  # the Ethiopian millennium
    # The last day of the year: Pagume 5, or Pagume 6 in a leap year.
    (date(2025, 9, 10), (2017, 13, 5)),
    (date(2023, 9, 11), (2015, 13, 6)),
    (date(2027, 9, 11), (2019, 13, 6)),
    (date(2007, 9, 11), (1999, 13, 6)),
    # 1 January.
    (date(2024, 1, 1), (2016, 4, 22)),
    (date(2025, 1, 1), (2017, 4, 23)),
    (date(2026, 1, 1), (2018, 4, 23)),
    # Genna on 7 January: Tahsas 29, and Tahsas 28 in the year after a leap year.
    (date(2025, 1, 7), (2017, 4, 29)),
    (date(2024, 1, 7), (2016, 4, 28)),
    # Timkat: Tir 11 is 19 January, or 20 January in the year after a leap year.
    (date(2025, 1, 19), (2017, 5, 11)),
    (date(2024, 1, 20), (2016, 5, 11)),
    (date(2024, 2, 29), (2016, 6, 21)),  # a Gregorian leap day
    (date(1896, 3, 1), (1888, 6, 23)),  # the victory of Adwa, Yekatit 23
]


@pytest.mark.parametrize(("gregorian", "ethiopian"), KNOWN, ids=[str(g) for g, _ in KNOWN])
def test_known_dates_convert_both_ways(gregorian, ethiopian):
    assert to_ethiopian(gregorian) == ethiopian
    assert from_ethiopian(*ethiopian) == gregorian


def test_month_names_in_amharic_and_english():
    assert MONTHS_AMHARIC[2] == "ኅዳር" and MONTHS_ENGLISH[2] == "Hidar"
    assert len(MONTHS_AMHARIC) == len(MONTHS_ENGLISH) == 13
    assert (MONTHS_AMHARIC[-1], MONTHS_ENGLISH[-1]) == ("ጳጉሜ", "Pagume")


def test_leap_years_are_the_years_before_a_gregorian_leap_year():
    assert [year for year in range(2011, 2021) if is_leap_year(year)] == [2011, 2015, 2019]


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [(2016, 13, 6), (2015, 13, 7), (2017, 1, 31), (2017, 14, 1), (2017, 0, 1), (2017, 1, 0)],
)
def test_a_day_the_calendar_has_not_is_refused(year, month, day):
    with pytest.raises(ValueError):
        from_ethiopian(year, month, day)


DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 30))


@given(DAYS)
def test_every_day_goes_there_and_back(day):
    assert from_ethiopian(*to_ethiopian(day)) == day


@given(DAYS)
def test_the_next_day_is_the_next_ethiopian_day(day):
    today, tomorrow = to_ethiopian(day), to_ethiopian(day + timedelta(days=1))
    if tomorrow.year == today.year + 1:
        # the new year starts the day after Pagume's last day
        assert (tomorrow.month, tomorrow.day) == (1, 1)
        assert (today.month, today.day) == (13, 6 if is_leap_year(today.year) else 5)
    elif tomorrow.month == today.month + 1:
        assert tomorrow.day == 1 and today.day == 30
    else:
        assert (tomorrow.year, tomorrow.month, tomorrow.day) == (today.year, today.month, today.day + 1)


@given(st.integers(min_value=1890, max_value=2195), st.integers(min_value=1, max_value=13), st.data())
def test_every_ethiopian_day_goes_there_and_back(year, month, data):
    day = data.draw(st.integers(min_value=1, max_value=(6 if is_leap_year(year) else 5) if month == 13 else 30))
    assert tuple(to_ethiopian(from_ethiopian(year, month, day))) == (year, month, day)
