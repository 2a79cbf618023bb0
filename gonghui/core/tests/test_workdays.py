"""Deadlines in Chinese working days, around the National Day holiday (DOMAIN §4.5)."""

import datetime

import pytest

from gonghui.core.workdays import working_days_add, working_days_between

D = datetime.date


@pytest.mark.parametrize(
    "start, days, expected",
    [
        # the handbook's example: 1-7 October off, Saturday 9 October 2021 worked (调休)
        (D(2021, 9, 28), 10, D(2021, 10, 18)),
        # Sunday 26 September 2021 was a make-up working day
        (D(2021, 9, 24), 1, D(2021, 9, 26)),
        (D(2021, 9, 30), 1, D(2021, 10, 8)),
        (D(2021, 9, 30), 2, D(2021, 10, 9)),
        (D(2021, 9, 30), 3, D(2021, 10, 11)),
        (D(2021, 9, 28), 0, D(2021, 9, 28)),
        # 2023: Mid-Autumn and National Day together, 29 Sep - 6 Oct; 7 and 8 Oct worked
        (D(2023, 9, 28), 1, D(2023, 10, 7)),
        (D(2023, 9, 28), 2, D(2023, 10, 8)),
        (D(2023, 9, 28), 3, D(2023, 10, 9)),
        # an ordinary week: Friday + 1 = Monday
        (D(2021, 11, 5), 1, D(2021, 11, 8)),
    ],
)
def test_working_days_add(start, days, expected):
    assert working_days_add(start, days) == (expected, "chinesecalendar")


def test_years_beyond_the_calendar_fall_back_to_weekdays_and_say_so():
    assert working_days_add(D(2040, 1, 6), 1) == (D(2040, 1, 9), "weekdays")


def test_working_days_between_counts_the_same_way():
    assert working_days_between(D(2021, 9, 28), D(2021, 10, 18)) == 10
    assert working_days_between(D(2021, 10, 1), D(2021, 10, 7)) == 0


def test_working_days_between_is_zero_when_the_end_is_not_later():
    assert working_days_between(D(2021, 11, 8), D(2021, 11, 8)) == 0
    assert working_days_between(D(2021, 11, 9), D(2021, 11, 8)) == 0
    # start itself is not counted, the end is
    assert working_days_between(D(2021, 11, 5), D(2021, 11, 8)) == 1


def test_a_count_that_crosses_into_unknown_years_says_weekdays():
    # the last day of the calendar's known years, then into the fallback
    assert working_days_add(D(2040, 1, 5), 2) == (D(2040, 1, 9), "weekdays")
    assert working_days_add(D(2021, 11, 5), 0) == (D(2021, 11, 5), "chinesecalendar")


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match=r"^days must be >= 0$"):
        working_days_add(D(2021, 11, 5), -1)


def test_is_working_day_reports_the_calendar_used():
    from gonghui.core.workdays import is_working_day

    assert is_working_day(D(2021, 10, 9)) == (True, "chinesecalendar")  # a make-up Saturday
    assert is_working_day(D(2021, 10, 4)) == (False, "chinesecalendar")  # National Day week
    assert is_working_day(D(2040, 1, 7)) == (False, "weekdays")  # a Saturday beyond the calendar
    assert is_working_day(D(2040, 1, 6)) == (True, "weekdays")  # a Friday beyond the calendar
