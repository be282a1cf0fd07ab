"""Reporting deadlines from the documents (``content/deadlines.yaml``) and when they next fall.

A deadline is what a document words it as (``written``, checked verbatim against
its section) and one of: a day, once (``date``, a document of one year); a
quarter, once (``quarter: II/2021``); a month of every year of the document's
period (``month``); or ``periodic`` with no date at all (listed, never reminded).
Nothing recurs past the document's period, and no day is shown that the
document does not give: a quarter is shown as a quarter, with the day it ends.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot import messages, places
from bot.content import Library
from bot.text import lower

REMIND_DAYS_BEFORE = (7, 1)
_QUARTER = re.compile(r"^(I|II|III|IV)/(\d{4})$")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def ddmmyyyy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


class DeadlineError(ValueError):
    pass


@dataclass(frozen=True)
class Deadline:
    id: str
    title: str
    locality: str
    source: str
    written: str  # as the document words it
    date: dt.date | None = None  # a day, once
    quarter: str = ""  # "II/2021", once
    month: int | None = None  # "tháng 11 hàng năm": that month of every year in ``years``
    years: range = range(0)  # the document's period
    periodic: bool = False  # no date in the document: listed, never reminded

    @property
    def quarter_end(self) -> dt.date | None:
        if not self.quarter:
            return None
        roman, year = _QUARTER.match(self.quarter).groups()
        last_month = 3 * _ROMAN[roman]
        return dt.date(int(year), last_month, calendar.monthrange(int(year), last_month)[1])

    def next_due(self, today: dt.date) -> dt.date | None:
        """The day a reminder counts down to, if one is still ahead: the day; the last day of the quarter;
        the first day of the month, in a year of the document's period."""
        if self.date is not None:
            return self.date if self.date >= today else None
        if self.quarter:
            end = self.quarter_end
            return end if end >= today else None
        if self.month is not None:
            return next((dt.date(y, self.month, 1) for y in self.years if dt.date(y, self.month, 1) >= today), None)
        return None

    def when(self) -> str:
        """The deadline as the document words it, and as days: never a day the document does not give."""
        if self.date is not None:
            return messages.DEADLINE_DAY.format(written=self.written, date=ddmmyyyy(self.date))
        if self.quarter:
            return messages.DEADLINE_QUARTER.format(written=self.written, end=ddmmyyyy(self.quarter_end))
        if self.month is not None:
            return messages.DEADLINE_MONTH.format(written=self.written, first=self.years[0], last=self.years[-1])
        return messages.DEADLINE_PERIODIC.format(written=self.written)

    def status(self, today: dt.date) -> str:
        """What the deadline is to someone today: how far off, passed, or past the document's period."""
        due = self.next_due(today)
        if due is not None:
            if self.month is not None:
                return messages.DEADLINE_NEXT_MONTH.format(month=due.month, year=due.year)
            return messages.DEADLINE_DAYS_LEFT.format(days=(due - today).days)
        if self.periodic:
            return messages.DEADLINE_PERIODIC_STATUS
        if self.month is not None:
            return messages.DEADLINE_PAST_PERIOD.format(first=self.years[0], last=self.years[-1])
        return messages.DEADLINE_PASSED

    def label(self, due: dt.date) -> str:
        """The occurrence on a button: its day, quarter or month (no day the document does not give)."""
        if self.quarter:
            return messages.DEADLINE_LABEL_QUARTER.format(quarter=self.quarter)
        if self.month is not None:
            return messages.DEADLINE_LABEL_MONTH.format(month=due.month, year=due.year)
        return ddmmyyyy(due)


def load_deadlines(path: Path, library: Library) -> list[Deadline]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DeadlineError(f"{path}: {exc}") from None
    out: list[Deadline] = []
    for number, raw in enumerate(data.get("deadlines") or [], 1):
        where = f"{path}: deadlines[{number}]"
        try:
            out.append(_deadline(raw, library))
        except (KeyError, TypeError, ValueError) as exc:
            raise DeadlineError(f"{where}: {exc}") from None
    return out


def _deadline(raw: dict, library: Library) -> Deadline:
    source = str(raw["source"])
    section = library.sections.get(source)
    if section is None:
        raise ValueError(f"unknown source section '{source}'")
    written = str(raw["written"])
    if lower(written) not in lower(" ".join(section.paragraphs)):
        raise ValueError(f"'written' is not the words of {source}: “{written}”")
    kinds = [k for k in ("date", "quarter", "month", "periodic") if raw.get(k)]
    if len(kinds) != 1:
        raise ValueError("give exactly one of 'date', 'quarter', 'month' or 'periodic'")
    quarter = str(raw.get("quarter") or "")
    if quarter and not _QUARTER.match(quarter):
        raise ValueError(f"'quarter' must read like II/2021, not {quarter!r}")
    month = raw.get("month")
    if month is not None and not (isinstance(month, int) and 1 <= month <= 12):
        raise ValueError("'month' must be 1-12")
    date = raw.get("date")
    if date is not None and (not isinstance(date, dt.date) or isinstance(date, dt.datetime)):
        raise ValueError("'date' must be a day such as 2023-05-18")
    if month is not None and not section.doc.years:
        raise ValueError(f"'month' recurs within the document's period, and {section.doc.id} gives none")
    if str(raw["locality"]) not in places.CODES:
        raise ValueError(f"'locality' must be one of {list(places.CODES)}")
    return Deadline(
        id=str(raw["id"]), title=str(raw["title"]), locality=str(raw["locality"]), source=source,
        written=written, date=date, quarter=quarter, month=month, years=section.doc.years,
        periodic=bool(raw.get("periodic")),
    )
