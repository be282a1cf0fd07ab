"""A petition's audit history as people read it (the admin's /xem and the dashboard)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import messages
from bot.petitions import STATUSES, Petition, Petitions
from bot.workdays import date_vn, time_vn


@dataclass(frozen=True)
class Line:
    at: str  # dd/mm/yyyy hh:mm, Việt Nam's time
    actor: str
    action: str
    detail: str  # "" or ": ..." (as the /xem line writes it)


def who(petitions: Petitions, petition: Petition, actor: str) -> str:
    """An audit actor ("user:5550201", "admin:9", "system") as people read it."""
    kind, _, number = actor.partition(":")
    if kind == "system":
        return messages.ACTOR_SYSTEM
    if kind == "admin":
        return messages.ACTOR_ADMIN.format(id=number)
    if number == str(petition.user_id):
        return messages.ACTOR_CITIZEN
    unit = next((u for u in petitions.units if number.isdigit() and int(number) in u.staff), None)
    return messages.ACTOR_STAFF.format(unit=unit.name, id=number) if unit else messages.ACTOR_USER.format(id=number)


def detail(petitions: Petitions, event: dict[str, Any]) -> str:
    text = event["detail"]
    if not text:
        return ""
    if event["action"] == "redirected":
        text = petitions.unit(text).name
    elif event["action"] == "rated":
        text = messages.RATE_YES if text == "1" else messages.RATE_NO
    elif event["action"] == "escalated":
        text = messages.ADMIN_DUE.format(due=date_vn(text))
    return f": {text[:200]}"


async def lines(petitions: Petitions, petition: Petition) -> list[Line]:
    return [Line(time_vn(e["created_at"]), who(petitions, petition, e["actor"]),
                 messages.EVENT_LABELS.get(e["action"]) or STATUSES.get(e["action"], e["action"]),
                 detail(petitions, e))
            for e in await petitions.events(petition.id)]
