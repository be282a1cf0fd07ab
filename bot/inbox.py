"""The inbox: updates received by webhook, on disk before Telegram is answered, handled later by
whichever process claims them.

Telegram delivers an update again when its POST was not answered in time; the update's id is the
row's key, so a repeat is recognised and handled once.  A user's updates are handled one at a
time in the order of their ids, across processes: a row is claimed only when none of the same
user's earlier rows is still waiting or being handled.  A claim is a lease, renewed while the update
is being handled: the rows of a process that died while handling them are taken by another after
LEASE seconds (handled at least once; MAX_ATTEMPTS times at most, so that an update that kills its
handler does not kill every process).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from bot.store import Store

LEASE = 10.0  # seconds; the claimer renews it every RENEW seconds while it handles the update
RENEW = 3.0
MAX_ATTEMPTS = 3
KEEP = 24 * 3600.0  # seconds a handled update is remembered, to recognise a late repeat


@dataclass(frozen=True)
class Received:
    update_id: int
    body: dict[str, Any]
    attempts: int


class Inbox:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def receive(self, update_id: int, user_key: int, body: str) -> bool:
        """Store an update; False when it was received before (a repeat, not handled again)."""
        return await self.store.write(
            "INSERT INTO inbox (update_id, user_key, body, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (update_id, user_key, body, time.time()),
        ) == 1

    async def claim(self, limit: int = 8) -> list[Received]:
        """Up to ``limit`` updates to handle now, each the earliest unhandled one of its user."""
        stamp = time.time()
        db = self.store.db
        async with self.store.transaction():
            await db.execute("UPDATE inbox SET state = 'done' WHERE state = 'handling' AND lease_until < ? "
                             "AND attempts >= ?", (stamp, MAX_ATTEMPTS))
            rows = await db.fetchall(
                "UPDATE inbox SET state = 'handling', lease_until = ?, attempts = attempts + 1 WHERE update_id IN ("
                " SELECT update_id FROM inbox AS i WHERE (i.state = 'pending' OR (i.state = 'handling'"
                " AND i.lease_until < ?)) AND NOT EXISTS (SELECT 1 FROM inbox AS j WHERE j.user_key = i.user_key"
                f" AND j.update_id < i.update_id AND j.state <> 'done') ORDER BY update_id LIMIT ?{db.skip_locked})"
                " RETURNING update_id, body, attempts",
                (stamp + LEASE, stamp, limit),
            )
        return sorted((Received(r[0], json.loads(r[1]), r[2]) for r in rows), key=lambda r: r.update_id)

    async def renew(self, update_ids: list[int]) -> None:
        """The updates are still being handled here: their lease starts again."""
        for update_id in update_ids:
            await self.store.write("UPDATE inbox SET lease_until = ? WHERE update_id = ? AND state = 'handling'",
                                   (time.time() + LEASE, update_id))

    async def done(self, update_id: int) -> None:
        await self.store.write("UPDATE inbox SET state = 'done' WHERE update_id = ?", (update_id,))

    async def waiting(self) -> int:
        return int(await self.store.db.fetchval("SELECT COUNT(*) FROM inbox WHERE state <> 'done'"))

    async def forget_old(self) -> int:
        """Handled updates older than KEEP are forgotten; the number forgotten."""
        return await self.store.write("DELETE FROM inbox WHERE state = 'done' AND received_at < ?",
                                      (time.time() - KEEP,))
