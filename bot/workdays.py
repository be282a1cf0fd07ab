"""Working days: weekends and Vietnamese public holidays do not count towards a petition's deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

# Holidays on fixed solar dates (Labour Code 2019, art. 112; 1/9 added from 2025). Tết and the
# Hùng Kings' day follow the lunar calendar: list their dates in DANVAN_CONFIG's `holidays`.
FIXED_HOLIDAYS = ((1, 1), (4, 30), (5, 1), (9, 1), (9, 2))
DEFAULT_DAYS = 10
DAYS_BY_CATEGORY = {"thu-tuc": 7, "an-ninh": 5, "dat-dai": 15}


def is_working_day(day: dt.date, holidays: frozenset[dt.date] = frozenset()) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS and day not in holidays


def add_working_days(start: dt.date, days: int, holidays: Iterable[dt.date] = ()) -> dt.date:
    """The date ``days`` working days after ``start`` (the day of receipt itself does not count)."""
    extra = frozenset(holidays)
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, extra):
            left -= 1
    return day


def due_date(category: str, received: dt.date, holidays: Iterable[dt.date] = ()) -> dt.date:
    return add_working_days(received, DAYS_BY_CATEGORY.get(category, DEFAULT_DAYS), holidays)
