"""Petitions (phản ánh, kiến nghị): the domain.  Rules, rights and the status lifecycle live here.

Each act (create, act on, reply, reassign, add information, rate, delete personal data) takes who
acts and returns an :class:`Outcome` (done, not allowed, not now, not found) for any front end to
render; nothing here knows Telegram.  A change is written in one transaction with its audit event
and its notices, the events the outbox (bot/outbox.py) delivers: a citizen is given a tracking
code only for a petition that is on disk with its forwarding queued.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from rapidfuzz import fuzz

from bot import messages
from bot.config import Unit
from bot.database import Database
from bot.outbox import enqueue
from bot.store import Store, now
from bot.text import fold
from bot.workdays import VIETNAM, add_working_days, day_in_vietnam, today_in_vietnam

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read aloud
MAX_PER_DAY = 5
DESCRIPTION_MIN, DESCRIPTION_MAX = 15, 2000
PLACE_MAX = 300
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 10 * 1024 * 1024

CATEGORIES = messages.CATEGORIES  # key -> label, in the order citizens are offered them
# Working days a unit has to answer, by category (the day of receipt does not count; bot/workdays.py).
DAYS_TO_ANSWER: dict[str, int] = {"thu-tuc": 7, "an-ninh": 5, "dat-dai": 15}
DEFAULT_DAYS = 10
STATUSES = messages.STATUSES  # key -> label
CLOSED = frozenset({"resolved", "rejected"})
# Which status may follow which: a unit cannot reopen a closed petition by a stale button.
TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"forwarded", "accepted", "in_progress", "resolved", "rejected", "redirected"}),
    "reopened": frozenset({"accepted", "in_progress", "resolved", "rejected", "redirected"}),
    "forwarded": frozenset({"accepted", "in_progress", "resolved", "rejected", "redirected"}),
    "redirected": frozenset({"forwarded", "accepted", "in_progress", "resolved", "rejected", "redirected"}),
    "accepted": frozenset({"in_progress", "resolved", "rejected", "redirected"}),
    "in_progress": frozenset({"resolved", "rejected", "redirected"}),
    "resolved": frozenset({"reopened"}),  # only by its citizen: "not resolved" (Petitions.rate)
    "rejected": frozenset(),
}
ADMINS_UNIT = Unit(id="quan-tri", name=messages.ADMINS_UNIT_NAME, chat_id=0, categories=())


def new_code() -> str:
    """A tracking code like ``7K3M-Q9RT``: 31^8 possibilities, so not guessable."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(text: str) -> str:
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else text.strip().upper()


def is_complaint(text: str) -> bool:
    """Khiếu nại and tố cáo follow their own legal procedure."""
    folded = f" {fold(text)} "
    return " khieu nai " in folded or " to cao " in folded or " khieu kien " in folded


def due_date(category: str, received: dt.date, holidays: Iterable[dt.date] = (),
             working_days: Iterable[dt.date] = ()) -> dt.date:
    """The day a petition of ``category`` received on ``received`` is to be answered by, in working days."""
    return add_working_days(received, DAYS_TO_ANSWER.get(category, DEFAULT_DAYS), holidays, working_days)


def is_denunciation(text: str) -> bool:
    """A tố cáo names wrongdoing, often of an office: never sent to the unit that may be its subject."""
    return " to cao " in f" {fold(text)} "


def route(units: tuple[Unit, ...], category: str, area: str | None) -> Unit | None:
    """The unit for a category (and area, where units are configured per area); None: the admins."""
    for unit in units:
        if category in unit.categories and (not unit.areas or (area and area in unit.areas)):
            return unit
    return None


@dataclass(frozen=True)
class Petition:
    id: int
    code: str
    user_id: int
    chat_id: int
    category: str
    area: str | None
    description: str
    place: str | None
    latitude: float | None
    longitude: float | None
    contact_name: str | None
    contact_phone: str | None
    anonymous: bool
    complaint: bool
    status: str
    unit_id: str | None
    created_at: str
    updated_at: str
    due_on: str | None = None
    rating: int | None = None
    personal_deleted: bool = False

    @classmethod
    def _from_row(cls, row: Any) -> "Petition":
        return cls(
            row["id"], row["code"], row["user_id"], row["chat_id"], row["category"], row["area"],
            row["description"], row["place"], row["latitude"], row["longitude"], row["contact_name"],
            row["contact_phone"], bool(row["anonymous"]), bool(row["complaint"]), row["status"],
            row["unit_id"], row["created_at"], row["updated_at"], row["due_on"], row["rating"],
            bool(row["personal_deleted"]),
        )

    @property
    def closed(self) -> bool:
        return self.status in CLOSED

    @property
    def seconds_old(self) -> float:
        return (dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(self.created_at)).total_seconds()


@dataclass
class NewPetition:
    user_id: int
    chat_id: int
    category: str
    description: str
    area: str | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    photos: list[str] = field(default_factory=list)
    draft_key: str | None = None  # the conversation's own key: confirmed twice, stored once


class Outcome(StrEnum):
    """What came of an act on a petition, for any front end to render."""

    DONE = "done"
    NOT_ALLOWED = "not_allowed"  # the actor has no right to it
    NOT_NOW = "not_now"  # not in the petition's present status (closed, already so, nowhere to move)
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    petition: Petition | None = None

    @property
    def done(self) -> bool:
        return self.outcome is Outcome.DONE


@dataclass(frozen=True)
class Actor:
    """Who acts: a person by their Telegram user id (a web front end maps its logins to the same ids)."""

    user_id: int
    name: str = ""


SYSTEM = Actor(0, "system")
# Files that come with an answer: (photo | document, a Telegram file id or the id of an upload).
Evidence = tuple[tuple[str, str | int], ...]
# A unit's act and the status it leads to; resolve and reject carry the text the citizen reads.
ACTS: dict[str, str] = {"accept": "accepted", "start": "in_progress", "resolve": "resolved", "reject": "rejected"}


class Petitions:
    """The petition lifecycle on the store: every act checks who acts and the status rules, writes
    the change, its audit event and its notices (bot/outbox.py) in one transaction, and returns an
    :class:`Outcome`."""

    def __init__(self, store: Store, units: tuple[Unit, ...], admins: frozenset[int],
                 holidays: frozenset[dt.date] = frozenset(), working_days: frozenset[dt.date] = frozenset()) -> None:
        self.store = store
        self.units = units
        self.admins = admins
        self.holidays = holidays
        self.working_days = working_days

    @property
    def db(self) -> Database:
        return self.store.db

    # routing and rights -------------------------------------------------------------------

    def unit(self, unit_id: str | None) -> Unit:
        return next((u for u in self.units if u.id == unit_id), ADMINS_UNIT)

    def unit_chats(self, unit: Unit) -> list[int]:
        """Where a unit's petitions go: its chat, or each admin's chat for the admins' desk."""
        return [unit.chat_id] if unit.chat_id else sorted(self.admins)

    def is_admin(self, actor: Actor) -> bool:
        return actor.user_id in self.admins

    def may_handle(self, actor: Actor, petition: Petition) -> bool:
        """Only the handling unit's listed staff, or an admin (checked on every act)."""
        return self.is_admin(actor) or actor.user_id in self.unit(petition.unit_id).staff

    def _audit_name(self, actor: Actor) -> str:
        if actor is SYSTEM:
            return "system"
        return f"{'admin' if self.is_admin(actor) else 'user'}:{actor.user_id}"

    async def _checked(self, actor: Actor, petition_id: int, *, owner: bool = False,
                       open_only: bool = True) -> Result:
        """The petition if ``actor`` may act on it now (its citizen when ``owner``, else its unit or an admin)."""
        petition = await self.get(petition_id)
        if petition is None:
            return Result(Outcome.NOT_FOUND)
        allowed = petition.user_id == actor.user_id if owner else self.may_handle(actor, petition)
        if not allowed:
            return Result(Outcome.NOT_ALLOWED, petition)
        if open_only and petition.closed:
            return Result(Outcome.NOT_NOW, petition)
        return Result(Outcome.DONE, petition)

    # reading ------------------------------------------------------------------------------

    async def get(self, petition_id: int) -> Petition | None:
        # read FOR UPDATE inside a transaction: who may act and what status it has are decided on it
        row = await self.db.fetchone(f"SELECT * FROM petitions WHERE id = ?{self.db.for_update}", (petition_id,))
        return Petition._from_row(row) if row else None

    async def by_code(self, code: str) -> Petition | None:
        row = await self.db.fetchone("SELECT * FROM petitions WHERE code = ?", (normalise_code(code),))
        return Petition._from_row(row) if row else None

    async def by_draft(self, key: str) -> Petition | None:
        """The petition confirmed from the conversation whose key this is."""
        row = await self.db.fetchone("SELECT * FROM petitions WHERE draft_key = ?", (key,))
        return Petition._from_row(row) if row else None

    async def of_user(self, user_id: int, limit: int = 10) -> list[Petition]:
        return [Petition._from_row(row) for row in await self.db.fetchall(
            "SELECT * FROM petitions WHERE user_id = ? ORDER BY id DESC LIMIT ?", (user_id, limit)
        )]

    async def all(self, status: str | None = None, unit_id: str | None = None,
                  category: str | None = None) -> list[Petition]:
        sql, args = "SELECT * FROM petitions WHERE 1 = 1", []
        for column, value in (("status", status), ("unit_id", unit_id), ("category", category)):
            if value:
                sql += f" AND {column} = ?"
                args.append(value)
        return [Petition._from_row(row) for row in await self.db.fetchall(sql + " ORDER BY id", args)]

    async def photos(self, petition_id: int) -> list[str]:
        rows = await self.db.fetchall(
            "SELECT file_id FROM attachments WHERE petition_id = ? AND kind = 'photo' ORDER BY id", (petition_id,))
        return [row[0] for row in rows]

    async def events(self, petition_id: int) -> list[dict[str, Any]]:
        rows = await self.db.fetchall(
            "SELECT actor, action, detail, created_at FROM events WHERE petition_id = ? ORDER BY id", (petition_id,))
        return [dict(row) for row in rows]

    async def chats_that_had(self, petition_id: int) -> set[int]:
        """The chats a copy of the petition was sent to (its units, before and now)."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT chat_id FROM outbox WHERE petition_id = ? AND event = 'petition'", (petition_id,))
        return {row[0] for row in rows}

    async def similar_recent(self, user_id: int, description: str, days: int = 7) -> Petition | None:
        """A petition of the same user in the last ``days`` days that says nearly the same thing."""
        since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="seconds")
        rows = await self.db.fetchall(
            "SELECT * FROM petitions WHERE user_id = ? AND created_at >= ? ORDER BY id DESC", (user_id, since))
        recent = [Petition._from_row(row) for row in rows]
        wanted, numbers = fold(description), set(re.findall(r"\d+", description))

        def other_numbers(p: Petition) -> bool:  # "hẻm 20" is not "hẻm 21": another place, another case
            theirs = set(re.findall(r"\d+", p.description))
            return bool(numbers and theirs and numbers != theirs)

        return next((p for p in recent if fuzz.token_set_ratio(wanted, fold(p.description)) >= 90
                     and not other_numbers(p)), None)

    async def count_today(self, user_id: int) -> int:
        """A citizen's petitions since midnight in Việt Nam (the day's limit is Việt Nam's day)."""
        midnight = dt.datetime.combine(today_in_vietnam(), dt.time(), VIETNAM).astimezone(dt.UTC)
        return int(await self.db.fetchval(
            "SELECT COUNT(*) FROM petitions WHERE user_id = ? AND created_at >= ?",
            (user_id, midnight.isoformat(timespec="seconds")),
        ))

    async def overdue(self, today: dt.date) -> list[Petition]:
        rows = await self.db.fetchall(
            "SELECT * FROM petitions WHERE status NOT IN ('resolved', 'rejected') AND due_on < ? "
            "AND (overdue_reminded IS NULL OR overdue_reminded < ?) ORDER BY id",
            (today.isoformat(), today.isoformat()),
        )
        return [Petition._from_row(row) for row in rows]

    # acts ---------------------------------------------------------------------------------

    async def create(self, new: NewPetition) -> Petition:
        """Write the petition, its photos, its audit event and its forwarding in one durable
        transaction: a citizen is given a code only for a petition on disk with its forwarding queued."""
        # A denunciation may accuse the very unit that would take it: the admins' desk takes it.
        unit = ADMINS_UNIT if is_denunciation(new.description) else \
            route(self.units, new.category, new.area) or ADMINS_UNIT
        stamp = now()
        due = due_date(new.category, day_in_vietnam(stamp), self.holidays, self.working_days)
        async with self.store.transaction(durable=True):
            if new.draft_key is not None:  # the same confirmation again (its process died before replying)
                row = await self.db.fetchone("SELECT * FROM petitions WHERE draft_key = ?", (new.draft_key,))
                if row is not None:
                    return Petition._from_row(row)
            for _ in range(5):  # a code collision is astronomically rare; never reuse one
                code = new_code()
                if await self.db.fetchone("SELECT 1 FROM petitions WHERE code = ?", (code,)) is None:
                    break
            petition_id = await self.db.insert(
                "INSERT INTO petitions (code, user_id, chat_id, category, area, description, place, latitude, "
                "longitude, contact_name, contact_phone, anonymous, complaint, status, unit_id, created_at, "
                "updated_at, due_on, draft_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?)",
                (code, new.user_id, new.chat_id, new.category, new.area, new.description, new.place, new.latitude,
                 new.longitude, new.contact_name, new.contact_phone, int(not new.contact_phone),
                 int(is_complaint(new.description)), unit.id, stamp, stamp, due.isoformat(), new.draft_key),
            )
            for file_id in new.photos[:MAX_PHOTOS]:
                await self.db.execute(
                    "INSERT INTO attachments (petition_id, kind, file_id, created_at) VALUES (?, 'photo', ?, ?)",
                    (petition_id, file_id, stamp),
                )
            await self._event(petition_id, f"user:{new.user_id}", "created", None, stamp)
            petition = await self.get(petition_id)
            assert petition is not None
            await self._forward(petition, unit, stamp)
        return petition

    async def submit(self, actor: Actor, new: NewPetition) -> Result:
        """A citizen's petition as any front end takes it: their own, within the daily limit, its
        description within bounds (NOT_NOW otherwise); then :meth:`create`."""
        if actor.user_id != new.user_id:
            return Result(Outcome.NOT_ALLOWED)
        if not DESCRIPTION_MIN <= len(new.description.strip()) <= DESCRIPTION_MAX:
            return Result(Outcome.NOT_NOW)
        if await self.count_today(new.user_id) >= MAX_PER_DAY:
            return Result(Outcome.NOT_NOW)
        return Result(Outcome.DONE, await self.create(new))

    async def act(self, actor: Actor, petition_id: int, act: str, text: str | None = None,
                  evidence: Evidence = ()) -> Result:
        """A unit's act (accept, start, resolve, reject): the status moves and the citizen is told;
        resolving and rejecting carry ``text`` for the citizen (and ``evidence``)."""
        if act not in ACTS:
            return Result(Outcome.NOT_FOUND)
        status = ACTS[act]
        stamp = now()
        async with self.store.transaction(durable=True):  # rights and status read where they are changed
            checked = await self._checked(actor, petition_id)
            if not checked.done:
                return checked
            current = checked.petition
            if status not in TRANSITIONS[current.status]:
                return Result(Outcome.NOT_NOW, current)
            await self._set_status(current, status, self._audit_name(actor), text, stamp)
            if text is not None:
                # in the unit's name, or the admins' desk's when an admin outside the unit answers
                desk = self.is_admin(actor) and actor.user_id not in self.unit(current.unit_id).staff
                signed = ADMINS_UNIT.id if desk else current.unit_id
                await self._tell_citizen(current, "answer", {"text": text, "unit_id": signed, "status": status},
                                         stamp)
                await self._evidence(current, evidence, stamp)
                if status == "resolved":
                    await self._tell_citizen(current, "rate", {}, stamp)
            else:
                await self._tell_citizen(current, "status", {"status": status}, stamp)
            changed = await self.get(petition_id)
            if self.is_admin(actor) and actor.user_id not in self.unit(current.unit_id).staff \
                    and current.unit_id != ADMINS_UNIT.id:  # (the desk's own petitions: the admins know)
                await self._tell_unit(changed, "desk_act", {"status": status, "text": text}, stamp)  # the unit learns of it
            await self._refresh_cards(changed, stamp)
        return Result(Outcome.DONE, changed)

    async def may_answer(self, actor: Actor, petition_id: int) -> Result:
        """Whether ``actor`` may now resolve or reject the petition (asked before prompting for the text)."""
        return await self._checked(actor, petition_id)

    async def reply(self, actor: Actor, petition_id: int, text: str, evidence: Evidence = ()) -> Result:
        """A message to the citizen from the admins' desk that does not change the status (audited as 'replied')."""
        if not self.is_admin(actor):
            return Result(Outcome.NOT_ALLOWED, await self.get(petition_id))
        checked = await self._checked(actor, petition_id, open_only=False)
        if not checked.done:
            return checked
        stamp = now()
        async with self.store.transaction():
            await self._event(petition_id, self._audit_name(actor), "replied", text, stamp)
            await self._tell_citizen(checked.petition, "answer", {"text": text, "unit_id": ADMINS_UNIT.id}, stamp)
            await self._evidence(checked.petition, evidence, stamp)
            if checked.petition.unit_id != ADMINS_UNIT.id:  # the unit knows what the citizen was told
                await self._tell_unit(checked.petition, "desk_said", {"text": text}, stamp)
        return checked

    async def reassign(self, actor: Actor, petition_id: int, unit_id: str) -> Result:
        """Hand an open petition to another unit: forwarded there, the citizen told."""
        unit = next((u for u in self.units if u.id == unit_id), None)
        stamp = now()
        async with self.store.transaction():
            checked = await self._checked(actor, petition_id)
            if not checked.done:
                return checked
            if unit is None:
                return Result(Outcome.NOT_FOUND, checked.petition)
            current = checked.petition
            if "redirected" not in TRANSITIONS[current.status] or current.unit_id == unit.id:
                return Result(Outcome.NOT_NOW, current)
            await self.db.execute(
                "UPDATE petitions SET status = 'redirected', unit_id = ?, updated_at = ? WHERE id = ?",
                (unit.id, stamp, petition_id),
            )
            await self._event(petition_id, self._audit_name(actor), "redirected", unit.id, stamp)
            moved = await self.get(petition_id)
            assert moved is not None
            await self._refresh_cards(moved, stamp)  # the previous unit's copies lose their buttons
            for chat_id in self.unit_chats(self.unit(current.unit_id)):
                await enqueue(self.db, petition_id, "unit", chat_id, "moved_away", {"unit_id": unit.id}, stamp)
            had = await self.chats_that_had(petition_id)
            if any(chat not in had for chat in self.unit_chats(unit)):
                await self._forward(moved, unit, stamp)
            # (handed back to a unit that had it: its card, refreshed above, has the buttons again)
            await self._tell_citizen(moved, "moved", {"unit_id": unit.id}, stamp)
        return Result(Outcome.DONE, moved)

    async def may_add_info(self, actor: Actor, petition_id: int) -> Result:
        """Whether ``actor`` may now add information: their petition, open, or resolved without their
        saying it was (adding then reopens it); not once they said it was resolved, nor when rejected."""
        checked = await self._checked(actor, petition_id, owner=True, open_only=False)
        if checked.done and (checked.petition.status == "rejected" or
                             checked.petition.status == "resolved" and checked.petition.rating == 1):
            return Result(Outcome.NOT_NOW, checked.petition)
        return checked

    async def add_info(self, actor: Actor, petition_id: int, text: str) -> Result:
        """The citizen adds information to their petition: audited and forwarded to the unit; a
        resolved one is reopened by it (the citizen is not satisfied yet)."""
        stamp = now()
        async with self.store.transaction():
            checked = await self.may_add_info(actor, petition_id)
            if not checked.done:
                return checked
            petition = checked.petition
            await self._event(petition_id, self._audit_name(actor), "info_added", text, stamp)
            if petition.status == "resolved":
                await self._set_status(petition, "reopened", self._audit_name(actor), None, stamp)
                petition = await self.get(petition_id)
                await self._tell_admins(petition_id, "reopened", {"unit_id": petition.unit_id}, stamp)
                await self._refresh_cards(petition, stamp)
            await self._tell_unit(petition, "info", {"text": text}, stamp)
            await self.db.execute("UPDATE petitions SET updated_at = ? WHERE id = ?", (stamp, petition_id))
        return Result(Outcome.DONE, await self.get(petition_id))

    async def rate(self, actor: Actor, petition_id: int, value: int) -> Result:
        """The citizen says whether a resolved petition was really resolved, once per resolution;
        "not resolved" (-1) reopens it: its unit and the admins are told, and it is rated again
        when it is resolved again."""
        checked = await self._checked(actor, petition_id, owner=True, open_only=False)
        if not checked.done:
            return checked
        stamp = now()
        async with self.store.transaction():
            rated = await self.db.execute(
                "UPDATE petitions SET rating = ? WHERE id = ? AND status = 'resolved' AND rating IS NULL",
                (value, petition_id),
            )
            if rated != 1:
                return Result(Outcome.NOT_NOW, checked.petition)
            await self._event(petition_id, self._audit_name(actor), "rated", str(value), stamp)
            if value < 0:
                current = await self.get(petition_id)
                await self.db.execute("UPDATE petitions SET rating = NULL WHERE id = ?", (petition_id,))
                await self._set_status(current, "reopened", self._audit_name(actor), None, stamp)
                reopened = await self.get(petition_id)
                await self._tell_unit(reopened, "reopened", {}, stamp)
                await self._tell_admins(petition_id, "reopened", {"unit_id": reopened.unit_id}, stamp)
                await self._tell_citizen(reopened, "status", {"status": "reopened"}, stamp)
                await self._refresh_cards(reopened, stamp)
        return Result(Outcome.DONE, await self.get(petition_id))

    async def delete_personal_data(self, actor: Actor, petition_id: int) -> Result:
        """A citizen's phone, name, place, location and photos leave their closed petition (its content
        stays), and the copies in units' chats are taken back: the petition's message is edited,
        its photos and location deleted (through the outbox)."""
        stamp = now()
        async with self.store.transaction():
            checked = await self._checked(actor, petition_id, owner=True, open_only=False)
            if not checked.done:
                return checked
            if not checked.petition.closed or checked.petition.personal_deleted:  # open, or done already
                return Result(Outcome.NOT_NOW, checked.petition)
            await self.db.execute(
                "UPDATE petitions SET contact_name = NULL, contact_phone = NULL, place = NULL, latitude = NULL, "
                "longitude = NULL, anonymous = 1, personal_deleted = 1, updated_at = ? WHERE id = ?",
                (stamp, petition_id),
            )
            await self.db.execute("DELETE FROM attachments WHERE petition_id = ?", (petition_id,))
            rows = await self.db.fetchall(
                "SELECT id, chat_id, event, detail, state, message_id FROM outbox "
                "WHERE petition_id = ? AND audience = 'unit'", (petition_id,),
            )
            copies = [tuple(row) for row in rows]
            # The petition's own copies hold personal data: its text (edited) and its photos and location
            # (deleted); 'raw_media' are photos and locations queued before version 5 of the schema.
            for row_id, chat_id, event, detail, state, message_id in copies:
                if state == "sent" and message_id is not None and event in ("petition", "photo", "location", "raw_media"):
                    await enqueue(self.db, petition_id, "unit", chat_id, "redact",
                                  {"message_id": message_id, "edit": event == "petition"}, stamp)
                elif state in ("pending", "sending") and event in ("photo", "location", "raw_media"):
                    # never delivered now; a pending 'petition' is rendered from the cleaned petition
                    await self.db.execute("UPDATE outbox SET state = 'dead', last_error = ? WHERE id = ?",
                                          ("personal data deleted", row_id))
            await self.db.execute(  # nothing kept of what was sent to units: file ids, old rendered copies
                "UPDATE outbox SET detail = '{}' WHERE petition_id = ? AND audience = 'unit' "
                "AND event IN ('photo', 'raw_media') AND state IN ('sent', 'dead')", (petition_id,)
            )
            await self._event(petition_id, self._audit_name(actor), "personal_data_deleted", None, stamp)
        return Result(Outcome.DONE, await self.get(petition_id))

    async def take_back(self, petition_id: int, chat_id: int, message_id: int, edit: bool) -> None:
        """A copy sent while its citizen was deleting their data: edited (the petition's text) or deleted."""
        async with self.store.transaction():
            await enqueue(self.db, petition_id, "unit", chat_id, "redact", {"message_id": message_id, "edit": edit})

    async def forwarded_unannounced(self) -> list[int]:
        """Petitions still 'received' though a copy reached their unit: the process that sent it died
        before saying so (see :meth:`mark_forwarded`)."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT p.id FROM petitions AS p JOIN outbox AS o ON o.petition_id = p.id "
            "WHERE p.status = 'received' AND o.event = 'petition' AND o.state = 'sent' ORDER BY p.id")
        return [row[0] for row in rows]

    async def mark_forwarded(self, petition_id: int) -> bool:
        """The unit's chat has the petition: 'received' becomes 'forwarded' (once), the citizen is told."""
        stamp = now()
        async with self.store.transaction():
            current = await self.get(petition_id)
            if current is None or current.status != "received":
                return False
            await self._set_status(current, "forwarded", "system", None, stamp)
            await self._tell_citizen(current, "status", {"status": "forwarded"}, stamp)
        return True

    async def remind_overdue(self, today: dt.date) -> int:
        """Petitions past their working-day deadline: the unit is reminded once a day, the admins told
        the first time.  The number of petitions reminded."""
        late = await self.overdue(today)
        for petition in late:
            stamp = now()
            async with self.store.transaction():
                await self.db.execute(
                    "UPDATE petitions SET overdue_reminded = ? WHERE id = ?", (today.isoformat(), petition.id)
                )
                await self._tell_unit(petition, "overdue", {}, stamp)
                escalated = await self.db.execute(
                    "UPDATE petitions SET escalated = 1 WHERE id = ? AND escalated = 0", (petition.id,)
                )
                if escalated == 1:
                    await self._tell_admins(petition.id, "escalated", {"unit_id": petition.unit_id}, stamp)
                    await self._event(petition.id, "system", "escalated", petition.due_on, stamp)
        return len(late)

    async def remind_reply(self, petition_id: int, chat_id: int, who: str) -> None:
        """A unit member was asked for a reply that never came: the unit's chat is told, so that the
        petition is answered (it is still open; nothing was lost)."""
        async with self.store.transaction():
            await enqueue(self.db, petition_id, "unit", chat_id, "reply_pending", {"who": who})

    async def alert_admins(self, petition_id: int | None, event: str, detail: dict[str, Any]) -> None:
        """Something the admins must know (a message that could not be delivered)."""
        async with self.store.transaction():
            await self._tell_admins(petition_id, event, detail, now())

    # inside a transaction -----------------------------------------------------------------

    async def _set_status(self, petition: Petition, status: str, actor: str, detail: str | None,
                          stamp: str) -> None:
        await self.db.execute("UPDATE petitions SET status = ?, updated_at = ? WHERE id = ?",
                              (status, stamp, petition.id))
        await self._event(petition.id, actor, status, detail, stamp)

    async def _refresh_cards(self, petition: Petition, stamp: str) -> None:
        """Every copy of the petition already in a unit's chat is edited to show its present status
        and only the buttons still possible (a copy queued but not yet sent is rendered as it is then)."""
        rows = await self.db.fetchall(
            "SELECT chat_id, message_id FROM outbox WHERE petition_id = ? AND event = 'petition' AND state = 'sent' "
            "AND message_id IS NOT NULL ORDER BY id", (petition.id,)
        )
        copies = [(row[0], row[1]) for row in rows]
        for chat_id, message_id in copies:
            await enqueue(self.db, petition.id, "unit", chat_id, "card", {"message_id": message_id}, stamp)

    async def _forward(self, petition: Petition, unit: Unit, stamp: str) -> None:
        """The petition to a unit's chat: its text (with the unit's buttons), its photos, its location."""
        photos = await self.photos(petition.id)
        for chat_id in self.unit_chats(unit):
            await enqueue(self.db, petition.id, "unit", chat_id, "petition", {}, stamp)
            for file_id in photos:
                await enqueue(self.db, petition.id, "unit", chat_id, "photo", {"file_id": file_id}, stamp)
            if petition.latitude is not None and petition.longitude is not None:
                await enqueue(self.db, petition.id, "unit", chat_id, "location", {}, stamp)

    async def _tell_unit(self, petition: Petition, event: str, detail: dict[str, Any], stamp: str) -> None:
        for chat_id in self.unit_chats(self.unit(petition.unit_id)):
            await enqueue(self.db, petition.id, "unit", chat_id, event, detail, stamp)

    async def _tell_citizen(self, petition: Petition, event: str, detail: dict[str, Any], stamp: str) -> None:
        await enqueue(self.db, petition.id, "citizen", petition.chat_id, event, detail, stamp)

    async def _evidence(self, petition: Petition, evidence: Evidence, stamp: str) -> None:
        for kind, ref in evidence:  # a Telegram file id, or a file uploaded on the dashboard (Store.add_upload)
            where = {"upload_id": ref} if isinstance(ref, int) else {"file_id": ref}
            await self._tell_citizen(petition, "evidence", {"kind": kind, **where}, stamp)

    async def _tell_admins(self, petition_id: int | None, event: str, detail: dict[str, Any], stamp: str) -> None:
        for admin in sorted(self.admins):
            await enqueue(self.db, petition_id, "admin", admin, event, detail, stamp)

    async def _event(self, petition_id: int, actor: str, action: str, detail: str | None, stamp: str) -> None:
        await self.db.execute(
            "INSERT INTO events (petition_id, actor, action, detail, created_at) VALUES (?, ?, ?, ?, ?)",
            (petition_id, actor, action, detail, stamp),
        )
