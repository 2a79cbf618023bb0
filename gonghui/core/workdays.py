"""Deadlines in Chinese working days (DOMAIN §4.5).

Counting starts the day after the start date; a working day is one the State Council's
holiday notice makes a working day (make-up Saturdays/Sundays, 调休, included), as
published in `chinesecalendar`. For years the installed calendar does not know yet, the
count falls back to Monday–Friday and says so in the stored rule (`calendar`), so that a
deadline is never silently computed without holidays.
"""

import datetime

import chinese_calendar

CALENDAR_OFFICIAL = "chinesecalendar"
CALENDAR_WEEKDAYS = "weekdays"


def is_working_day(day: datetime.date) -> tuple[bool, str]:
    try:
        return chinese_calendar.is_workday(day), CALENDAR_OFFICIAL
    except NotImplementedError:
        return day.weekday() < 5, CALENDAR_WEEKDAYS


def working_days_add(start: datetime.date, days: int) -> tuple[datetime.date, str]:
    """The date `days` working days after `start` (start itself not counted), and the
    calendar used ("chinesecalendar", or "weekdays" if any day counted fell outside it).

    >>> working_days_add(datetime.date(2021, 9, 28), 10)[0]
    datetime.date(2021, 10, 18)
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    day, counted, calendar = start, 0, CALENDAR_OFFICIAL
    while counted < days:
        day += datetime.timedelta(days=1)
        working, used = is_working_day(day)
        if used == CALENDAR_WEEKDAYS:
            calendar = CALENDAR_WEEKDAYS
        if working:
            counted += 1
    return day, calendar


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day)[0]:
            count += 1
    return count
