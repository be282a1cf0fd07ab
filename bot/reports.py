"""Petitions for admins outside Telegram: listing, CSV export, and a report by period (with users' votes)."""

from __future__ import annotations

import csv
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


async def export_csv(db_path: Path | str, target: Path) -> int:
    """Every petition as CSV that Excel opens with Vietnamese intact (UTF-8 with a byte order mark)."""
    rows = await list_petitions(db_path)
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writerow(messages.CSV_HEADERS)  # the columns named in Vietnamese
        for row in rows:  # read by people in Excel: times as Việt Nam's, dd/mm/yyyy hh:mm, Có/Không
            row |= {key: time_vn(row[key]) for key in ("created_at", "updated_at")}
            writer.writerow({k: "" if v is None else (messages.YES if v else messages.NO) if isinstance(v, bool) else v
                             for k, v in row.items()})
    return len(rows)


def _when(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp)


def vote_rows(totals: Mapping[str, tuple[int, int]], titles: Mapping[str, str]) -> list[dict[str, Any]]:
    """Votes per intent, the most disliked first (most 👎, then fewest 👍), titled where the intent is known."""
    rows = [{"intent": intent, "title": titles.get(intent), "up": up, "down": down}
            for intent, (up, down) in totals.items()]
    return sorted(rows, key=lambda r: (-r["down"], r["up"], r["intent"]))


async def report(db_path: Path | str, since: dt.date, until: dt.date, titles: Mapping[str, str] | None = None,
                 today: dt.date | None = None) -> dict[str, Any]:
    """Counts by category, unit and status of petitions created in [since, until], with response
    (first action by a unit) and resolution (resolved or rejected) times in hours; and the users'
    votes on answers, per intent (``titles``: intent id -> title), over all time: votes are kept one
    per user and intent, the latest, so they belong to no period."""
    async with Store(db_path) as store:
        votes = vote_rows(await store.vote_totals(), titles or {})
        petitions = Petitions(store, (), frozenset())
        chosen = [p for p in await petitions.all() if since <= _when(p.created_at).date() <= until]
        response, resolution = [], []
        ratings, reopened, late = Counter(), 0, 0
        today = today or today_in_vietnam()
        for p in chosen:
            created = _when(p.created_at)
            events = await petitions.events(p.id)
            ratings.update(e["detail"] for e in events if e["action"] == "rated")
            reopened += sum(1 for e in events if e["action"] == "reopened")
            closings = [day_in_vietnam(e["created_at"]) for e in events if e["action"] in ("resolved", "rejected")]
            closed_on = closings[-1] if p.closed and closings else None
            late += bool(p.due_on and (closed_on or today) > dt.date.fromisoformat(p.due_on))
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
        "overdue": late, "votes": votes,
    }


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


def report_png(data: dict[str, Any], target: Path) -> None:
    """The report's counts as horizontal bar charts in one PNG (labels are ids, ASCII, so any font shows them)."""
    from PIL import Image, ImageDraw, ImageFont

    from bot.text import strip_accents

    sections = [("Linh vuc (category)", data["by_category"]), ("Don vi (unit)", data["by_unit"]),
                ("Trang thai (status)", data["by_status"])]
    font = ImageFont.load_default(size=15)
    row, width, label_width, top = 24, 900, 260, 50
    height = top + sum(40 + row * max(1, len(values)) for _, values in sections) + 20
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    title = f"Phan anh {data['since']} - {data['until']}: {data['total']}"
    draw.text((20, 15), title, fill="black", font=font)
    y = top
    for name, values in sections:
        draw.text((20, y), name, fill="#1f3b73", font=font)
        y += 28
        biggest = max(values.values(), default=1) or 1
        for key, count in values.items():
            draw.text((30, y), strip_accents(str(key))[:32], fill="black", font=font)
            length = int((width - label_width - 80) * count / biggest)
            draw.rectangle((label_width, y + 3, label_width + max(length, 2), y + row - 5), fill="#3a7bd5")
            draw.text((label_width + length + 8, y), str(count), fill="black", font=font)
            y += row
        if not values:
            y += row
        y += 12
    image.save(target, format="PNG")
