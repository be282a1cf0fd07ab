"""The database, on both engines: migrations from empty and from every older version, one schema on
SQLite and PostgreSQL, and writes taking turns."""

from __future__ import annotations

import asyncio

import pytest

from bot import store as store_module
from bot.store import MIGRATIONS, Store


async def columns(store: Store) -> dict[str, list[tuple[str, str, bool]]]:
    """table -> [(column, type as SQLite names it, nullable)] in the order of the columns."""
    if store.db.engine == "sqlite":
        tables = [r[0] for r in await store.db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t: [(r["name"], r["type"], not r["notnull"] and not r["pk"])
                    for r in await store.db.fetchall(f"SELECT * FROM pragma_table_info('{t}')")] for t in tables}
    names = {"bigint": "INTEGER", "double precision": "REAL", "text": "TEXT", "bytea": "BLOB"}
    rows = await store.db.fetchall(
        "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name <> 'schema_version' ORDER BY table_name, ordinal_position")
    found: dict[str, list[tuple[str, str, bool]]] = {}
    for r in rows:
        found.setdefault(r[0], []).append((r[1], names[r[2]], r[3] == "YES"))
    return found


async def test_an_empty_database_gets_every_migration(database):
    async with Store(database) as store:
        assert await store.version() == len(MIGRATIONS)
        if store.db.engine == "sqlite":
            assert await store.db.fetchval("PRAGMA journal_mode") == "wal"


async def test_both_engines_have_one_schema(tmp_path, postgres):
    async with Store(tmp_path / "s.db") as lite, Store(postgres.new_database()) as pg:
        assert await columns(lite) == await columns(pg)
        assert "petitions" in await columns(pg)


@pytest.mark.parametrize("old_version", range(1, len(MIGRATIONS)))
async def test_every_older_database_is_brought_up_to_date_with_its_data(database, old_version, monkeypatch):
    path = database
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:old_version])
    async with Store(path) as old:
        await old.touch_user(5, 5)
        await old.set_role(5, "official")
        assert await old.version() == old_version
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    async with Store(path) as store:
        assert await store.version() == len(MIGRATIONS)
        assert (await store.user(5)).role == "official"
        assert {"due_on", "rating", "personal_deleted"} <= {c[0] for c in (await columns(store))["petitions"]}


async def test_a_migration_that_fails_halfway_leaves_nothing_behind(database, monkeypatch):
    async def broken(db):  # its second statement fails
        await db.script("CREATE TABLE half (x INTEGER); CREATE TABLE half (y INTEGER)")

    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(Exception, match="half"):
        await Store(database).open()
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    async with Store(database) as store:
        assert await store.version() == len(MIGRATIONS)
        assert "half" not in await columns(store)


async def test_concurrent_writers_never_commit_each_others_half_done_transactions(database):
    async with Store(database) as store:
        async def slow_transaction() -> None:
            with pytest.raises(RuntimeError):
                async with store.transaction():
                    await store.db.execute("INSERT INTO unanswered (question, created_at) VALUES ('half', 'x')")
                    await asyncio.sleep(0.05)  # another task writes meanwhile
                    raise RuntimeError("rolled back")

        await asyncio.gather(slow_transaction(), store.log_unanswered(1, "whole"))
        questions = [u.question for u in await store.unanswered()]
    assert questions == ["whole"]


async def test_durable_transactions_fsync_and_the_connection_returns_to_normal(tmp_path):
    async with Store(tmp_path / "d.db") as store:
        async with store.transaction(durable=True):
            assert await store.db.fetchval("PRAGMA synchronous") == 2  # FULL
            await store.db.execute("INSERT INTO unanswered (question, created_at) VALUES ('q', 'x')")
        assert await store.db.fetchval("PRAGMA synchronous") == 1  # NORMAL


async def test_a_transaction_cancelled_while_it_waits_for_the_lock_leaves_the_store_usable(tmp_path):
    """A stop cancels the outbox while its write waits for the database: the cancellation must come
    through (not turn into an SQLite error that keeps the task alive and the stop waiting forever)
    and the connection must not be left inside the transaction the worker thread began after."""
    import sqlite3

    async with Store(tmp_path / "bot.db") as store:
        other = sqlite3.connect(tmp_path / "bot.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock

        async def write() -> None:
            async with store.transaction(durable=True):
                await store.db.execute("PRAGMA user_version")

        task = asyncio.ensure_future(write())
        await asyncio.sleep(0.2)  # its BEGIN IMMEDIATE now waits in the worker thread
        task.cancel()
        await asyncio.sleep(0.05)
        other.execute("COMMIT")  # the lock is free: the worker thread's BEGIN goes through
        other.close()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.wait_for(store.write("PRAGMA user_version"), timeout=5)
        assert not store.db.connection.in_transaction


async def test_queued_messages_and_drafts_of_version_4_survive_the_move_to_events(tmp_path, monkeypatch):
    """Before version 5 the outbox held rendered Bot API calls and one draft row served every
    conversation: queued rows still go out as they were, each draft becomes its own conversation."""
    import json

    from bot.conversations import Conversations
    from bot.outbox import Outbox

    path = tmp_path / "v4.db"
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:4])
    async with Store(path) as old:
        await old.write(
            "INSERT INTO petitions (code, user_id, chat_id, category, description, status, unit_id, created_at, "
            "updated_at) VALUES ('AAAA-BBBB', 5, 5, 'khac', 'Đèn đường hỏng', 'received', 'ub', 'x', 'x')")
        for kind, chat, call in (
            ("forward", -100, {"method": "sendMessage", "params": {"chat_id": -100, "text": "📨 Phản ánh mới",
                                                                   "reply_markup": {"inline_keyboard": []}}}),
            ("forward", -100, {"method": "sendPhoto", "params": {"chat_id": -100, "photo": "F1"}}),
            ("notify", 5, {"method": "sendMessage", "params": {"chat_id": 5, "text": "🔔 Đã tiếp nhận"}}),
        ):
            await old.write("INSERT INTO outbox (petition_id, kind, chat_id, payload, created_at) VALUES (1, ?, ?, ?, 'x')",
                            (kind, chat, json.dumps(call)))
        await old.write("INSERT INTO drafts (user_id, step, data, updated_at) VALUES (7, 'staff-reply', ?, 1.0)",
                        (json.dumps({"petition": 1, "chat": -100}),))
        await old.write("INSERT INTO drafts (user_id, step, data, updated_at) VALUES (5, 'place', ?, 1.0)",
                        (json.dumps({"category": "khac", "description": "Đèn đường hỏng"}),))
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    async with Store(path) as store:
        queue = Outbox(store)
        first = await queue.due()  # one per chat: the unit's photo waits behind its text
        await store.write("UPDATE outbox SET state = 'sent', sent_ts = 0 WHERE id = ?", (first[0].id,))
        due = [first[0], *await queue.due()]
        conversations = Conversations(store)
        staff = await conversations.in_chat(7, -100)
        citizen = await conversations.get(5, "petition")
    assert [(n.audience, n.event) for n in first] == [("unit", "petition"), ("citizen", "raw")]
    assert [(n.audience, n.event) for n in due] == [("unit", "petition"), ("unit", "raw_media"), ("citizen", "raw")]
    assert due[1].detail["params"]["photo"] == "F1" and due[2].detail["params"]["text"] == "🔔 Đã tiếp nhận"
    assert (staff.name, staff.step, staff.data["petition"]) == ("staff", "reply", 1)
    assert (citizen.chat_id, citizen.step, citizen.data["description"]) == (5, "place", "Đèn đường hỏng")


async def test_a_sqlite_database_moves_into_postgresql_whole(tmp_path, postgres):
    """`danvan db migrate-to URL`: every row in its type, the id counters continuing after them,
    and a PostgreSQL database that holds data already refused."""
    import subprocess
    import sys

    from bot.config import Unit
    from bot.petitions import Actor, NewPetition, Petitions

    source, url = tmp_path / "old.db", postgres.new_database()
    units = (Unit("mt", "Phòng Tài nguyên và Môi trường", -1001234567890, ("moi-truong",), staff=(21,)),)
    async with Store(source) as old:
        await old.touch_user(5_000_000_001, 5_000_000_001)  # Telegram ids beyond 32 bits
        await old.log_unanswered(5_000_000_001, "hỏi gì đó")
        domain = Petitions(old, units, frozenset({91}))
        first = await domain.create(NewPetition(5_000_000_001, 5_000_000_001, "moi-truong", "Rác ứ đọng ở hẻm 5",
                                                photos=["F1"], latitude=10.7, longitude=106.6))
        await domain.act(Actor(21), first.id, "accept")
        before = {t: [tuple(r) for r in await old.db.fetchall(f"SELECT * FROM {t} ORDER BY 1, 2")]
                  for t in ("users", "unanswered", "petitions", "attachments", "events", "outbox")}

    def migrate() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot", "db", "migrate-to", url, "--db", str(source)],
                              capture_output=True, text=True, timeout=60)

    done = migrate()
    assert done.returncode == 0, done.stderr
    assert "Đã chép" in done.stdout and "petitions 1" in done.stdout
    async with Store(url) as moved:
        after = {t: [tuple(r) for r in await moved.db.fetchall(f"SELECT * FROM {t} ORDER BY 1, 2")] for t in before}
        assert after == before
        domain = Petitions(moved, units, frozenset({91}))
        second = await domain.create(NewPetition(7, 7, "moi-truong", "Đèn đường hỏng ở hẻm 9"))
        assert second.id == first.id + 1 and (await domain.get(first.id)).status == "accepted"
    again = migrate()
    assert again.returncode == 1 and "đã có dữ liệu" in again.stderr and "Traceback" not in again.stderr
