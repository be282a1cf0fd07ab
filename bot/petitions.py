"""Petitions (phản ánh, kiến nghị): create, route, change status, audit, and the outbox.

Everything here is plain Python over the SQLite store; the Telegram layer only
renders.  A petition is written in one transaction together with its audit
event and the outbox rows that will forward it, so a citizen is given a
tracking code only for a petition that is on disk with its forwarding queued.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.config import Unit
from bot.store import CACHE_LIMIT, Store, now
from bot.workdays import day_in_vietnam, due_date

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read aloud
MAX_PER_DAY = 5
DESCRIPTION_MIN, DESCRIPTION_MAX = 15, 2000
PLACE_MAX = 300
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_ATTEMPTS = 8
BACKOFF_CAP = 600.0

CATEGORIES: dict[str, str] = {
    "thu-tuc": "Thủ tục hành chính, cán bộ gây phiền hà",
    "moi-truong": "Rác thải, môi trường",
    "giao-thong": "Giao thông, trật tự đô thị",
    "an-ninh": "An ninh, trật tự",
    "an-sinh": "Người nghèo, người yếu thế",
    "dat-dai": "Đất đai, bồi thường, tái định cư",
    "lao-dong": "Quyền lợi người lao động",
    "gop-y": "Góp ý xây dựng Đảng, chính quyền",
    "khac": "Vấn đề khác",
}
STATUSES: dict[str, str] = {
    "received": "Đã tiếp nhận",
    "forwarded": "Đã chuyển đơn vị xử lý",
    "accepted": "Đơn vị đã nhận xử lý",
    "in_progress": "Đang xử lý",
    "resolved": "Đã giải quyết",
    "rejected": "Không thuộc thẩm quyền / từ chối",
    "redirected": "Đã chuyển đơn vị khác",
}
CLOSED = frozenset({"resolved", "rejected"})
# Which status may follow which: a unit cannot reopen a closed petition by a stale button.
TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"forwarded", "accepted", "in_progress", "resolved", "rejected", "redirected"}),
    "forwarded": frozenset({"accepted", "in_progress", "resolved", "rejected", "redirected"}),
    "redirected": frozenset({"forwarded", "accepted", "in_progress", "resolved", "rejected", "redirected"}),
    "accepted": frozenset({"in_progress", "resolved", "rejected", "redirected"}),
    "in_progress": frozenset({"resolved", "rejected", "redirected"}),
    "resolved": frozenset(),
    "rejected": frozenset(),
}
ADMINS_UNIT = Unit(id="quan-tri", name="Bộ phận tiếp nhận chung (quản trị viên)", chat_id=0, categories=())


def new_code() -> str:
    """A tracking code like ``7K3M-Q9RT``: 31^8 possibilities, so not guessable."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(text: str) -> str:
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else text.strip().upper()


def is_complaint(text: str) -> bool:
    """Khiếu nại and tố cáo follow their own legal procedure."""
    from bot.text import fold

    folded = f" {fold(text)} "
    return " khieu nai " in folded or " to cao " in folded or " khieu kien " in folded


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


@dataclass(frozen=True)
class Draft:
    user_id: int
    step: str
    data: dict[str, Any]
    updated_at: float


@dataclass(frozen=True)
class OutboxItem:
    id: int
    petition_id: int | None
    kind: str  # forward | notify | alert
    chat_id: int
    method: str
    params: dict[str, Any]
    attempts: int


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


Call = tuple[str, dict[str, Any]]  # (Bot API method, parameters)


class Petitions:
    """Petitions, drafts and the outbox, on the store's connection."""

    def __init__(self, store: Store, units: tuple[Unit, ...], admins: frozenset[int],
                 holidays: frozenset[dt.date] = frozenset()) -> None:
        self.store = store
        self.units = units
        self.admins = admins
        self.holidays = holidays
        # Every private message asks whether its sender is writing a petition; this process
        # is the drafts' only writer, so their rows are kept in memory too (as stored, so
        # that a caller changing a draft's data changes nothing until it is saved).
        self._drafts: dict[int, tuple[str, str, float] | None] = {}

    @property
    def db(self):
        return self.store.db

    def unit(self, unit_id: str | None) -> Unit:
        return next((u for u in self.units if u.id == unit_id), ADMINS_UNIT)

    def unit_chats(self, unit: Unit) -> list[int]:
        """Where a unit's petitions go: its chat, or each admin's chat for the admins' desk."""
        return [unit.chat_id] if unit.chat_id else sorted(self.admins)

    def may_act(self, user_id: int, petition: Petition) -> bool:
        """Only the handling unit's listed staff, or an admin (checked on every action)."""
        return user_id in self.admins or user_id in self.unit(petition.unit_id).staff

    # drafts ---------------------------------------------------------------------

    async def draft(self, user_id: int) -> Draft | None:
        if user_id not in self._drafts:
            async with self.db.execute("SELECT step, data, updated_at FROM drafts WHERE user_id = ?", (user_id,)) as cursor:
                row = await cursor.fetchone()
            self._remember_draft(user_id, tuple(row) if row else None)
        row = self._drafts[user_id]
        return Draft(user_id, row[0], json.loads(row[1]), row[2]) if row else None

    async def save_draft(self, user_id: int, step: str, data: dict[str, Any]) -> None:
        row = (step, json.dumps(data, ensure_ascii=False), time.time())
        self._drafts.pop(user_id, None)  # unknown until the write is known to have landed
        await self.store.write(
            "INSERT INTO drafts (user_id, step, data, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (user_id) "
            "DO UPDATE SET step = excluded.step, data = excluded.data, updated_at = excluded.updated_at",
            (user_id, *row),
        )
        self._remember_draft(user_id, row)

    async def drop_draft(self, user_id: int) -> None:
        self._drafts.pop(user_id, None)
        await self.store.write("DELETE FROM drafts WHERE user_id = ?", (user_id,))
        self._remember_draft(user_id, None)

    def _remember_draft(self, user_id: int, row: tuple[str, str, float] | None) -> None:
        if len(self._drafts) >= CACHE_LIMIT:
            self._drafts.clear()
        self._drafts[user_id] = row

    # petitions ----------------------------------------------------------------------

    async def similar_recent(self, user_id: int, description: str, days: int = 7) -> Petition | None:
        """A petition of the same user in the last ``days`` days that says nearly the same thing."""
        from rapidfuzz import fuzz

        from bot.text import fold

        since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="seconds")
        async with self.db.execute(
            "SELECT * FROM petitions WHERE user_id = ? AND created_at >= ? ORDER BY id DESC", (user_id, since)
        ) as cursor:
            recent = [Petition._from_row(row) async for row in cursor]
        wanted = fold(description)
        return next((p for p in recent if fuzz.token_set_ratio(wanted, fold(p.description)) >= 90), None)

    async def count_today(self, user_id: int) -> int:
        today = now()[:10]
        async with self.db.execute(
            "SELECT COUNT(*) FROM petitions WHERE user_id = ? AND substr(created_at, 1, 10) = ?", (user_id, today)
        ) as cursor:
            return int((await cursor.fetchone())[0])

    async def create(self, new: NewPetition, render_forward) -> Petition:
        """Write the petition, its photos, its audit event and its forwarding in one transaction.

        ``render_forward(petition, unit) -> list[Call]`` builds the messages for the unit's chat.
        """
        unit = route(self.units, new.category, new.area)
        stamp = now()
        async with self.store.transaction(durable=True):
            for _ in range(5):  # a code collision is astronomically rare; never reuse one
                code = new_code()
                async with self.db.execute("SELECT 1 FROM petitions WHERE code = ?", (code,)) as cursor:
                    if await cursor.fetchone() is None:
                        break
            cursor = await self.db.execute(
                "INSERT INTO petitions (code, user_id, chat_id, category, area, description, place, latitude, "
                "longitude, contact_name, contact_phone, anonymous, complaint, status, unit_id, created_at, "
                "updated_at, due_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?)",
                (code, new.user_id, new.chat_id, new.category, new.area, new.description, new.place, new.latitude,
                 new.longitude, new.contact_name, new.contact_phone, int(not new.contact_phone),
                 int(is_complaint(new.description)), unit.id if unit else ADMINS_UNIT.id, stamp, stamp,
                 due_date(new.category, day_in_vietnam(stamp), self.holidays).isoformat()),
            )
            petition_id = int(cursor.lastrowid)
            for file_id in new.photos:
                await self.db.execute(
                    "INSERT INTO attachments (petition_id, kind, file_id, created_at) VALUES (?, 'photo', ?, ?)",
                    (petition_id, file_id, stamp),
                )
            await self._event(petition_id, f"user:{new.user_id}", "created", None, stamp)
            petition = await self._get(petition_id)
            assert petition is not None
            target = unit or ADMINS_UNIT
            await self._enqueue_forward(petition, target, render_forward(petition, target), stamp)
        return petition

    async def _enqueue_forward(self, petition: Petition, unit: Unit, calls: list[Call], stamp: str) -> None:
        for chat_id in self.unit_chats(unit):
            for method, params in calls:
                await self._enqueue(petition.id, "forward", chat_id, method, params, stamp)

    async def _enqueue(self, petition_id: int | None, kind: str, chat_id: int, method: str,
                       params: dict[str, Any], stamp: str) -> None:
        payload = json.dumps({"method": method, "params": {**params, "chat_id": chat_id}}, ensure_ascii=False)
        await self.db.execute(
            "INSERT INTO outbox (petition_id, kind, chat_id, payload, created_at) VALUES (?, ?, ?, ?, ?)",
            (petition_id, kind, chat_id, payload, stamp),
        )

    async def _event(self, petition_id: int, actor: str, action: str, detail: str | None, stamp: str) -> None:
        await self.db.execute(
            "INSERT INTO events (petition_id, actor, action, detail, created_at) VALUES (?, ?, ?, ?, ?)",
            (petition_id, actor, action, detail, stamp),
        )

    async def _get(self, petition_id: int) -> Petition | None:
        async with self.db.execute("SELECT * FROM petitions WHERE id = ?", (petition_id,)) as cursor:
            row = await cursor.fetchone()
        return Petition._from_row(row) if row else None

    async def get(self, petition_id: int) -> Petition | None:
        return await self._get(petition_id)

    async def by_code(self, code: str) -> Petition | None:
        async with self.db.execute("SELECT * FROM petitions WHERE code = ?", (normalise_code(code),)) as cursor:
            row = await cursor.fetchone()
        return Petition._from_row(row) if row else None

    async def of_user(self, user_id: int, limit: int = 10) -> list[Petition]:
        async with self.db.execute(
            "SELECT * FROM petitions WHERE user_id = ? ORDER BY id DESC LIMIT ?", (user_id, limit)
        ) as cursor:
            return [Petition._from_row(row) async for row in cursor]

    async def all(self, status: str | None = None, unit_id: str | None = None,
                  category: str | None = None) -> list[Petition]:
        sql, args = "SELECT * FROM petitions WHERE 1 = 1", []
        for column, value in (("status", status), ("unit_id", unit_id), ("category", category)):
            if value:
                sql += f" AND {column} = ?"
                args.append(value)
        async with self.db.execute(sql + " ORDER BY id", args) as cursor:
            return [Petition._from_row(row) async for row in cursor]

    async def photos(self, petition_id: int) -> list[str]:
        async with self.db.execute(
            "SELECT file_id FROM attachments WHERE petition_id = ? AND kind = 'photo' ORDER BY id", (petition_id,)
        ) as cursor:
            return [row[0] async for row in cursor]

    async def events(self, petition_id: int) -> list[dict[str, Any]]:
        async with self.db.execute(
            "SELECT actor, action, detail, created_at FROM events WHERE petition_id = ? ORDER BY id", (petition_id,)
        ) as cursor:
            return [dict(row) async for row in cursor]

    async def change_status(self, petition: Petition, status: str, actor: str, detail: str | None,
                            notify: list[Call]) -> Petition | None:
        """Move a petition to ``status`` (if allowed from its current one), audit it and queue the
        citizen's notification, in one transaction; None when the move is not allowed."""
        stamp = now()
        async with self.store.transaction(durable=True):
            current = await self._get(petition.id)
            if current is None or status not in TRANSITIONS[current.status]:
                return None
            await self.db.execute(
                "UPDATE petitions SET status = ?, updated_at = ? WHERE id = ?", (status, stamp, petition.id)
            )
            await self._event(petition.id, actor, status, detail, stamp)
            for method, params in notify:
                await self._enqueue(petition.id, "notify", current.chat_id, method, params, stamp)
        return await self._get(petition.id)

    async def redirect(self, petition: Petition, unit: Unit, actor: str, render_forward,
                       notify: list[Call]) -> Petition | None:
        stamp = now()
        async with self.store.transaction():
            current = await self._get(petition.id)
            if current is None or "redirected" not in TRANSITIONS[current.status] or current.unit_id == unit.id:
                return None
            await self.db.execute(
                "UPDATE petitions SET status = 'redirected', unit_id = ?, updated_at = ? WHERE id = ?",
                (unit.id, stamp, petition.id),
            )
            await self._event(petition.id, actor, "redirected", unit.id, stamp)
            moved = await self._get(petition.id)
            assert moved is not None
            await self._enqueue_forward(moved, unit, render_forward(moved, unit), stamp)
            for method, params in notify:
                await self._enqueue(petition.id, "notify", current.chat_id, method, params, stamp)
        return moved

    async def note(self, petition: Petition, actor: str, detail: str, notify: list[Call]) -> None:
        """A message to the citizen that does not change the status (audited as 'replied')."""
        async with self.store.transaction():
            await self._event(petition.id, actor, "replied", detail, now())
            for method, params in notify:
                await self._enqueue(petition.id, "notify", petition.chat_id, method, params, now())

    async def add_info(self, petition: Petition, user_id: int, text: str, to_unit: list[Call]) -> None:
        """The citizen adds information to an open petition: audited and forwarded to the unit."""
        stamp = now()
        async with self.store.transaction():
            await self._event(petition.id, f"user:{user_id}", "info_added", text, stamp)
            for chat_id in self.unit_chats(self.unit(petition.unit_id)):
                for method, params in to_unit:
                    await self._enqueue(petition.id, "forward", chat_id, method, params, stamp)
            await self.db.execute("UPDATE petitions SET updated_at = ? WHERE id = ?", (stamp, petition.id))

    async def rate(self, petition: Petition, user_id: int, value: int) -> bool:
        """The citizen says whether a resolved petition was really resolved; once."""
        async with self.store.transaction():
            cursor = await self.db.execute(
                "UPDATE petitions SET rating = ? WHERE id = ? AND user_id = ? AND status = 'resolved' "
                "AND rating IS NULL", (value, petition.id, user_id),
            )
            if cursor.rowcount != 1:
                return False
            await self._event(petition.id, f"user:{user_id}", "rated", str(value), now())
        return True

    async def delete_personal_data(self, petition: Petition, user_id: int,
                                   redacted: Callable[[Petition], str]) -> bool:
        """A citizen's phone, name, place, location and photos leave a closed petition (its content
        stays), and the copies sent to units' chats are taken back: the petition's message is edited
        to ``redacted(petition)``, its photos and location are deleted (through the outbox)."""
        if petition.user_id != user_id or not petition.closed:
            return False
        stamp = now()
        async with self.store.transaction():
            await self.db.execute(
                "UPDATE petitions SET contact_name = NULL, contact_phone = NULL, place = NULL, latitude = NULL, "
                "longitude = NULL, anonymous = 1, personal_deleted = 1, updated_at = ? WHERE id = ?",
                (stamp, petition.id),
            )
            await self.db.execute("DELETE FROM attachments WHERE petition_id = ?", (petition.id,))
            cleaned = await self._get(petition.id)
            assert cleaned is not None
            text = redacted(cleaned)[:4000]
            async with self.db.execute(
                "SELECT id, chat_id, payload, state, message_id FROM outbox WHERE petition_id = ? AND kind = 'forward'",
                (petition.id,),
            ) as cursor:
                forwards = [tuple(row) async for row in cursor]
            for row_id, chat_id, payload, state, message_id in forwards:
                method = json.loads(payload)["method"]
                if state == "sent" and message_id is not None:
                    if method == "sendMessage":
                        await self._enqueue(petition.id, "redact", chat_id, "editMessageText",
                                            {"message_id": message_id, "text": text}, stamp)
                    else:  # a photo or the location
                        await self._enqueue(petition.id, "redact", chat_id, "deleteMessage",
                                            {"message_id": message_id}, stamp)
                elif state in ("pending", "sending") and method == "sendMessage":  # not delivered yet
                    payload = {"method": method, "params": {"chat_id": chat_id, "text": text}}
                    await self.db.execute("UPDATE outbox SET payload = ? WHERE id = ?",
                                          (json.dumps(payload, ensure_ascii=False), row_id))
                elif state in ("pending", "sending"):  # a photo or the location not delivered yet: never
                    await self.db.execute("UPDATE outbox SET state = 'dead', last_error = ? WHERE id = ?",
                                          ("personal data deleted", row_id))
            await self.db.execute(  # copies kept of what was sent go too
                "UPDATE outbox SET payload = ? WHERE petition_id = ? AND state IN ('sent', 'dead') AND kind != 'redact'",
                (json.dumps({"method": "deleted", "params": {}}), petition.id),
            )
            await self._event(petition.id, f"user:{user_id}", "personal_data_deleted", None, stamp)
        return True

    async def overdue(self, today: dt.date) -> list[Petition]:
        async with self.db.execute(
            "SELECT * FROM petitions WHERE status NOT IN ('resolved', 'rejected') AND due_on < ? "
            "AND (overdue_reminded IS NULL OR overdue_reminded < ?) ORDER BY id",
            (today.isoformat(), today.isoformat()),
        ) as cursor:
            return [Petition._from_row(row) async for row in cursor]

    async def remind_overdue(self, petition: Petition, today: dt.date, to_unit: list[Call],
                             to_admins: list[Call]) -> None:
        """Once a day: remind the unit; the first time: escalate to the admins."""
        stamp = now()
        async with self.store.transaction():
            await self.db.execute(
                "UPDATE petitions SET overdue_reminded = ? WHERE id = ?", (today.isoformat(), petition.id)
            )
            for chat_id in self.unit_chats(self.unit(petition.unit_id)):
                for method, params in to_unit:
                    await self._enqueue(petition.id, "forward", chat_id, method, params, stamp)
            async with self.db.execute("SELECT escalated FROM petitions WHERE id = ?", (petition.id,)) as cursor:
                escalated = (await cursor.fetchone())[0]
            if not escalated:
                await self.db.execute("UPDATE petitions SET escalated = 1 WHERE id = ?", (petition.id,))
                for admin in sorted(self.admins):
                    for method, params in to_admins:
                        await self._enqueue(petition.id, "alert", admin, method, params, stamp)
                await self._event(petition.id, "system", "escalated", petition.due_on, stamp)

    async def mark_forwarded(self, petition_id: int, notify: list[Call]) -> None:
        """The unit's chat has the petition: 'received' becomes 'forwarded' (once)."""
        petition = await self._get(petition_id)
        if petition and petition.status == "received":
            await self.change_status(petition, "forwarded", "system", None, notify)

    async def alert_admins(self, petition_id: int | None, text: str) -> None:
        stamp = now()
        async with self.store.transaction():
            for admin in sorted(self.admins):
                await self._enqueue(petition_id, "alert", admin, "sendMessage", {"text": text}, stamp)

    # outbox -----------------------------------------------------------------------------

    async def recover_outbox(self) -> int:
        """At start-up: work a crash left half done is tried again."""
        cursor = await self.store.write("UPDATE outbox SET state = 'pending' WHERE state = 'sending'")
        return cursor.rowcount

    async def due(self, limit: int = 20) -> list[OutboxItem]:
        """Rows due now, oldest first, leaving out those queued behind a row of the same petition
        and chat that waits to be retried later (a petition's messages arrive in order)."""
        stamp = time.time()
        async with self.db.execute(
            "SELECT * FROM outbox AS o WHERE state = 'pending' AND next_at <= ? AND NOT EXISTS ("
            " SELECT 1 FROM outbox AS p WHERE p.chat_id = o.chat_id AND p.petition_id IS o.petition_id"
            " AND p.id < o.id AND p.state = 'pending' AND p.next_at > ?) ORDER BY id LIMIT ?", (stamp, stamp, limit)
        ) as cursor:
            rows = [row async for row in cursor]
        out = []
        for row in rows:
            payload = json.loads(row["payload"])
            out.append(OutboxItem(row["id"], row["petition_id"], row["kind"], row["chat_id"], payload["method"],
                                  payload["params"], row["attempts"]))
        return out

    async def claim(self, item: OutboxItem) -> bool:
        cursor = await self.store.write(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state = 'pending'",
            (item.id,),
        )
        return cursor.rowcount == 1

    async def sent(self, item: OutboxItem, message_id: int | None) -> None:
        await self.store.write(
            "UPDATE outbox SET state = 'sent', message_id = ?, sent_at = ? WHERE id = ?", (message_id, now(), item.id)
        )

    async def retry_later(self, item: OutboxItem, delay: float, error: str) -> None:
        await self.store.write(
            "UPDATE outbox SET state = 'pending', next_at = ?, last_error = ? WHERE id = ?",
            (time.time() + delay, error[:500], item.id),
        )

    async def give_up(self, item: OutboxItem, error: str) -> None:
        await self.store.write("UPDATE outbox SET state = 'dead', last_error = ? WHERE id = ?", (error[:500], item.id))


def backoff(attempts: int) -> float:
    """Seconds before retry number ``attempts``: 1, 2, 4, ... capped at 10 minutes."""
    return min(BACKOFF_CAP, 2.0 ** max(0, attempts - 1))
