"""Reporting deadlines from the documents (``content/deadlines.yaml``) and when they next fall."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content import Library

REMIND_DAYS_BEFORE = (7, 1)


class DeadlineError(ValueError):
    pass


@dataclass(frozen=True)
class Deadline:
    id: str
    title: str
    locality: str
    source: str
    month: int | None = None
    day: int | None = None  # None: "during the month"
    once: int | None = None  # a deadline of that year only
    periodic: bool = False  # no date in the document: listed, never reminded

    @property
    def remindable(self) -> bool:
        return not self.periodic and self.month is not None

    def due(self, year: int) -> dt.date:
        """The date a reminder counts down to: the day, or the first of the month when no day is set."""
        assert self.month is not None
        day = self.day or 1
        return dt.date(year, self.month, min(day, calendar.monthrange(year, self.month)[1]))

    def next_due(self, today: dt.date) -> dt.date | None:
        if not self.remindable:
            return None
        if self.once is not None:
            due = self.due(self.once)
            return due if due >= today else None
        due = self.due(today.year)
        return due if due >= today else self.due(today.year + 1)

    def when(self) -> str:
        """The deadline in words, as the document gives it."""
        if self.periodic:
            return "định kỳ (văn bản không nêu ngày cụ thể)"
        if self.once is not None:
            return f"ngày {self.day}/{self.month}/{self.once}" if self.day else f"tháng {self.month}/{self.once}"
        return f"ngày {self.day}/{self.month} hằng năm" if self.day else f"trong tháng {self.month} hằng năm"


def load_deadlines(path: Path, library: Library) -> list[Deadline]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DeadlineError(f"{path}: {exc}") from None
    out: list[Deadline] = []
    for number, raw in enumerate(data.get("deadlines") or [], 1):
        where = f"{path}: deadlines[{number}]"
        try:
            deadline = Deadline(
                id=str(raw["id"]), title=str(raw["title"]), locality=str(raw["locality"]), source=str(raw["source"]),
                month=raw.get("month"), day=raw.get("day"), once=raw.get("once"), periodic=bool(raw.get("periodic")),
            )
        except (KeyError, TypeError) as exc:
            raise DeadlineError(f"{where}: missing or malformed {exc}") from None
        if deadline.source not in library.sections:
            raise DeadlineError(f"{where}: unknown source section '{deadline.source}'")
        if not deadline.periodic and not (isinstance(deadline.month, int) and 1 <= deadline.month <= 12):
            raise DeadlineError(f"{where}: 'month' must be 1-12 unless the deadline is periodic")
        out.append(deadline)
    return out
