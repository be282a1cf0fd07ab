"""The outbox: what is to be told to whom, queued in the petition's own transaction, delivered later.

A row is an event, not a rendered message: a petition, an audience (its unit, its citizen, the
admins), the chat, the kind of news and its details.  The Telegram layer renders it when it sends,
so texts change without migrating queued rows and a web page queues the same events.

The mark that a message went out is written the moment Telegram answers: queued at once on the
store's connection, without waiting for the write lock that transactions take turns on (inside
another task's open transaction it commits with it; should that one roll back, the row stays
'sending' and goes again after its lease).  A SIGKILL keeps what reached the operating system, so
the mark need not wait for the disk.  A row left 'sending' by a crash may or may not have reached
Telegram (there is no idempotency key): it is sent again, marked as a resend, so that a unit can
recognise the repeat.  (A second connection for the queue was tried and dropped: a write on it
made the main connection's open readers' snapshots stale, and their next write failed at once
with "database is locked".)
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from bot.database import Database, Row
from bot.store import Store, now

@dataclass(frozen=True)
class Pace:
    """Telegram's limits, kept by all processes together (their sends are in this table): about one
    message a second in a chat (short bursts pass), 20 a minute in a group, 30 a second in all.  A
    chat has one message on its way at a time, at most ``burst`` in any ``burst_window`` seconds and,
    a group, ``group_per_minute`` in any minute; the outbox takes ``rate`` of the ``all_per_second``,
    the rest is for replies to people (bot/telegram/pacing.py)."""

    burst: int = 3
    burst_window: float = 3.0
    group_per_minute: int = 19
    rate: float = 18.0
    all_per_second: float = 28.0  # a margin under 30: two processes' sends meet Telegram a few ms apart


TELEGRAM = Pace()
UNLIMITED = Pace(burst=10_000, group_per_minute=10_000, rate=10_000.0, all_per_second=10_000.0)  # a fake without limits
MAX_ATTEMPTS = 8
BACKOFF_CAP = 600.0
# Seconds a claimed row is the claimer's; past it (a round that failed midway, a process that died)
# another round takes it again.  A Bot API call gives up within about 11 s (bot/telegram/request.py).
LEASE = 15.0
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
    def _from_row(cls, row: Row) -> "Notice":
        return cls(row["id"], row["petition_id"], row["audience"], row["chat_id"], row["event"],
                   json.loads(row["detail"]), row["attempts"], bool(row["resend"]))


async def enqueue(db: Database, petition_id: int | None, audience: str, chat_id: int, event: str,
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
    """The delivery side of the queue, on the store's connection."""

    def __init__(self, store: Store, pace: Pace = TELEGRAM) -> None:
        self.store = store
        self.pace = pace

    @property
    def db(self) -> Database:
        return self.store.db

    async def recover(self, stale_only: bool = False) -> int:
        """What a crash (or a round that failed midway, past its lease) left 'sending' may have gone
        out; it goes again, marked as a resend."""
        return await self.store.write(
            "UPDATE outbox SET state = 'pending', resend = 1, next_at = 0 WHERE state = 'sending' AND next_at < ?",
            (time.time() if stale_only else float("inf"),),
        )

    async def due(self, limit: int = 20) -> list[Notice]:
        """Rows to send now, oldest first, one per chat: the first in its chat's line (a row of the
        same petition waiting to be retried holds those behind it: a petition's messages arrive in
        order), its chat with nothing on its way and within its :class:`Pace`."""
        stamp = time.time()
        rows = await self.db.fetchall(
            "SELECT * FROM outbox AS o WHERE state = 'pending' AND next_at <= ?"
            " AND NOT EXISTS (SELECT 1 FROM outbox AS p WHERE p.chat_id = o.chat_id AND p.id < o.id"
            "  AND p.state = 'pending' AND (p.next_at <= ? OR p.petition_id IS NOT DISTINCT FROM o.petition_id))"
            " AND NOT EXISTS (SELECT 1 FROM outbox AS q WHERE q.chat_id = o.chat_id AND q.state = 'sending')"
            " AND (SELECT COUNT(*) FROM outbox AS r WHERE r.chat_id = o.chat_id AND r.state = 'sent'"
            "  AND r.sent_ts > ?) < ?"
            " AND (o.chat_id > 0 OR (SELECT COUNT(*) FROM outbox AS g WHERE g.chat_id = o.chat_id"
            "  AND g.state = 'sent' AND g.sent_ts > ?) < ?)"
            " ORDER BY id LIMIT ?",
            (stamp, stamp, stamp - self.pace.burst_window, self.pace.burst, stamp - 60.0, self.pace.group_per_minute,
             limit),
        )
        return [Notice._from_row(row) for row in rows]

    async def backlog(self) -> bool:
        """Whether rows wait for their pace or a retry soon (the worker then looks again shortly)."""
        return bool(await self.db.fetchval(
            "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND next_at <= ?", (time.time() + 1.0,)))

    async def slot(self, gap: float) -> float:
        """Seconds to wait before the next send, so that all processes together keep to one send per
        ``gap`` seconds (bot/telegram/pacing.py gives replies a shorter gap than notices)."""
        stamp = time.time()
        start = await self.db.fetchval(
            "UPDATE pacing SET next_at = (CASE WHEN next_at > ? THEN next_at ELSE ? END) + ? WHERE name = 'all'"
            " RETURNING next_at", (stamp, stamp, gap))
        return max(0.0, float(start) - gap - stamp)

    async def claim(self, notice: Notice) -> bool:
        """Mark the row 'sending' before the call; False when another round has it."""
        return await self.store.write(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, next_at = ? WHERE id = ? AND state = 'pending'",
            (time.time() + LEASE, notice.id),
        ) == 1

    async def sent(self, notice: Notice, message_id: int | None) -> bool:
        """Record the send; False when the row was given up meanwhile (its citizen deleted their data).
        Not behind the write lock: see the module's docstring."""
        return await self.db.execute(
            "UPDATE outbox SET state = 'sent', message_id = ?, sent_at = ?, sent_ts = ? WHERE id = ? AND state = 'sending'",
            (message_id, now(), time.time(), notice.id), wait_turn=False,
        ) == 1

    async def retry_later(self, notice: Notice, delay: float, error: str, resend: bool = False) -> None:
        """Try again after ``delay`` seconds; ``resend`` when the failed call may have reached Telegram."""
        await self.store.write(
            "UPDATE outbox SET state = 'pending', next_at = ?, last_error = ?, "
            "resend = CASE WHEN ? = 1 THEN 1 ELSE resend END WHERE id = ?",
            (time.time() + delay, error[:500], int(resend), notice.id),
        )

    async def give_up(self, notice: Notice, error: str) -> None:
        await self.store.write(
            "UPDATE outbox SET state = 'dead', last_error = ? WHERE id = ?", (error[:500], notice.id)
        )
