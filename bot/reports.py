"""Petitions for admins outside Telegram: listing, CSV export, and a report by period (with users' votes)."""

from __future__ import annotations

import contextlib
import csv
import re
import datetime as dt
import statistics
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot import messages
from bot.petitions import ADMINS_UNIT, CATEGORIES, STATUSES, Petition, Petitions
from bot.store import Store
from bot.workdays import date_vn, day_in_vietnam, time_vn, today_in_vietnam

FIELDS = ["code", "created_at", "updated_at", "status", "status_label", "category", "category_label", "area",
          "unit_id", "complaint", "description", "place", "latitude", "longitude", "anonymous", "contact_name",
          "contact_phone"]


def as_row(petition: Petition) -> dict[str, Any]:
    return {
        "code": petition.code, "created_at": petition.created_at, "updated_at": petition.updated_at,
        "status": petition.status, "status_label": STATUSES[petition.status], "category": petition.category,
        "category_label": CATEGORIES.get(petition.category, petition.category), "area": petition.area,
        "unit_id": petition.unit_id, "complaint": petition.complaint, "description": petition.description,
        "place": petition.place, "latitude": petition.latitude, "longitude": petition.longitude,
        "anonymous": petition.anonymous, "contact_name": petition.contact_name,
        "contact_phone": petition.contact_phone,
    }


async def list_petitions(db_path: Path | str, **filters: str | None) -> list[dict[str, Any]]:
    async with Store(db_path) as store:
        petitions = Petitions(store, (), frozenset())
        return [as_row(p) for p in await petitions.all(**filters)]


_PLAIN_NUMBER = re.compile(r"[+-][\d .]*")


def as_cell(value: Any) -> Any:
    """A value as a spreadsheet cell: what a citizen wrote never runs as a formula in Excel."""
    if not isinstance(value, str):
        return value
    # a leading + or - starts a formula too, but "+84901234567" (a phone number) is harmless as it is
    risky = value[:1] in ("=", "@", "\t", "\r") or value[:1] in ("+", "-") and not _PLAIN_NUMBER.fullmatch(value)
    return "'" + value if risky else value


def write_csv(handle: Any, rows: list[dict[str, Any]]) -> None:
    """Petitions' rows (:func:`as_row`) as CSV for people in Excel: the columns named in Vietnamese,
    times as Việt Nam's (dd/mm/yyyy hh:mm), Có/Không."""
    writer = csv.DictWriter(handle, fieldnames=FIELDS)
    writer.writerow(messages.CSV_HEADERS)
    for row in rows:
        row |= {key: time_vn(row[key]) for key in ("created_at", "updated_at")}
        writer.writerow({k: "" if v is None else (messages.YES if v else messages.NO) if isinstance(v, bool) else
                         as_cell(v) for k, v in row.items()})


async def export_csv(db_path: Path | str, target: Path) -> int:
    """Every petition as CSV that Excel opens with Vietnamese intact (UTF-8 with a byte order mark)."""
    rows = await list_petitions(db_path)
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        write_csv(handle, rows)
    return len(rows)


def _when(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp)


def vote_rows(totals: Mapping[str, tuple[int, int]], titles: Mapping[str, str]) -> list[dict[str, Any]]:
    """Votes per intent, the most disliked first (most 👎, then fewest 👍), titled where the intent is known."""
    rows = [{"intent": intent, "title": titles.get(intent), "up": up, "down": down}
            for intent, (up, down) in totals.items()]
    return sorted(rows, key=lambda r: (-r["down"], r["up"], r["intent"]))


async def report(db: Store | Path | str, since: dt.date, until: dt.date, titles: Mapping[str, str] | None = None,
                 today: dt.date | None = None) -> dict[str, Any]:
    """Counts by category, unit and status of petitions created in [since, until] (days in Việt Nam),
    with response (first action by a unit) and resolution (resolved or rejected) times in hours; and
    the users' votes on answers, per intent (``titles``: intent id -> title), over all time: votes are
    kept one per user and intent, the latest, so they belong to no period.  For the charts also:
    ``by_day`` (day of creation -> status -> count), every time in hours (``response_values``,
    ``resolution_values``) and ``overdue_by_unit``.  ``db``: an open store (the dashboard's), or a
    database to open."""
    async with contextlib.AsyncExitStack() as stack:
        store = db if isinstance(db, Store) else await stack.enter_async_context(Store(db))
        votes = vote_rows(await store.vote_totals(), titles or {})
        petitions = Petitions(store, (), frozenset())
        chosen = [p for p in await petitions.all() if since <= day_in_vietnam(p.created_at) <= until]
        response: list[float] = []
        resolution: list[float] = []
        ratings, reopened, late_by_unit = Counter(), 0, Counter()
        today = today or today_in_vietnam()
        # every petition's events in one query, not one per petition (a desk's report has thousands)
        events_of: dict[int, list[dict[str, Any]]] = {}
        for row in await store.db.fetchall(
                "SELECT petition_id, actor, action, detail, created_at FROM events ORDER BY id"):
            events_of.setdefault(row[0], []).append(dict(row))
        for p in chosen:
            created = _when(p.created_at)
            events = events_of.get(p.id, [])
            ratings.update(e["detail"] for e in events if e["action"] == "rated")
            reopened += sum(1 for e in events if e["action"] == "reopened")
            closings = [day_in_vietnam(e["created_at"]) for e in events if e["action"] in ("resolved", "rejected")]
            closed_on = closings[-1] if p.closed and closings else None
            if p.due_on and (closed_on or today) > dt.date.fromisoformat(p.due_on):
                late_by_unit[p.unit_id] += 1
            acted = [e for e in events if e["actor"].startswith("user:") and e["action"] != "created"]
            if acted:
                response.append((_when(acted[0]["created_at"]) - created).total_seconds() / 3600)
            closed = [e for e in events if e["action"] in ("resolved", "rejected")]
            if closed:
                resolution.append((_when(closed[0]["created_at"]) - created).total_seconds() / 3600)
    return {
        "since": since.isoformat(), "until": until.isoformat(), "total": len(chosen),
        "by_category": dict(Counter(p.category for p in chosen).most_common()),
        "by_unit": dict(Counter(p.unit_id for p in chosen).most_common()),
        "by_status": dict(Counter(p.status for p in chosen).most_common()),
        "response_hours": _summary(response), "resolution_hours": _summary(resolution),
        "satisfied": ratings.get("1", 0), "not_satisfied": ratings.get("-1", 0), "reopened": reopened,
        "overdue": late_by_unit.total(), "votes": votes,
        "by_day": _by_day(chosen),
        "response_values": [round(h, 2) for h in response], "resolution_values": [round(h, 2) for h in resolution],
        "overdue_by_unit": dict(late_by_unit.most_common()),
    }


def _by_day(chosen: list[Petition]) -> dict[str, dict[str, int]]:
    """Petitions by their day of creation in Việt Nam, oldest first, then by status."""
    days: dict[str, Counter[str]] = {}
    for p in sorted(chosen, key=lambda p: p.created_at):
        days.setdefault(day_in_vietnam(p.created_at).isoformat(), Counter())[p.status] += 1
    return {day: dict(statuses.most_common()) for day, statuses in days.items()}


def _summary(values: list[float]) -> dict[str, float | int | None]:
    if not values:
        return {"count": 0, "median": None, "mean": None}
    return {"count": len(values), "median": round(statistics.median(values), 2),
            "mean": round(statistics.fmean(values), 2)}


def report_text(data: dict[str, Any], unit_names: Mapping[str, str] | None = None) -> str:
    """The report for people: units by name (``unit_names``: id -> name, from the configuration)."""
    lines = [messages.REPORT_HEADER.format(since=date_vn(data["since"]), until=date_vn(data["until"]),
                                           total=data["total"])]
    units = {ADMINS_UNIT.id: ADMINS_UNIT.name, **(unit_names or {})}
    for title, key, labels in ((messages.REPORT_BY_CATEGORY, "by_category", CATEGORIES),
                               (messages.REPORT_BY_UNIT, "by_unit", units), (messages.REPORT_BY_STATUS, "by_status", STATUSES)):
        lines.append(f"\n{title}:")
        lines += [f"  {labels.get(k, k)}: {v}" for k, v in data[key].items()] or [messages.REPORT_NONE]
    for title, key in ((messages.REPORT_RESPONSE, "response_hours"), (messages.REPORT_RESOLUTION, "resolution_hours")):
        s = data[key]
        lines.append(f"\n{title}: " + (messages.REPORT_HOURS.format(**s) if s["count"] else messages.REPORT_NOT_YET))
    lines.append("\n" + messages.REPORT_OUTCOMES.format(**data))
    lines.append("\n" + messages.REPORT_VOTES)
    lines += [messages.REPORT_VOTE.format(title=v["title"] or v["intent"], intent=v["intent"], up=v["up"],
                                          down=v["down"]) for v in data["votes"]] or [messages.REPORT_NO_VOTES]
    return "\n".join(lines)


def report_png(data: dict[str, Any], target: Path, unit_names: Mapping[str, str] | None = None) -> None:
    """The report's counts as bar charts in one PNG, labelled in Vietnamese (``unit_names``: id -> name)."""
    from bot.charts import summary_png  # matplotlib takes a second to import: only for those who draw

    target.write_bytes(summary_png(data, unit_names))
