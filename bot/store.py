"""Durable state on SQLite or PostgreSQL (bot/database.py): users and their choices, votes,
unanswered questions, reminder subscriptions; the schema of petitions, the outbox and
conversations too (their queries live in bot/petitions.py, bot/outbox.py, bot/conversations.py).

Schema changes are one set of numbered migrations for both engines, applied in order, each in its
own transaction; the database records how far it has come (SQLite's ``PRAGMA user_version``, a
``schema_version`` table on PostgreSQL, where processes starting together migrate one at a time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.database import Database, PostgresDatabase, Row, open_database


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


async def _m1_initial(db: Database) -> None:
    await db.script(
        """
        CREATE TABLE users (
            user_id     INTEGER PRIMARY KEY,
            chat_id     INTEGER NOT NULL,
            role        TEXT CHECK (role IN ('citizen', 'official')),
            locality    TEXT,
            blocked     INTEGER NOT NULL DEFAULT 0,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        CREATE TABLE votes (
            user_id     INTEGER NOT NULL,
            intent      TEXT NOT NULL,
            value       INTEGER NOT NULL CHECK (value IN (-1, 1)),
            created_at  TEXT NOT NULL,
            PRIMARY KEY (user_id, intent)
        );
        CREATE TABLE unanswered (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id     INTEGER,
            question    TEXT NOT NULL,
            forwarded   INTEGER NOT NULL DEFAULT 0,
            created_at  TEXT NOT NULL
        );
        CREATE TABLE subscriptions (
            user_id     INTEGER NOT NULL,
            deadline    TEXT NOT NULL,
            created_at  TEXT NOT NULL,
            PRIMARY KEY (user_id, deadline)
        );
        CREATE TABLE reminders_sent (
            user_id     INTEGER NOT NULL,
            deadline    TEXT NOT NULL,
            occurrence  TEXT NOT NULL,
            days_before INTEGER NOT NULL,
            sent_at     TEXT NOT NULL,
            PRIMARY KEY (user_id, deadline, occurrence, days_before)
        );
        """
    )


async def _m2_petitions(db: Database) -> None:
    await db.script(
        """
        CREATE TABLE petitions (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            code         TEXT NOT NULL UNIQUE,
            user_id      INTEGER NOT NULL,
            chat_id      INTEGER NOT NULL,
            category     TEXT NOT NULL,
            area         TEXT,
            description  TEXT NOT NULL,
            place        TEXT,
            latitude     REAL,
            longitude    REAL,
            contact_name TEXT,
            contact_phone TEXT,
            anonymous    INTEGER NOT NULL DEFAULT 1,
            complaint    INTEGER NOT NULL DEFAULT 0,
            status       TEXT NOT NULL,
            unit_id      TEXT,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL
        );
        CREATE INDEX petitions_user ON petitions (user_id);
        CREATE TABLE attachments (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            petition_id  INTEGER NOT NULL REFERENCES petitions (id),
            kind         TEXT NOT NULL,
            file_id      TEXT NOT NULL,
            created_at   TEXT NOT NULL
        );
        CREATE TABLE events (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            petition_id  INTEGER NOT NULL REFERENCES petitions (id),
            actor        TEXT NOT NULL,
            action       TEXT NOT NULL,
            detail       TEXT,
            created_at   TEXT NOT NULL
        );
        CREATE INDEX events_petition ON events (petition_id);
        CREATE TABLE outbox (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            petition_id  INTEGER REFERENCES petitions (id),
            kind         TEXT NOT NULL,
            chat_id      INTEGER NOT NULL,
            payload      TEXT NOT NULL,
            state        TEXT NOT NULL DEFAULT 'pending'
                         CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
            attempts     INTEGER NOT NULL DEFAULT 0,
            next_at      REAL NOT NULL DEFAULT 0,
            last_error   TEXT,
            message_id   INTEGER,
            created_at   TEXT NOT NULL,
            sent_at      TEXT
        );
        CREATE INDEX outbox_due ON outbox (state, next_at);
        CREATE TABLE drafts (
            user_id      INTEGER PRIMARY KEY,
            step         TEXT NOT NULL,
            data         TEXT NOT NULL,
            updated_at   REAL NOT NULL
        );
        """
    )


async def _m3_follow_up(db: Database) -> None:
    await db.script(
        """
        ALTER TABLE petitions ADD COLUMN due_on TEXT;
        ALTER TABLE petitions ADD COLUMN rating INTEGER;
        ALTER TABLE petitions ADD COLUMN overdue_reminded TEXT;
        ALTER TABLE petitions ADD COLUMN escalated INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE petitions ADD COLUMN personal_deleted INTEGER NOT NULL DEFAULT 0;
        """
    )


async def _m4_outbox_by_chat(db: Database) -> None:
    # Petitions.due asks, for each due row, whether an earlier row of its petition to its chat waits.
    await db.script("CREATE INDEX outbox_chat ON outbox (chat_id, state, id)")


async def _m5_events_and_conversations(db: Database) -> None:
    """The outbox holds events (what is to be told to whom), rendered when sent, and each
    conversation (a petition, information added, a unit's reply) has a row of its own."""
    await db.script(
        """
        CREATE TABLE outbox_events (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            petition_id  INTEGER REFERENCES petitions (id),
            audience     TEXT NOT NULL CHECK (audience IN ('unit', 'citizen', 'admin')),
            chat_id      INTEGER NOT NULL,
            event        TEXT NOT NULL,
            detail       TEXT NOT NULL DEFAULT '{}',
            state        TEXT NOT NULL DEFAULT 'pending'
                         CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
            attempts     INTEGER NOT NULL DEFAULT 0,
            next_at      REAL NOT NULL DEFAULT 0,
            resend       INTEGER NOT NULL DEFAULT 0,
            last_error   TEXT,
            message_id   INTEGER,
            created_at   TEXT NOT NULL,
            sent_at      TEXT
        );
        CREATE TABLE conversations (
            user_id      INTEGER NOT NULL,
            name         TEXT NOT NULL,
            chat_id      INTEGER NOT NULL,
            step         TEXT NOT NULL,
            data         TEXT NOT NULL,
            updated_at   REAL NOT NULL,
            PRIMARY KEY (user_id, name)
        );
        """
    )
    if db.engine == "sqlite":  # a PostgreSQL database never held rows of the old shape
        await _m5_copy_legacy_rows(db)
    await db.script(
        """
        DROP TABLE outbox;
        ALTER TABLE outbox_events RENAME TO outbox;
        CREATE INDEX outbox_due ON outbox (state, next_at);
        CREATE INDEX outbox_chat ON outbox (chat_id, state, id);
        DROP TABLE drafts;
        """
    )


async def _m5_copy_legacy_rows(db: Database) -> None:
    """Queued rows of the old shape, photos and locations told apart, and drafts as conversations."""
    await db.script(
        """
        INSERT INTO outbox_events (id, petition_id, audience, chat_id, event, detail, state, attempts, next_at,
                                   last_error, message_id, created_at, sent_at)
            SELECT id, petition_id,
                   CASE kind WHEN 'notify' THEN 'citizen' WHEN 'alert' THEN 'admin' ELSE 'unit' END, chat_id,
                   CASE WHEN kind = 'forward' AND json_extract(payload, '$.params.reply_markup') IS NOT NULL
                        THEN 'petition'
                        WHEN kind = 'forward' AND json_extract(payload, '$.method') IN ('sendPhoto', 'sendLocation')
                        THEN 'raw_media' ELSE 'raw' END,
                   CASE WHEN kind = 'forward' AND json_extract(payload, '$.params.reply_markup') IS NOT NULL
                        THEN '{}' ELSE payload END,
                   state, attempts, next_at, last_error, message_id, created_at, sent_at
            FROM outbox;
        INSERT INTO conversations (user_id, name, chat_id, step, data, updated_at)
            SELECT user_id,
                   CASE WHEN step IN ('staff-reply', 'staff-reject') THEN 'staff'
                        WHEN step = 'add-info' THEN 'add_info' ELSE 'petition' END,
                   COALESCE(json_extract(data, '$.chat'), user_id),
                   CASE step WHEN 'staff-reply' THEN 'reply' WHEN 'staff-reject' THEN 'reason'
                             WHEN 'add-info' THEN 'text' ELSE step END,
                   data, updated_at
            FROM drafts;
        """
    )


async def _m6_inbox(db: Database) -> None:
    """Updates received by webhook, kept until handled: delivered twice, handled once; a user's in
    order, whichever process took them (bot/inbox.py); the update that last moved each
    conversation, so that one handled again after a crash does not move it twice; and the key of
    the conversation a petition came from, so that a confirmation handled twice stores it once; and
    what paces the outbox within Telegram's limits in all processes together (bot/outbox.py)."""
    await db.script(
        """
        CREATE TABLE inbox (
            update_id    INTEGER PRIMARY KEY,
            user_key     INTEGER NOT NULL,
            body         TEXT NOT NULL,
            state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'handling', 'done')),
            lease_until  REAL NOT NULL DEFAULT 0,
            attempts     INTEGER NOT NULL DEFAULT 0,
            received_at  REAL NOT NULL
        );
        CREATE INDEX inbox_user ON inbox (user_key, state, update_id);
        CREATE INDEX inbox_state ON inbox (state, update_id);
        ALTER TABLE conversations ADD COLUMN update_id INTEGER;
        ALTER TABLE petitions ADD COLUMN draft_key TEXT;
        CREATE UNIQUE INDEX petitions_draft ON petitions (draft_key);
        ALTER TABLE outbox ADD COLUMN sent_ts REAL;
        CREATE INDEX outbox_pace ON outbox (chat_id, state, sent_ts);
        CREATE TABLE pacing (
            name         TEXT PRIMARY KEY,
            next_at      REAL NOT NULL
        );
        INSERT INTO pacing (name, next_at) VALUES ('all', 0)
        """
    )


async def _m7_web_and_learning(db: Database) -> None:
    """The web dashboard's one-time sign-in links and sessions (kept as hashes: a copy of the
    database opens no session), files staff upload as evidence until Telegram has them, what the
    assistant answered instead of an unanswered question (a 👎 answer) and what became of it, and
    the questions admins taught the assistant (an intent's example, or out of scope)."""
    await db.script(
        """
        CREATE TABLE web_logins (
            token_hash   TEXT PRIMARY KEY,
            user_id      INTEGER NOT NULL,
            expires_at   REAL NOT NULL,
            used_at      REAL
        );
        CREATE TABLE web_sessions (
            token_hash   TEXT PRIMARY KEY,
            user_id      INTEGER NOT NULL,
            csrf         TEXT NOT NULL,
            created_at   REAL NOT NULL,
            expires_at   REAL NOT NULL
        );
        CREATE TABLE uploads (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            petition_id  INTEGER NOT NULL REFERENCES petitions (id),
            kind         TEXT NOT NULL CHECK (kind IN ('photo', 'document')),
            name         TEXT NOT NULL,
            data         BLOB,
            file_id      TEXT,
            created_at   TEXT NOT NULL
        );
        ALTER TABLE unanswered ADD COLUMN answered_intent TEXT;
        ALTER TABLE unanswered ADD COLUMN resolution TEXT;
        ALTER TABLE unanswered ADD COLUMN resolved_by INTEGER;
        ALTER TABLE unanswered ADD COLUMN resolved_at TEXT;
        CREATE TABLE learned (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            question     TEXT NOT NULL,
            intent       TEXT,
            added_by     INTEGER NOT NULL,
            created_at   TEXT NOT NULL
        )
        """
    )


Migration = Callable[[Database], Awaitable[None]]
MIGRATIONS: list[Migration] = [_m1_initial, _m2_petitions, _m3_follow_up, _m4_outbox_by_chat,
                               _m5_events_and_conversations, _m6_inbox, _m7_web_and_learning]


@dataclass(frozen=True)
class User:
    user_id: int
    chat_id: int
    role: str | None
    locality: str | None
    blocked: bool

    @classmethod
    def _from_row(cls, row: Row) -> "User":
        return cls(row["user_id"], row["chat_id"], row["role"], row["locality"], bool(row["blocked"]))


@dataclass(frozen=True)
class Unanswered:
    id: int
    user_id: int | None
    question: str
    forwarded: bool
    created_at: str
    answered_intent: str | None = None  # what the assistant answered instead (the user pressed 👎)
    resolution: str | None = None  # an intent it was attached to, OUT_OF_SCOPE, or None: still open

    @classmethod
    def _from_row(cls, r: Row) -> "Unanswered":
        return cls(r["id"], r["user_id"], r["question"], bool(r["forwarded"]), r["created_at"],
                   r["answered_intent"], r["resolution"])


OUT_OF_SCOPE = "-"  # an unanswered question marked as beyond the documents


@dataclass(frozen=True)
class Learned:
    """A question an admin taught the assistant: an example of ``intent``, or out of scope (None)."""

    id: int
    question: str
    intent: str | None
    added_by: int
    created_at: str


@dataclass(frozen=True)
class Upload:
    id: int
    petition_id: int
    kind: str  # photo | document
    name: str
    data: bytes | None
    file_id: str | None  # Telegram's, once sent: later copies send it instead of the bytes


CACHE_LIMIT = 100_000  # entries per in-memory cache; past it the cache starts again empty


class Store:
    """The database (a SQLite file, or a PostgreSQL server when given a ``postgresql://`` URL); open
    with :meth:`open` (or ``async with``), close with :meth:`close`."""

    def __init__(self, target: Path | str) -> None:
        self.target = target if str(target).startswith(("postgresql://", "postgres://")) else Path(target)
        self._db: Database | None = None
        # Users are read on every message.  When this process is their only writer (SQLite), a
        # write-through copy in memory (unknown users too) saves a round trip to the database;
        # on a shared server another process may change them, so they are read every time.
        self._users: dict[int, User | None] = {}

    @property
    def path(self) -> Path:
        assert isinstance(self.target, Path), "a PostgreSQL store has no file"
        return self.target

    async def open(self) -> "Store":
        self._db = await open_database(self.target)
        try:
            await self.migrate()
        except BaseException:
            await self.close()
            raise
        return self

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def __aenter__(self) -> "Store":
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def transaction(self, durable: bool = False) -> Any:
        """``async with store.transaction():`` one writer's turn (see bot/database.py); ``durable``
        waits for the disk before returning."""
        return self.db.transaction(durable)

    async def write(self, sql: str, args: Sequence[Any] = ()) -> int:
        """One statement in its own transaction; the number of rows it changed."""
        return await self.db.execute(sql, args)

    @property
    def db(self) -> Database:
        if self._db is None:
            raise RuntimeError("the store is not open")
        return self._db

    @property
    def is_open(self) -> bool:
        return self._db is not None

    @property
    def shared(self) -> bool:
        """Whether other processes may write to the same database (then nothing is cached)."""
        return self.db.shared

    async def version(self) -> int:
        return await self.db.version()

    async def migrate(self) -> None:
        for number, migration in enumerate(MIGRATIONS, 1):
            async with self.transaction():
                if isinstance(self.db, PostgresDatabase):
                    await self.db.lock_migrations()
                if number <= await self.db.version():
                    continue
                await migration(self.db)
                await self.db.set_version(number)

    # users ---------------------------------------------------------------

    async def user(self, user_id: int) -> User | None:
        if user_id in self._users:
            return self._users[user_id]
        row = await self.db.fetchone("SELECT * FROM users WHERE user_id = ?", (user_id,))
        if self.shared:
            return User._from_row(row) if row else None
        if len(self._users) >= CACHE_LIMIT:
            self._users.clear()
        self._users[user_id] = User._from_row(row) if row else None
        return self._users[user_id]

    async def _reload_user(self, user_id: int) -> None:
        self._users.pop(user_id, None)
        await self.user(user_id)

    async def touch_user(self, user_id: int, chat_id: int) -> User:
        """The user, created on first contact."""
        stamp = now()
        await self.write(
            "INSERT INTO users (user_id, chat_id, created_at, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id, blocked = 0",
            (user_id, chat_id, stamp, stamp),
        )
        await self._reload_user(user_id)
        user = await self.user(user_id)
        assert user is not None
        return user

    async def set_role(self, user_id: int, role: str) -> None:
        await self.write("UPDATE users SET role = ?, updated_at = ? WHERE user_id = ?", (role, now(), user_id))
        await self._reload_user(user_id)

    async def set_locality(self, user_id: int, locality: str | None) -> None:
        await self.write(
            "UPDATE users SET locality = ?, updated_at = ? WHERE user_id = ?", (locality, now(), user_id)
        )
        await self._reload_user(user_id)

    async def mark_blocked(self, user_id: int) -> None:
        await self.write("UPDATE users SET blocked = 1, updated_at = ? WHERE user_id = ?", (now(), user_id))
        await self._reload_user(user_id)

    # votes and unanswered questions ---------------------------------------

    async def vote(self, user_id: int, intent: str, value: int) -> None:
        await self.write(
            "INSERT INTO votes (user_id, intent, value, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id, intent) DO UPDATE SET value = excluded.value, created_at = excluded.created_at",
            (user_id, intent, value, now()),
        )

    async def vote_totals(self) -> dict[str, tuple[int, int]]:
        """intent -> (up, down)."""
        rows = await self.db.fetchall(
            "SELECT intent, SUM(CASE WHEN value = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN value = -1 THEN 1 ELSE 0 END) "
            "FROM votes GROUP BY intent"
        )
        return {row[0]: (int(row[1]), int(row[2])) for row in rows}

    async def log_unanswered(self, user_id: int | None, question: str, answered_intent: str | None = None) -> int:
        """A question the assistant could not answer, or (``answered_intent``) answered wrongly by the user's 👎."""
        return await self.db.insert(
            "INSERT INTO unanswered (user_id, question, created_at, answered_intent) VALUES (?, ?, ?, ?)",
            (user_id, question, now(), answered_intent),
        )

    async def unanswered(self, user_id: int | None = None, open_only: bool = False) -> list[Unanswered]:
        sql, args = "SELECT * FROM unanswered WHERE 1 = 1", []
        if user_id is not None:
            sql += " AND user_id = ?"
            args.append(user_id)
        if open_only:
            sql += " AND resolution IS NULL"
        return [Unanswered._from_row(r) for r in await self.db.fetchall(sql + " ORDER BY id", args)]

    async def resolve_unanswered(self, ids: Sequence[int], resolution: str, by: int) -> list[Unanswered]:
        """Attach open unanswered questions to an intent (or OUT_OF_SCOPE), each taught to the
        assistant once (the same wording twice is one example); the ones changed."""
        changed: list[Unanswered] = []
        stamp = now()
        intent = None if resolution == OUT_OF_SCOPE else resolution
        async with self.transaction():
            taught = {l.question for l in await self.learned() if l.intent == intent}  # read once, not per id
            for unanswered_id in ids:
                row = await self.db.fetchone(
                    f"SELECT * FROM unanswered WHERE id = ? AND resolution IS NULL{self.db.for_update}", (unanswered_id,))
                if row is None:
                    continue
                await self.db.execute(
                    "UPDATE unanswered SET resolution = ?, resolved_by = ?, resolved_at = ? WHERE id = ?",
                    (resolution, by, stamp, unanswered_id))
                item = Unanswered._from_row(row)
                if item.question.strip() not in taught:
                    taught.add(item.question.strip())
                    await self.db.insert(
                        "INSERT INTO learned (question, intent, added_by, created_at) VALUES (?, ?, ?, ?)",
                        (item.question.strip(), intent, by, stamp))
                changed.append(item)
        return changed

    async def learned(self) -> list[Learned]:
        rows = await self.db.fetchall("SELECT * FROM learned ORDER BY id")
        return [Learned(r["id"], r["question"], r["intent"], r["added_by"], r["created_at"]) for r in rows]

    # files uploaded as evidence --------------------------------------------

    async def add_upload(self, petition_id: int, kind: str, name: str, data: bytes) -> int:
        return await self.db.insert(
            "INSERT INTO uploads (petition_id, kind, name, data, created_at) VALUES (?, ?, ?, ?, ?)",
            (petition_id, kind, name, data, now()))

    async def upload(self, upload_id: int) -> Upload | None:
        r = await self.db.fetchone("SELECT * FROM uploads WHERE id = ?", (upload_id,))
        return Upload(r["id"], r["petition_id"], r["kind"], r["name"], bytes(r["data"]) if r["data"] is not None
                      else None, r["file_id"]) if r else None

    async def uploaded(self, upload_id: int, file_id: str) -> None:
        """Telegram has the file: later copies send its file id, and the bytes are let go."""
        await self.write("UPDATE uploads SET file_id = ?, data = NULL WHERE id = ?", (file_id, upload_id))

    async def forward_unanswered(self, unanswered_id: int, user_id: int) -> Unanswered | None:
        """Mark an unanswered question as turned into a petition; only the user's own is found."""
        await self.write(
            "UPDATE unanswered SET forwarded = 1 WHERE id = ? AND user_id = ?", (unanswered_id, user_id)
        )
        r = await self.db.fetchone("SELECT * FROM unanswered WHERE id = ? AND user_id = ?", (unanswered_id, user_id))
        return Unanswered._from_row(r) if r else None

    # reminders -------------------------------------------------------------

    async def subscriptions(self, user_id: int) -> set[str]:
        return {row[0] for row in await self.db.fetchall(
            "SELECT deadline FROM subscriptions WHERE user_id = ?", (user_id,))}

    async def subscribe(self, user_id: int, deadline: str) -> None:
        await self.write(
            "INSERT INTO subscriptions (user_id, deadline, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (user_id, deadline, now()),
        )

    async def unsubscribe(self, user_id: int, deadline: str) -> None:
        await self.write("DELETE FROM subscriptions WHERE user_id = ? AND deadline = ?", (user_id, deadline))

    async def subscribers(self) -> list[tuple[int, int, str]]:
        """(user_id, chat_id, deadline) for every subscription of a user who has not blocked the bot."""
        rows = await self.db.fetchall(
            "SELECT s.user_id, u.chat_id, s.deadline FROM subscriptions s JOIN users u USING (user_id) "
            "WHERE u.blocked = 0 ORDER BY s.user_id, s.deadline"
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def claim_reminder(self, user_id: int, deadline: str, occurrence: str, days_before: int) -> bool:
        """Record a reminder as sent; False when it already was (so it is never sent twice)."""
        return await self.write(
            "INSERT INTO reminders_sent (user_id, deadline, occurrence, days_before, sent_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (user_id, deadline, occurrence, days_before, now()),
        ) == 1

    async def release_reminder(self, user_id: int, deadline: str, occurrence: str, days_before: int) -> None:
        """Undo :meth:`claim_reminder` when sending failed for a reason worth retrying."""
        await self.write(
            "DELETE FROM reminders_sent WHERE user_id = ? AND deadline = ? AND occurrence = ? AND days_before = ?",
            (user_id, deadline, occurrence, days_before),
        )
