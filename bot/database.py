"""The database under the store: SQLite (the embedded default) or PostgreSQL (several processes on
one shared server), behind one small interface so that the domain's SQL is written once.

SQL is written with ``?`` placeholders in the dialect both engines share (``ON CONFLICT``,
``RETURNING``, ``IS NOT DISTINCT FROM``); schema scripts say INTEGER and REAL and are widened to
BIGINT and DOUBLE PRECISION on PostgreSQL (Telegram's ids do not fit 32 bits).

A transaction is one writer's turn.  On SQLite one connection serves every coroutine and writes take
turns behind a lock, as SQLite's single writer would anyway.  On PostgreSQL a transaction has a
connection of the pool to itself; what it reads to decide (a petition's status, who may act) it
reads ``FOR UPDATE`` (:attr:`Database.for_update`), so that two processes deciding on the same row
take turns too.  Statements outside a transaction commit on their own.

Why asyncpg (not psycopg 3): it is the faster of the two on these machines, speaks the binary
protocol, has its own pool and returns rows readable by name and by position, as aiosqlite's are.
"""

from __future__ import annotations

import asyncio
import re
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

import aiosqlite

Row = Any  # aiosqlite.Row or asyncpg.Record: by name and by position


class Database(ABC):
    """What the store, the domain, the outbox and the conversations need of a database."""

    engine: str
    shared: bool  # other processes may write too: nothing read may be kept in memory

    @abstractmethod
    async def fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]: ...

    async def fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        rows = await self.fetchall(sql, args)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, args: Sequence[Any] = ()) -> Any:
        row = await self.fetchone(sql, args)
        return None if row is None else row[0]

    @abstractmethod
    async def execute(self, sql: str, args: Sequence[Any] = (), wait_turn: bool = True) -> int:
        """Run a statement; the number of rows it changed.  Outside a transaction it commits on its
        own; ``wait_turn=False`` does not wait for the writers' turn (see bot/outbox.py, Outbox.sent)."""

    @abstractmethod
    async def insert(self, sql: str, args: Sequence[Any] = ()) -> int:
        """An INSERT into a table with an ``id`` column; the new row's id."""

    @abstractmethod
    def transaction(self, durable: bool = False) -> Any:
        """``async with db.transaction():`` one writer's turn, committed at the end, rolled back on
        any error; ``durable`` waits for the disk."""

    @property
    @abstractmethod
    def in_transaction(self) -> bool: ...

    @property
    def for_update(self) -> str:
        """`` FOR UPDATE`` where a read inside a transaction must lock what it read ('' on SQLite,
        whose writers already take turns)."""
        return ""

    @property
    def skip_locked(self) -> str:
        """`` FOR UPDATE SKIP LOCKED`` for a queue's claim: each process takes rows no other is taking
        ('' on SQLite, where one claim runs at a time)."""
        return ""

    @abstractmethod
    async def script(self, sql: str) -> None:
        """A schema script, statement by statement, inside the caller's transaction."""

    @abstractmethod
    async def version(self) -> int: ...

    @abstractmethod
    async def set_version(self, number: int) -> None: ...

    @abstractmethod
    async def close(self) -> None: ...


def _statements(sql: str) -> list[str]:
    return [statement for statement in sql.split(";") if statement.strip()]


class SQLiteDatabase(Database):
    """One SQLite file on one connection (aiosqlite's thread), in WAL mode."""

    engine = "sqlite"
    shared = False

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection
        # One connection serves every coroutine: writes take turns, so that one task's commit never
        # commits another task's half-done transaction.
        self._write_lock = asyncio.Lock()
        self._inside: ContextVar[bool] = ContextVar(f"sqlite-tx-{id(self)}", default=False)

    @classmethod
    async def open(cls, path: Path) -> "SQLiteDatabase":
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: a lone statement commits in the same call to the database thread;
        # transactions are opened explicitly by transaction().
        connection = await aiosqlite.connect(path, isolation_level=None)
        connection.row_factory = aiosqlite.Row
        await connection.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode survives a crash of the process; transaction(durable=True) fsyncs
        # too, for what must survive a power cut (a petition the citizen was given a code for).
        await connection.execute("PRAGMA synchronous=NORMAL")
        await connection.execute("PRAGMA foreign_keys=ON")
        await connection.execute("PRAGMA busy_timeout=5000")
        return cls(connection)

    # A statement is run to its end in one call to the database thread: a cursor left open between
    # two calls (fetchone, then close) is a statement in progress, and another task's COMMIT queued
    # in between fails with "cannot commit transaction - SQL statements in progress".
    async def fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return list(await self.connection.execute_fetchall(sql, args))

    async def fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        rows = await self.connection.execute_fetchall(sql, args)
        return rows[0] if rows else None

    async def execute(self, sql: str, args: Sequence[Any] = (), wait_turn: bool = True) -> int:
        if self._inside.get() or not wait_turn:
            async with self.connection.execute(sql, args) as cursor:
                return cursor.rowcount
        async with self._write_lock:
            async with self.connection.execute(sql, args) as cursor:
                return cursor.rowcount

    async def insert(self, sql: str, args: Sequence[Any] = ()) -> int:
        if self._inside.get():
            return int(await self.fetchval(sql + " RETURNING id", args))
        async with self._write_lock:
            return int(await self.fetchval(sql + " RETURNING id", args))

    @property
    def in_transaction(self) -> bool:
        return self._inside.get()

    @asynccontextmanager
    async def transaction(self, durable: bool = False) -> AsyncIterator[None]:
        """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any error), one writer at a time."""
        db = self.connection
        async with self._write_lock:
            if durable:
                await db.execute("PRAGMA synchronous=FULL")
            token = self._inside.set(True)
            try:
                try:
                    await db.execute("BEGIN IMMEDIATE")
                except BaseException:
                    # Cancelled while waiting: the worker thread may still begin the transaction.
                    # Its queue is in order, so a rollback queued now ends it (or does nothing).
                    await db.rollback()
                    raise
                try:
                    yield
                except BaseException:
                    await db.rollback()
                    raise
                await db.commit()
            finally:
                self._inside.reset(token)
                if durable and not db.in_transaction:
                    # Never inside a transaction: SQLite refuses, and the error would hide a cancellation.
                    await db.execute("PRAGMA synchronous=NORMAL")

    async def script(self, sql: str) -> None:
        # (executescript would commit first, so that a crash could leave half a migration)
        for statement in _statements(sql):
            await self.connection.execute(statement)

    async def version(self) -> int:
        return int(await self.fetchval("PRAGMA user_version"))

    async def set_version(self, number: int) -> None:
        await self.connection.execute(f"PRAGMA user_version = {int(number)}")

    async def close(self) -> None:
        await self.connection.close()


@lru_cache(maxsize=1024)
def _numbered(sql: str) -> str:
    """``?`` placeholders as PostgreSQL's ``$1, $2, ...`` (our SQL has no ``?`` inside literals)."""
    count = 0

    def number(_: re.Match) -> str:
        nonlocal count
        count += 1
        return f"${count}"

    return re.sub(r"\?", number, sql)


def _widened(sql: str) -> str:
    """A schema script's SQLite types as PostgreSQL's."""
    sql = re.sub(r"\bINTEGER PRIMARY KEY AUTOINCREMENT\b", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql)
    sql = re.sub(r"\bINTEGER\b", "BIGINT", sql)
    sql = re.sub(r"\bBLOB\b", "BYTEA", sql)
    return re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql)


def _rowcount(status: str) -> int:
    """asyncpg's command tag ("UPDATE 3", "INSERT 0 1") as a number of rows."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


MIGRATION_LOCK = 7_310_001  # advisory lock key: processes starting together migrate one at a time


class PostgresDatabase(Database):
    """A PostgreSQL server through an asyncpg pool; any number of processes may share it."""

    engine = "postgresql"
    shared = True

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self._connection: ContextVar[Any] = ContextVar(f"pg-tx-{id(self)}", default=None)

    @classmethod
    async def open(cls, url: str, max_size: int = 10) -> "PostgresDatabase":
        import asyncpg  # only when PostgreSQL is chosen: the embedded default does without it

        pool = await asyncpg.create_pool(url, min_size=1, max_size=max_size, command_timeout=30)
        return cls(pool)

    def _on(self) -> Any:
        return self._connection.get() or self.pool

    async def fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return list(await self._on().fetch(_numbered(sql), *args))

    async def fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        return await self._on().fetchrow(_numbered(sql), *args)

    async def fetchval(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return await self._on().fetchval(_numbered(sql), *args)

    async def execute(self, sql: str, args: Sequence[Any] = (), wait_turn: bool = True) -> int:
        return _rowcount(await self._on().execute(_numbered(sql), *args))

    async def insert(self, sql: str, args: Sequence[Any] = ()) -> int:
        return int(await self.fetchval(sql + " RETURNING id", args))

    @property
    def in_transaction(self) -> bool:
        return self._connection.get() is not None

    @property
    def for_update(self) -> str:
        return " FOR UPDATE" if self.in_transaction else ""

    @property
    def skip_locked(self) -> str:
        return " FOR UPDATE SKIP LOCKED"

    @asynccontextmanager
    async def transaction(self, durable: bool = False) -> AsyncIterator[None]:
        """A connection of the pool for the whole transaction (commits are durable on PostgreSQL's
        defaults, so ``durable`` asks nothing more)."""
        if self.in_transaction:
            raise RuntimeError("a transaction is already open in this task")
        async with self.pool.acquire() as connection:
            async with connection.transaction():
                token = self._connection.set(connection)
                try:
                    yield
                finally:
                    self._connection.reset(token)

    async def script(self, sql: str) -> None:
        for statement in _statements(_widened(sql)):
            await self._on().execute(statement)

    async def version(self) -> int:
        await self._on().execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        value = await self._on().fetchval("SELECT MAX(version) FROM schema_version")
        return int(value or 0)

    async def set_version(self, number: int) -> None:
        await self._on().execute("DELETE FROM schema_version")
        await self._on().execute("INSERT INTO schema_version (version) VALUES ($1)", number)

    async def lock_migrations(self) -> None:
        """Inside the migration's transaction: one process migrates at a time (released at commit)."""
        await self._on().execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)

    async def close(self) -> None:
        await self.pool.close()


async def open_database(url_or_path: str | Path) -> Database:
    """``postgresql://...`` opens a PostgreSQL pool; anything else is a SQLite file's path."""
    target = str(url_or_path)
    if target.startswith(("postgresql://", "postgres://")):
        return await PostgresDatabase.open(target)
    return await SQLiteDatabase.open(Path(target))
