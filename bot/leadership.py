"""One process at a time for what must run once: polling Telegram (a second getUpdates gets 409),
the scheduled rounds (reminders, overdue checks), a SQLite file's writer.

On PostgreSQL a leader holds a session advisory lock on a connection of its own: when the process
dies, the server closes the connection and frees the lock, and the next process that tries gets
it.  On SQLite it holds an exclusive ``flock`` on a file beside the database, which the operating
system frees when the process dies.  A stand-by simply tries again every few seconds.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import zlib
from pathlib import Path
from typing import Protocol


class Leader(Protocol):
    name: str

    async def try_acquire(self) -> bool:
        """Whether this process leads now (taking the lead when it is free)."""
        ...

    async def still_held(self) -> bool: ...

    async def release(self) -> None: ...


def _key(name: str) -> int:
    return 7_310_000_000 + zlib.crc32(name.encode())  # one advisory lock key per name, same in every process


class PostgresLeader:
    def __init__(self, url: str, name: str) -> None:
        self.url, self.name = url, name
        self._connection = None
        self._held = False
        self._turn = asyncio.Lock()  # jobs due together ask together: one connection, one lock

    async def try_acquire(self) -> bool:
        import asyncpg

        async with self._turn:
            if self._held and await self.still_held():
                return True
            try:
                if self._connection is None or self._connection.is_closed():
                    self._connection = await asyncpg.connect(self.url, timeout=5)
                self._held = bool(await self._connection.fetchval(
                    "SELECT pg_try_advisory_lock($1)", _key(self.name), timeout=5))
            except (OSError, asyncpg.PostgresError, TimeoutError):
                await self._drop()
            return self._held

    async def still_held(self) -> bool:
        """The lock lives as long as its connection: a connection that fails means the lead is lost."""
        if not self._held or self._connection is None:
            return False
        try:
            await self._connection.fetchval("SELECT 1", timeout=5)
        except Exception:
            await self._drop()
        return self._held

    async def _drop(self) -> None:
        self._held = False
        if self._connection is not None:
            self._connection.terminate()
            self._connection = None

    async def release(self) -> None:
        if self._connection is not None:
            await self._connection.close()  # the server frees the lock with the session
            self._connection = None
        self._held = False


class FileLeader:
    def __init__(self, database: Path, name: str) -> None:
        self.path = database.with_name(f"{database.name}.{name}.lock")
        self.name = name
        self._fd: int | None = None

    async def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())  # for whoever wonders which process leads
        self._fd = fd
        return True

    async def still_held(self) -> bool:
        return self._fd is not None

    async def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing frees the lock
            self._fd = None


def leader_for(target: str | Path, name: str) -> Leader:
    """The leader called ``name`` over the store at ``target`` (a postgresql:// URL or a SQLite file)."""
    if str(target).startswith(("postgresql://", "postgres://")):
        return PostgresLeader(str(target), name)
    return FileLeader(Path(target), name)
