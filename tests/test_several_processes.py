"""What lets several processes serve one bot, on both engines: the inbox of webhook updates
(a repeat handled once, a user's updates in order, a dead process's claims taken over) and the
leadership that lets one process at a time poll or run the scheduled rounds."""

from __future__ import annotations

import asyncio
import json
import random

from bot.inbox import MAX_ATTEMPTS, Inbox
from bot.leadership import leader_for
from bot.store import Store


async def receive(inbox: Inbox, update_id: int, user: int) -> bool:
    return await inbox.receive(update_id, user, json.dumps({"update_id": update_id, "user": user}))


async def test_a_repeated_update_is_received_once_and_a_users_updates_come_in_order(database):
    async with Store(database) as store:
        inbox = Inbox(store)
        assert await receive(inbox, 1, 100) and await receive(inbox, 2, 100) and await receive(inbox, 3, 200)
        assert not await receive(inbox, 1, 100)  # Telegram delivering it again
        assert [r.update_id for r in await inbox.claim()] == [1, 3]  # 2 waits behind 1 (same user)
        assert await inbox.claim() == []
        await inbox.done(1)
        assert [(r.update_id, r.body["user"]) for r in await inbox.claim()] == [(2, 100)]


async def test_the_claims_of_a_process_that_died_are_taken_over_a_few_times_at_most(database):
    async with Store(database) as store:
        inbox = Inbox(store)
        await receive(inbox, 7, 100)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            claimed = await inbox.claim()
            assert [(r.update_id, r.attempts) for r in claimed] == [(7, attempt)]
            await store.write("UPDATE inbox SET lease_until = 0")  # its process died while handling it
        assert await inbox.claim() == [] and await inbox.waiting() == 0  # given up: it killed every handler


async def test_two_processes_claiming_together_handle_each_update_once_in_each_users_order(database):
    async with Store(database) as one, Store(database) as two:
        rng = random.Random(5)
        users = [rng.randrange(1, 30) for _ in range(300)]
        for update_id, user in enumerate(users, 1):
            await receive(Inbox(one), update_id, user)
        handled: list[tuple[str, int, int]] = []

        async def work(name: str, store: Store) -> None:
            inbox = Inbox(store)
            while await inbox.waiting():
                for r in await inbox.claim(limit=5):
                    handled.append((name, r.update_id, r.body["user"]))
                    await asyncio.sleep(0)
                    await inbox.done(r.update_id)

        await asyncio.gather(work("one", one), work("two", two))
    ids = [update_id for _, update_id, _ in handled]
    assert sorted(ids) == list(range(1, 301))  # each once
    for user in set(users):
        theirs = [update_id for _, update_id, u in handled if u == user]
        assert theirs == sorted(theirs)
    assert {name for name, *_ in handled} == {"one", "two"}


async def test_one_leader_at_a_time_and_the_next_takes_over_when_it_goes(database):
    if not database.startswith("postgresql"):
        async with Store(database):  # (the lock file lives beside the database)
            pass
    first, second = leader_for(database, "polling"), leader_for(database, "polling")
    other = leader_for(database, "jobs")
    assert await first.try_acquire() and await first.try_acquire()  # held, asked again
    assert not await second.try_acquire()
    assert await other.try_acquire()  # another name, another lead
    if database.startswith("postgresql"):
        first._connection.terminate()  # the process dies: its connection is gone
    else:
        await first.release()
    for _ in range(50):
        if await second.try_acquire():
            break
        await asyncio.sleep(0.1)
    assert await second.still_held()
    for leader in (first, second, other):
        await leader.release()


async def test_a_confirmation_handled_twice_stores_one_petition(database):
    from bot.config import Unit
    from bot.petitions import NewPetition, Petitions

    async with Store(database) as store:
        domain = Petitions(store, (Unit("mt", "Môi trường", -100, ("moi-truong",)),), frozenset({9}))
        new = NewPetition(5, 5, "moi-truong", "Rác ứ đọng ở đầu hẻm 5", draft_key="k1")
        first, again = await domain.create(new), await domain.create(new)
        assert first == again and len(await domain.all()) == 1
        assert (await domain.by_draft("k1")).code == first.code
        forwards = await store.db.fetchval("SELECT COUNT(*) FROM outbox WHERE event = 'petition'")
        assert forwards == 1  # forwarded once too


async def test_a_conversation_knows_the_update_that_moved_it_last(database):
    from bot.conversations import HANDLING, PETITION, Conversations

    async with Store(database) as store:
        conversations = Conversations(store)
        token = HANDLING.set(41)
        await conversations.save(5, PETITION, 5, "place", {"category": "khac"})
        HANDLING.reset(token)
        assert await conversations.took(5, 41) and await conversations.took(5, 40)
        assert not await conversations.took(5, 42) and not await conversations.took(6, 41)


async def test_rounds_asking_for_the_lead_together_get_it_together(database):
    """Three jobs due at the same moment ask at once: the process leads once, not once per job."""
    async with Store(database):
        leader = leader_for(database, "jobs")
        assert await asyncio.gather(*(leader.try_acquire() for _ in range(3))) == [True, True, True]
        await leader.release()
