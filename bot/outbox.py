"""The outbox: what is to be told to whom, queued in the petition's own transaction, delivered later.

A row is an event, not a rendered message: a petition, an audience (its unit, its citizen, the
admins), the chat, the kind of news and its details.  The Telegram layer renders it when it sends,
so texts change without migrating queued rows and a web page queues the same events.

The queue keeps a connection of its own, used by the delivery worker alone: the mark that a
message went out is written the moment Telegram answers, without waiting for the petitions'
transactions to take their turn on the main connection.  A SIGKILL keeps what reached the
operating system, so that mark need not wait for the disk.  A row left 'sending' by a crash may
or may not have reached Telegram (there is no idempotency key): it is sent again, marked as a
resend, so that a unit can recognise the repeat.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store import now

MAX_ATTEMPTS = 8
BACKOFF_CAP = 600.0
LEASE = 120.0  # seconds a claimed row is the claimer's; past it (a round that failed midway) it goes again
AUDIENCES = ("unit", "citizen", "admin")


@dataclass(frozen=True)
class Notice:
    """One message to deliver: ``event`` for ``audience`` in ``chat_id`` about ``petition_id``."""

    id: int
    petition_id: int | None
    audience: str
    chat_id: int
    event: str
    detail: dict[str, Any]
    attempts: int
    resend: bool

    @classmethod
    def _from_row(cls, row: aiosqlite.Row) -> "Notice":
        return cls(row["id"], row["petition_id"], row["audience"], row["chat_id"], row["event"],
                   json.loads(row["detail"]), row["attempts"], bool(row["resend"]))


async def enqueue(db: aiosqlite.Connection, petition_id: int | None, audience: str, chat_id: int, event: str,
                  detail: dict[str, Any] | None = None, stamp: str | None = None) -> None:
    """Queue a notice on ``db``, inside the caller's transaction (the petition's change and its news
    commit together)."""
    assert audience in AUDIENCES, audience
    await db.execute(
        "INSERT INTO outbox (petition_id, audience, chat_id, event, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (petition_id, audience, chat_id, event, json.dumps(detail or {}, ensure_ascii=False), stamp or now()),
    )


def backoff(attempts: int) -> float:
    """Seconds before retry number ``attempts``: 1, 2, 4, ... capped at 10 minutes."""
    return min(BACKOFF_CAP, 2.0 ** max(0, attempts - 1))


class Outbox:
    """The delivery side of the queue, on its own connection to the store's database."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._db: aiosqlite.Connection | None = None

    async def open(self) -> "Outbox":
        # The store has created the file, its schema and WAL mode; autocommit, like the store.
        self._db = await aiosqlite.connect(self.path, isolation_level=None)
        self._db.row_factory = aiosqlite.Row
        await self._db.execute("PRAGMA synchronous=NORMAL")
        await self._db.execute("PRAGMA busy_timeout=5000")
        return self

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def __aenter__(self) -> "Outbox":
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("the outbox is not open")
        return self._db

    async def recover(self, stale_only: bool = False) -> int:
        """What a crash (or a round that failed midway, past its lease) left 'sending' may have gone
        out; it goes again, marked as a resend."""
        cursor = await self.db.execute(
            "UPDATE outbox SET state = 'pending', resend = 1, next_at = 0 WHERE state = 'sending' AND next_at < ?",
            (time.time() if stale_only else float("inf"),),
        )
        return cursor.rowcount

    async def due(self, limit: int = 20) -> list[Notice]:
        """Rows due now, oldest first, leaving out those queued behind a row of the same petition
        and chat that waits to be retried later (a petition's messages arrive in order)."""
        stamp = time.time()
        async with self.db.execute(
            "SELECT * FROM outbox AS o WHERE state = 'pending' AND next_at <= ? AND NOT EXISTS ("
            " SELECT 1 FROM outbox AS p WHERE p.chat_id = o.chat_id AND p.petition_id IS o.petition_id"
            " AND p.id < o.id AND p.state = 'pending' AND p.next_at > ?) ORDER BY id LIMIT ?", (stamp, stamp, limit)
        ) as cursor:
            return [Notice._from_row(row) async for row in cursor]

    async def claim(self, notice: Notice) -> bool:
        """Mark the row 'sending' before the call; False when another round has it."""
        cursor = await self.db.execute(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, next_at = ? WHERE id = ? AND state = 'pending'",
            (time.time() + LEASE, notice.id),
        )
        return cursor.rowcount == 1

    async def sent(self, notice: Notice, message_id: int | None) -> bool:
        """Record the send; False when the row was given up meanwhile (its citizen deleted their data)."""
        cursor = await self.db.execute(
            "UPDATE outbox SET state = 'sent', message_id = ?, sent_at = ? WHERE id = ? AND state = 'sending'",
            (message_id, now(), notice.id),
        )
        return cursor.rowcount == 1

    async def retry_later(self, notice: Notice, delay: float, error: str, resend: bool = False) -> None:
        """Try again after ``delay`` seconds; ``resend`` when the failed call may have reached Telegram."""
        await self.db.execute(
            "UPDATE outbox SET state = 'pending', next_at = ?, last_error = ?, resend = MAX(resend, ?) WHERE id = ?",
            (time.time() + delay, error[:500], int(resend), notice.id),
        )

    async def give_up(self, notice: Notice, error: str) -> None:
        await self.db.execute(
            "UPDATE outbox SET state = 'dead', last_error = ? WHERE id = ?", (error[:500], notice.id)
        )
