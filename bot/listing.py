"""Finding petitions for a desk: filters, text search, sorting and paging, within what the reader may see.

Filters that the database answers well (status, unit, category, dates) are SQL; the text search
is on folded text (without diacritics, any case), as staff type it, in Python: a desk's few
thousand petitions are searched in milliseconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from bot.petitions import CLOSED, Petition
from bot.store import Store
from bot.text import fold
from bot.workdays import VIETNAM

PAGE_SIZE = 25
SORTS = ("newest", "oldest", "due", "updated")


@dataclass(frozen=True)
class Filter:
    status: str | None = None  # a status key, or "open" for any not closed
    unit_id: str | None = None
    category: str | None = None
    area: str | None = None  # part of the area's name, as typed
    overdue: bool = False
    text: str | None = None  # in the code, description, place or contact
    since: dt.date | None = None  # created on or after (Việt Nam's day)
    until: dt.date | None = None  # created on or before
    sort: str = "newest"
    page: int = 1


@dataclass(frozen=True)
class Found:
    petitions: list[Petition]
    total: int
    page: int
    pages: int


def is_overdue(petition: Petition, today: dt.date) -> bool:
    return bool(petition.due_on) and not petition.closed and dt.date.fromisoformat(petition.due_on) < today


def _vn_midnight(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(), VIETNAM).astimezone(dt.UTC).isoformat(timespec="seconds")


async def find(store: Store, f: Filter, units: Collection[str] | None, today: dt.date,
               page_size: int | None = PAGE_SIZE) -> Found:
    """The petitions matching ``f`` among those of ``units`` (None: every unit, for admins); one page,
    or all of them when ``page_size`` is None (an export)."""
    sql, args = "SELECT * FROM petitions WHERE 1 = 1", []
    if units is not None:
        if not units:
            return Found([], 0, 1, 1)
        sql += f" AND unit_id IN ({', '.join('?' for _ in units)})"
        args += sorted(units)
    if f.status == "open":
        sql += f" AND status NOT IN ({', '.join('?' for _ in CLOSED)})"
        args += sorted(CLOSED)
    elif f.status:
        sql += " AND status = ?"
        args.append(f.status)
    for column, value in (("unit_id", f.unit_id), ("category", f.category)):
        if value:
            sql += f" AND {column} = ?"
            args.append(value)
    if f.since:
        sql += " AND created_at >= ?"
        args.append(_vn_midnight(f.since))
    if f.until:
        sql += " AND created_at < ?"
        args.append(_vn_midnight(f.until + dt.timedelta(days=1)))
    if f.overdue:
        sql += f" AND due_on < ? AND status NOT IN ({', '.join('?' for _ in CLOSED)})"
        args += [today.isoformat(), *sorted(CLOSED)]
    rows = [Petition._from_row(r) for r in await store.db.fetchall(sql, args)]
    if f.area:
        wanted = fold(f.area)
        rows = [p for p in rows if p.area and wanted in fold(p.area)]
    if f.text:
        words = fold(f.text).split()
        rows = [p for p in rows if all(w in _haystack(p) for w in words)]
    rows.sort(key=_sort_key(f.sort), reverse=f.sort in ("newest", "updated"))
    if page_size is None:
        return Found(rows, len(rows), 1, 1)
    pages = max(1, -(-len(rows) // page_size))
    page = min(max(1, f.page), pages)
    return Found(rows[(page - 1) * page_size: page * page_size], len(rows), page, pages)


def _haystack(p: Petition) -> str:
    return fold(" ".join(x for x in (p.code, p.description, p.place, p.area, p.contact_name, p.contact_phone) if x))


def _sort_key(sort: str):
    if sort == "due":
        return lambda p: (p.closed, p.due_on or "9999", p.id)
    if sort == "updated":
        return lambda p: (p.updated_at, p.id)
    return lambda p: p.id

