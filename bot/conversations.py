"""Conversations in progress, each its own durable row: a citizen's petition, information added to
one, a unit member's reply or reason for rejecting.

Why not python-telegram-bot's ConversationHandler: its persistence writes conversation states in
batches (every ``update_interval`` seconds and at shutdown), so a crash loses the steps taken since;
here every step is a row written before the next prompt is sent.  The handlers stay ordinary
handlers, so a question typed in the middle of a conversation is answered and the step is kept.

A person may have several conversations at once (a unit member writing a petition of their own
while a reply waits in the unit's chat); each is keyed by (user, name) and bound to the chat it
began in, so one never overwrites another.  Text sent in a chat goes to the conversation most
recently moved on in that chat.
"""

from __future__ import annotations

import json
import time
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from bot.store import CACHE_LIMIT, Store

PETITION, ADD_INFO, STAFF = "petition", "add_info", "staff"
NAMES = (PETITION, ADD_INFO, STAFF)
TTL = 30 * 60  # seconds: a conversation left this long is over
# The Telegram update being handled (set by the webhook inbox's worker): each save records it, so that
# an update handled again after its process died is recognised as one the conversation already took.
HANDLING: ContextVar[int | None] = ContextVar("handling_update", default=None)


@dataclass(frozen=True)
class Conversation:
    user_id: int
    name: str
    chat_id: int
    step: str
    data: dict[str, Any]
    updated_at: float

    @property
    def expired(self) -> bool:
        return time.time() - self.updated_at > TTL


_Row = tuple[int, str, str, float]  # chat, step, data as stored, updated at


class Conversations:
    """Conversations on the store; when this process is their only writer (SQLite), a user's rows
    are kept in memory too (every private message asks whether its sender is in one)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._rows: dict[int, dict[str, _Row]] = {}

    async def _of(self, user_id: int) -> dict[str, _Row]:
        if user_id not in self._rows:
            rows = {row[0]: (row[1], row[2], row[3], row[4]) for row in await self.store.db.fetchall(
                "SELECT name, chat_id, step, data, updated_at FROM conversations WHERE user_id = ?", (user_id,))}
            if self.store.shared:  # another process may move the conversation on: read every time
                return rows
            if len(self._rows) >= CACHE_LIMIT:
                self._rows.clear()
            self._rows[user_id] = rows
        return self._rows[user_id]

    @staticmethod
    def _conversation(user_id: int, name: str, row: _Row) -> Conversation:
        return Conversation(user_id, name, row[0], row[1], json.loads(row[2]), row[3])

    async def get(self, user_id: int, name: str) -> Conversation | None:
        row = (await self._of(user_id)).get(name)
        return self._conversation(user_id, name, row) if row else None

    async def all(self, user_id: int) -> list[Conversation]:
        return [self._conversation(user_id, name, row) for name, row in (await self._of(user_id)).items()]

    async def in_chat(self, user_id: int, chat_id: int, names: tuple[str, ...] = NAMES) -> Conversation | None:
        """The conversation (of ``names``) most recently moved on in ``chat_id`` (expired ones included:
        the caller tells the person that theirs is over)."""
        mine = [c for c in await self.all(user_id) if c.chat_id == chat_id and c.name in names]
        return max(mine, key=lambda c: c.updated_at) if mine else None

    async def stale(self, name: str, older_than: float = TTL) -> list[Conversation]:
        """Conversations of ``name`` left for ``older_than`` seconds (read from the database)."""
        rows = await self.store.db.fetchall(
            "SELECT user_id, chat_id, step, data, updated_at FROM conversations WHERE name = ? AND updated_at < ?",
            (name, time.time() - older_than),
        )
        return [Conversation(row[0], name, row[1], row[2], json.loads(row[3]), row[4]) for row in rows]

    async def save(self, user_id: int, name: str, chat_id: int, step: str, data: dict[str, Any]) -> None:
        assert name in NAMES, name
        row = (chat_id, step, json.dumps(data, ensure_ascii=False), time.time())
        rows = await self._of(user_id)
        await self._write(
            user_id,
            "INSERT INTO conversations (user_id, name, chat_id, step, data, updated_at, update_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, name) DO UPDATE SET chat_id = excluded.chat_id, "
            "step = excluded.step, data = excluded.data, updated_at = excluded.updated_at, "
            "update_id = excluded.update_id",
            (user_id, name, *row, HANDLING.get()),
        )
        rows[name] = row

    async def took(self, user_id: int, update_id: int) -> bool:
        """Whether one of the user's conversations was already moved on by this update (or a later one)."""
        return await self.store.db.fetchval(
            "SELECT COUNT(*) FROM conversations WHERE user_id = ? AND update_id >= ?", (user_id, update_id)) > 0

    async def drop(self, user_id: int, name: str) -> None:
        rows = await self._of(user_id)
        await self._write(user_id, "DELETE FROM conversations WHERE user_id = ? AND name = ?", (user_id, name))
        rows.pop(name, None)

    async def _write(self, user_id: int, sql: str, args: tuple) -> None:
        try:
            await self.store.write(sql, args)
        except BaseException:
            self._rows.pop(user_id, None)  # unknown whether the write landed: read again next time
            raise
