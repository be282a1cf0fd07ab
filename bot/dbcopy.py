"""Moving an existing SQLite database into PostgreSQL (``danvan db migrate-to URL``).

Both are first brought to the latest schema; then every table is copied in one PostgreSQL
transaction, in an order that satisfies the foreign keys, with each value in its column's type, and
the id counters continue after the copied rows.  A PostgreSQL database that already holds petitions
or users is refused: the copy never mixes two bots' data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.database import PostgresDatabase, SQLiteDatabase
from bot.store import Store

# parents before children (attachments, events and the outbox point at petitions)
TABLES = ("users", "votes", "unanswered", "subscriptions", "reminders_sent", "petitions", "attachments",
          "events", "outbox", "conversations", "inbox", "uploads", "learned")
# (sign-in links and sessions are not copied: staff sign in again after the move)
_AS: dict[str, Callable[[Any], Any]] = {"INTEGER": int, "REAL": float, "TEXT": str, "BLOB": bytes}


class NotEmpty(Exception):
    """The PostgreSQL database already holds data."""


@dataclass(frozen=True)
class Copied:
    tables: dict[str, int]  # table -> rows copied

    @property
    def total(self) -> int:
        return sum(self.tables.values())


async def migrate_to(source: Path, url: str) -> Copied:
    async with Store(source) as lite, Store(url) as pg:
        assert isinstance(lite.db, SQLiteDatabase) and isinstance(pg.db, PostgresDatabase)
        for table in ("users", "petitions"):
            if await pg.db.fetchval(f"SELECT COUNT(*) FROM {table}"):
                raise NotEmpty(table)
        copied: dict[str, int] = {}
        async with pg.db.pool.acquire() as connection, connection.transaction():
            for table in TABLES:
                columns = [(r["name"], r["type"]) for r in await lite.db.fetchall(
                    f"SELECT name, type FROM pragma_table_info('{table}')")]
                if not columns:
                    continue
                names = [name for name, _ in columns]
                rows = await lite.db.fetchall(f"SELECT {', '.join(names)} FROM {table}")
                records = [tuple(None if value is None else _AS[kind](value)
                                 for value, (_, kind) in zip(row, columns)) for row in rows]
                if records:
                    await connection.copy_records_to_table(table, records=records, columns=names)
                if "id" in names:
                    await connection.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) "
                        f"FROM {table}")
                copied[table] = len(records)
        return Copied(copied)
