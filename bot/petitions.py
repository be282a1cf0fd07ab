"""Petitions (phản ánh, kiến nghị): create, route, change status, audit, and the outbox.

Everything here is plain Python over the SQLite store; the Telegram layer only
renders.  A petition is written in one transaction together with its audit
event and the outbox rows that will forward it, so a citizen is given a
tracking code only for a petition that is on disk with its forwarding queued.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from bot.config import Unit
from bot.store import Store, now

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
STATUSES: dict[str, str] = {  # also the labels of audit events
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

    @classmethod
    def _from_row(cls, row: Any) -> "Petition":
        return cls(
            row["id"], row["code"], row["user_id"], row["chat_id"], row["category"], row["area"],
            row["description"], row["place"], row["latitude"], row["longitude"], row["contact_name"],
            row["contact_phone"], bool(row["anonymous"]), bool(row["complaint"]), row["status"],
            row["unit_id"], row["created_at"], row["updated_at"],
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

    def __init__(self, store: Store, units: tuple[Unit, ...], admins: frozenset[int]) -> None:
        self.store = store
        self.units = units
        self.admins = admins

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
        async with self.db.execute("SELECT * FROM drafts WHERE user_id = ?", (user_id,)) as cursor:
            row = await cursor.fetchone()
        return Draft(row["user_id"], row["step"], json.loads(row["data"]), row["updated_at"]) if row else None

    async def save_draft(self, user_id: int, step: str, data: dict[str, Any]) -> None:
        await self.db.execute(
            "INSERT INTO drafts (user_id, step, data, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (user_id) "
            "DO UPDATE SET step = excluded.step, data = excluded.data, updated_at = excluded.updated_at",
            (user_id, step, json.dumps(data, ensure_ascii=False), time.time()),
        )
        await self.db.commit()

    async def drop_draft(self, user_id: int) -> None:
        await self.db.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,))
        await self.db.commit()

    # petitions ----------------------------------------------------------------------

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
        await self.db.execute("BEGIN IMMEDIATE")
        try:
            for _ in range(5):  # a code collision is astronomically rare; never reuse one
                code = new_code()
                async with self.db.execute("SELECT 1 FROM petitions WHERE code = ?", (code,)) as cursor:
                    if await cursor.fetchone() is None:
                        break
            cursor = await self.db.execute(
                "INSERT INTO petitions (code, user_id, chat_id, category, area, description, place, latitude, "
                "longitude, contact_name, contact_phone, anonymous, complaint, status, unit_id, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?)",
                (code, new.user_id, new.chat_id, new.category, new.area, new.description, new.place, new.latitude,
                 new.longitude, new.contact_name, new.contact_phone, int(not new.contact_phone),
                 int(is_complaint(new.description)), unit.id if unit else ADMINS_UNIT.id, stamp, stamp),
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
            await self.db.commit()
        except BaseException:
            await self.db.rollback()
            raise
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
        await self.db.execute("BEGIN IMMEDIATE")
        try:
            current = await self._get(petition.id)
            if current is None or status not in TRANSITIONS[current.status]:
                await self.db.rollback()
                return None
            await self.db.execute(
                "UPDATE petitions SET status = ?, updated_at = ? WHERE id = ?", (status, stamp, petition.id)
            )
            await self._event(petition.id, actor, status, detail, stamp)
            for method, params in notify:
                await self._enqueue(petition.id, "notify", current.chat_id, method, params, stamp)
            await self.db.commit()
        except BaseException:
            await self.db.rollback()
            raise
        return await self._get(petition.id)

    async def redirect(self, petition: Petition, unit: Unit, actor: str, render_forward,
                       notify: list[Call]) -> Petition | None:
        stamp = now()
        await self.db.execute("BEGIN IMMEDIATE")
        try:
            current = await self._get(petition.id)
            if current is None or "redirected" not in TRANSITIONS[current.status] or current.unit_id == unit.id:
                await self.db.rollback()
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
            await self.db.commit()
        except BaseException:
            await self.db.rollback()
            raise
        return moved

    async def note(self, petition: Petition, actor: str, detail: str, notify: list[Call]) -> None:
        """A message to the citizen that does not change the status (audited as 'replied')."""
        stamp = now()
        await self.db.execute("BEGIN IMMEDIATE")
        try:
            await self._event(petition.id, actor, "replied", detail, stamp)
            for method, params in notify:
                await self._enqueue(petition.id, "notify", petition.chat_id, method, params, stamp)
            await self.db.commit()
        except BaseException:
            await self.db.rollback()
            raise

    async def mark_forwarded(self, petition_id: int, notify: list[Call]) -> None:
        """The unit's chat has the petition: 'received' becomes 'forwarded' (once)."""
        petition = await self._get(petition_id)
        if petition and petition.status == "received":
            await self.change_status(petition, "forwarded", "system", None, notify)

    async def alert_admins(self, petition_id: int | None, text: str) -> None:
        stamp = now()
        for admin in sorted(self.admins):
            await self._enqueue(petition_id, "alert", admin, "sendMessage", {"text": text}, stamp)
        await self.db.commit()

    # outbox -----------------------------------------------------------------------------

    async def recover_outbox(self) -> int:
        """At start-up: work a crash left half done is tried again."""
        cursor = await self.db.execute("UPDATE outbox SET state = 'pending' WHERE state = 'sending'")
        await self.db.commit()
        return cursor.rowcount

    async def due(self, limit: int = 20) -> list[OutboxItem]:
        async with self.db.execute(
            "SELECT * FROM outbox WHERE state = 'pending' AND next_at <= ? ORDER BY id LIMIT ?", (time.time(), limit)
        ) as cursor:
            rows = [row async for row in cursor]
        out = []
        for row in rows:
            payload = json.loads(row["payload"])
            out.append(OutboxItem(row["id"], row["petition_id"], row["kind"], row["chat_id"], payload["method"],
                                  payload["params"], row["attempts"]))
        return out

    async def claim(self, item: OutboxItem) -> bool:
        cursor = await self.db.execute(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state = 'pending'",
            (item.id,),
        )
        await self.db.commit()
        return cursor.rowcount == 1

    async def sent(self, item: OutboxItem, message_id: int | None) -> None:
        await self.db.execute(
            "UPDATE outbox SET state = 'sent', message_id = ?, sent_at = ? WHERE id = ?", (message_id, now(), item.id)
        )
        await self.db.commit()

    async def retry_later(self, item: OutboxItem, delay: float, error: str) -> None:
        await self.db.execute(
            "UPDATE outbox SET state = 'pending', next_at = ?, last_error = ? WHERE id = ?",
            (time.time() + delay, error[:500], item.id),
        )
        await self.db.commit()

    async def give_up(self, item: OutboxItem, error: str) -> None:
        await self.db.execute(
            "UPDATE outbox SET state = 'dead', last_error = ? WHERE id = ?", (error[:500], item.id)
        )
        await self.db.commit()

    async def outbox_counts(self) -> dict[str, int]:
        async with self.db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state") as cursor:
            return {row[0]: row[1] async for row in cursor}


def backoff(attempts: int) -> float:
    """Seconds before retry number ``attempts``: 1, 2, 4, ... capped at 10 minutes."""
    return min(BACKOFF_CAP, 2.0 ** max(0, attempts - 1))
