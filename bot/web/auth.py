"""Signing in to the dashboard through Telegram: one-time links and sessions.

``/web`` gives a staff member a link holding a random token, good once and for
:data:`LINK_TTL` seconds; opening it (and confirming: a preview fetched by a messenger must not
use it up) starts a session, whose random token is the cookie.  Only hashes of either token are
stored, so a copy of the database opens nothing.  A session ends on sign-out or after
:data:`SESSION_TTL`.  What the person may see and do is not kept in the session: it is decided
on every request from the configuration (bot/web/app.py).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from bot.store import Store

LINK_TTL = 600.0  # seconds a /web link can be used, once
SESSION_TTL = 8 * 3600.0  # a working day; then a new /web link


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    user_id: int
    csrf: str  # the token every form of this session carries (compared on the server)
    token_hash: str


class Auth:
    def __init__(self, store: Store, clock=time.time) -> None:
        self.store = store
        self.clock = clock

    async def new_link(self, user_id: int) -> str:
        """A fresh sign-in token for ``user_id`` (the caller checked that they are staff)."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        await self.store.write("DELETE FROM web_logins WHERE expires_at < ?", (now - LINK_TTL,))
        await self.store.write("INSERT INTO web_logins (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
                               (_hash(token), user_id, now + LINK_TTL))
        return token

    async def link_valid(self, token: str) -> bool:
        row = await self.store.db.fetchone(
            "SELECT 1 FROM web_logins WHERE token_hash = ? AND used_at IS NULL AND expires_at >= ?",
            (_hash(token), self.clock()))
        return row is not None

    async def use_link(self, token: str) -> tuple[str, Session] | None:
        """The session a valid link opens (its cookie token and the session), the link used up; None
        for a used, expired or forged link."""
        now = self.clock()
        async with self.store.transaction():
            row = await self.store.db.fetchone(
                f"SELECT user_id FROM web_logins WHERE token_hash = ? AND used_at IS NULL AND expires_at >= ?"
                f"{self.store.db.for_update}", (_hash(token), now))
            if row is None:
                return None
            await self.store.db.execute("UPDATE web_logins SET used_at = ? WHERE token_hash = ?", (now, _hash(token)))
            cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
            await self.store.db.execute("DELETE FROM web_sessions WHERE expires_at < ?", (now,))
            await self.store.db.execute(
                "INSERT INTO web_sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                (_hash(cookie), row[0], csrf, now, now + SESSION_TTL))
        return cookie, Session(int(row[0]), csrf, _hash(cookie))

    async def session(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        row = await self.store.db.fetchone(
            "SELECT user_id, csrf FROM web_sessions WHERE token_hash = ? AND expires_at >= ?",
            (_hash(cookie), self.clock()))
        return Session(int(row[0]), row[1], _hash(cookie)) if row else None

    async def end(self, session: Session) -> None:
        await self.store.write("DELETE FROM web_sessions WHERE token_hash = ?", (session.token_hash,))
