"""Working days: weekends and Vietnamese public holidays do not count towards a petition's deadline.

The public holidays come from the ``holidays`` package (its Vietnam calendar follows the Labour
Code 2019, art. 112, and the government's yearly notices): Tết and the Hùng Kings' day on their
lunar dates, the day next to 2/9, the days off that replace a holiday falling on a weekend.  A
deployment may add its own days (``holidays:`` in DANVAN_CONFIG); it need not list the national ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays as public_holidays

# Việt Nam keeps one offset all year: the documents' days, deadlines and receipts are days here.
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


def today_in_vietnam() -> dt.date:
    return dt.datetime.now(VIETNAM).date()


def date_vn(day: dt.date | str) -> str:
    """A day as people here write it: 05/03/2026 (an ISO date or a UTC time stamp: its day in Việt Nam)."""
    if isinstance(day, str):
        day = day_in_vietnam(day) if "T" in day else dt.date.fromisoformat(day)
    return day.strftime("%d/%m/%Y")


def time_vn(stamp: str) -> str:
    """A UTC time stamp as a time in Việt Nam: 05/03/2026 14:30."""
    return dt.datetime.fromisoformat(stamp).astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def day_in_vietnam(stamp: str) -> dt.date:
    """The day in Việt Nam of an ISO time stamp in UTC: a petition sent at 17:30 on 4/5 UTC arrives on 5/5."""
    return dt.datetime.fromisoformat(stamp).astimezone(VIETNAM).date()


@lru_cache(maxsize=64)
def national_calendar(year: int) -> public_holidays.HolidayBase:
    """Việt Nam's public holidays, days off in lieu of one, and weekend days worked in exchange, in a year."""
    return public_holidays.country_holidays("VN", years=year)


def is_working_day(day: dt.date, holidays: frozenset[dt.date] = frozenset(),
                   working_days: frozenset[dt.date] = frozenset()) -> bool:
    """A weekday that is no holiday, or a weekend day worked in exchange for one (the government's
    yearly swaps: the package's, and any the deployment lists under ``working_days:``)."""
    if day in working_days:
        return True
    return national_calendar(day.year).is_working_day(day) and day not in holidays


def add_working_days(start: dt.date, days: int, holidays: Iterable[dt.date] = (),
                     working_days: Iterable[dt.date] = ()) -> dt.date:
    """The date ``days`` working days after ``start`` (the day of receipt itself does not count)."""
    extra, worked = frozenset(holidays), frozenset(working_days)
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, extra, worked):
            left -= 1
    return day
