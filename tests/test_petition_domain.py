"""The petition domain without Telegram: every status transition, right and routing rule, as the
outcomes it returns and the rows and notices it stores."""

from __future__ import annotations

import ast
import itertools
import json
from pathlib import Path

import pytest

from bot.config import Unit
from bot.conversations import PETITION, STAFF, Conversations
from bot.outbox import Outbox
from bot.petitions import (
    ACTS,
    ADMINS_UNIT,
    CLOSED,
    STATUSES,
    TRANSITIONS,
    Actor,
    NewPetition,
    Outcome,
    Petitions,
    route,
)
from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent
CITIZEN, STAFF_A, STAFF_B, ADMIN, OUTSIDER = 11, 21, 31, 91, 99
UNITS = (
    Unit("mt", "Phòng Tài nguyên và Môi trường", -100, ("moi-truong",), staff=(STAFF_A,)),
    Unit("ub-1", "UBND phường 1", -201, ("thu-tuc",), staff=(STAFF_B,), areas=("Phường 1",)),
    Unit("ub-2", "UBND phường 2", -202, ("thu-tuc",), staff=(STAFF_B,), areas=("Phường 2",)),
)


@pytest.fixture
async def domain(database):
    async with Store(database) as store:
        yield Petitions(store, UNITS, frozenset({ADMIN}))


async def notices(petitions: Petitions, petition_id: int) -> list[tuple[str, int, str, dict]]:
    rows = await petitions.db.fetchall(
        "SELECT audience, chat_id, event, detail FROM outbox WHERE petition_id = ? ORDER BY id", (petition_id,))
    return [(r[0], r[1], r[2], json.loads(r[3])) for r in rows]


async def new(petitions: Petitions, category: str = "moi-truong", **extra) -> int:
    petition = await petitions.create(NewPetition(CITIZEN, CITIZEN, category, "Rác ứ đọng ở đầu hẻm 5", **extra))
    return petition.id


def test_routing_by_category_and_area_with_the_admins_as_the_last_resort():
    assert route(UNITS, "moi-truong", None).id == "mt"
    assert route(UNITS, "thu-tuc", "Phường 2").id == "ub-2"
    assert route(UNITS, "thu-tuc", None) is None  # units per area need the area
    assert route(UNITS, "khac", None) is None


async def test_a_petition_is_stored_with_its_forwarding_as_events(domain):
    pid = await new(domain, photos=["F1", "F2"], latitude=10.7, longitude=106.6, contact_phone="+8490")
    petition = await domain.get(pid)
    assert (petition.status, petition.unit_id, petition.anonymous) == ("received", "mt", False)
    assert [(a, c, e) for a, c, e, _ in await notices(domain, pid)] == [
        ("unit", -100, "petition"), ("unit", -100, "photo"), ("unit", -100, "photo"), ("unit", -100, "location")]
    # nothing rendered is stored: texts change without touching queued rows
    assert all("text" not in d and "method" not in d for *_, d in await notices(domain, pid))


async def test_a_petition_no_unit_takes_goes_to_each_admin(domain):
    pid = await new(domain, "khac")
    assert (await domain.get(pid)).unit_id == ADMINS_UNIT.id
    assert [(a, c) for a, c, *_ in await notices(domain, pid)] == [("unit", ADMIN)]


@pytest.mark.parametrize("start, act", list(itertools.product(list(STATUSES), list(ACTS))))
async def test_every_act_from_every_status_follows_the_transitions(domain, start, act):
    pid = await new(domain)
    await domain.db.execute("UPDATE petitions SET status = ? WHERE id = ?", (start, pid))
    before = len(await notices(domain, pid))
    text = "Đã xử lý xong" if act in ("resolve", "reject") else None
    result = await domain.act(Actor(STAFF_A), pid, act, text)
    target = ACTS[act]
    if start in CLOSED:
        assert result.outcome is Outcome.NOT_NOW
    elif target in TRANSITIONS[start]:
        assert result.done and result.petition.status == target
        told = (await notices(domain, pid))[before:]
        assert told[0][:2] == ("citizen", CITIZEN)
        assert told[0][2] == ("answer" if text else "status")
        assert [e["action"] for e in await domain.events(pid)][-1] == target
        return
    else:
        assert result.outcome is Outcome.NOT_NOW
    assert (await domain.get(pid)).status == start and len(await notices(domain, pid)) == before


@pytest.mark.parametrize("who, allowed", [(STAFF_A, True), (ADMIN, True), (STAFF_B, False), (OUTSIDER, False),
                                          (CITIZEN, False)])
async def test_only_the_handling_unit_and_admins_may_act(domain, who, allowed):
    pid = await new(domain)
    result = await domain.act(Actor(who), pid, "accept")
    assert result.outcome is (Outcome.DONE if allowed else Outcome.NOT_ALLOWED)
    assert (await domain.may_answer(Actor(who), pid)).outcome is (Outcome.DONE if allowed else Outcome.NOT_ALLOWED)
    assert (await domain.reassign(Actor(who), pid, "ub-1")).outcome is (
        Outcome.DONE if allowed else Outcome.NOT_ALLOWED)


async def test_an_unknown_petition_or_unit_is_not_found(domain):
    assert (await domain.act(Actor(ADMIN), 404, "accept")).outcome is Outcome.NOT_FOUND
    pid = await new(domain)
    assert (await domain.reassign(Actor(ADMIN), pid, "nowhere")).outcome is Outcome.NOT_FOUND
    assert (await domain.reassign(Actor(ADMIN), pid, "mt")).outcome is Outcome.NOT_NOW  # already there


async def test_a_reassigned_petition_is_forwarded_there_and_its_new_unit_may_act(domain):
    pid = await new(domain, photos=["F1"])
    result = await domain.reassign(Actor(STAFF_A), pid, "ub-1")
    assert result.done and (result.petition.status, result.petition.unit_id) == ("redirected", "ub-1")
    told = [(a, c, e) for a, c, e, _ in await notices(domain, pid)][2:]
    assert told == [("unit", -100, "moved_away"), ("unit", -201, "petition"), ("unit", -201, "photo"),
                    ("citizen", CITIZEN, "moved")]
    assert (await domain.act(Actor(STAFF_A), pid, "accept")).outcome is Outcome.NOT_ALLOWED  # no longer theirs
    assert (await domain.act(Actor(STAFF_B), pid, "accept")).done


async def test_an_admins_answer_is_signed_by_the_desk_and_a_units_by_the_unit(domain):
    first, second = await new(domain), await new(domain)
    await domain.act(Actor(STAFF_A), first, "resolve", "Đã thu gom")
    await domain.act(Actor(ADMIN), second, "reject", "Không thuộc thẩm quyền")
    assert [(e, d.get("unit_id")) for _, _, e, d in await notices(domain, first)][1:] == [
        ("answer", "mt"), ("rate", None)]
    assert [(a, e, d.get("unit_id"), d.get("status")) for a, _, e, d in await notices(domain, second)][1:] == [
        ("citizen", "answer", ADMINS_UNIT.id, "rejected"), ("unit", "desk_act", None, "rejected")]  # the unit told


async def test_only_admins_reply_without_closing(domain):
    pid = await new(domain)
    assert (await domain.reply(Actor(STAFF_A), pid, "Chúng tôi đang xem")).outcome is Outcome.NOT_ALLOWED
    assert (await domain.reply(Actor(ADMIN), pid, "Chúng tôi đang xem")).done
    assert (await domain.get(pid)).status == "received"


async def test_only_the_citizen_adds_information_rates_and_deletes_their_data(domain):
    pid = await new(domain, contact_phone="+84900000001", place="Hẻm 5", photos=["F1"])
    assert (await domain.add_info(Actor(OUTSIDER), pid, "thêm")).outcome is Outcome.NOT_ALLOWED
    assert (await domain.add_info(Actor(CITIZEN), pid, "Rác tràn ra đường")).done
    assert (await domain.rate(Actor(CITIZEN), pid, 1)).outcome is Outcome.NOT_NOW  # not resolved yet
    assert (await domain.delete_personal_data(Actor(CITIZEN), pid)).outcome is Outcome.NOT_NOW  # still open
    await domain.act(Actor(STAFF_A), pid, "resolve", "Đã thu gom")
    assert (await domain.rate(Actor(OUTSIDER), pid, -1)).outcome is Outcome.NOT_ALLOWED
    assert (await domain.rate(Actor(CITIZEN), pid, 1)).done
    assert (await domain.rate(Actor(CITIZEN), pid, -1)).outcome is Outcome.NOT_NOW  # once
    assert (await domain.add_info(Actor(CITIZEN), pid, "nữa")).outcome is Outcome.NOT_NOW  # satisfied: closed
    assert (await domain.delete_personal_data(Actor(OUTSIDER), pid)).outcome is Outcome.NOT_ALLOWED
    cleaned = (await domain.delete_personal_data(Actor(CITIZEN), pid)).petition
    assert (cleaned.contact_phone, cleaned.place, cleaned.personal_deleted, cleaned.rating) == (None, None, True, 1)
    assert await domain.photos(pid) == []
    assert not any("F1" in json.dumps(d) for *_, d in await notices(domain, pid))


async def test_deleting_personal_data_takes_back_the_copies_sent(domain):
    pid = await new(domain, photos=["F1"], contact_phone="+84900000001")
    await domain.db.execute("UPDATE outbox SET state = 'sent', message_id = id + 500 WHERE petition_id = ?", (pid,))
    await domain.act(Actor(STAFF_A), pid, "resolve", "Đã thu gom")
    await domain.delete_personal_data(Actor(CITIZEN), pid)
    takebacks = [d for a, c, e, d in await notices(domain, pid) if e == "redact"]
    assert takebacks == [{"message_id": 501, "edit": True}, {"message_id": 502, "edit": False}]


async def test_overdue_petitions_remind_daily_and_escalate_once(domain):
    import datetime as dt

    pid = await new(domain)
    late = dt.date.fromisoformat((await domain.get(pid)).due_on) + dt.timedelta(days=1)
    assert await domain.remind_overdue(late) == 1
    assert await domain.remind_overdue(late) == 0
    assert await domain.remind_overdue(late + dt.timedelta(days=1)) == 1
    told = [(a, e) for a, _, e, _ in await notices(domain, pid)][1:]
    assert told == [("unit", "overdue"), ("admin", "escalated"), ("unit", "overdue")]


async def test_forwarded_once_whatever_the_number_of_copies_sent(domain):
    pid = await new(domain)
    assert await domain.mark_forwarded(pid)
    assert not await domain.mark_forwarded(pid)
    assert [e["action"] for e in await domain.events(pid)] == ["created", "forwarded"]


async def test_a_resend_after_a_crash_is_marked(database):
    async with Store(database) as store:
        petitions = Petitions(store, UNITS, frozenset({ADMIN}))
        await new(petitions)
        queue = Outbox(store)
        first = (await queue.due())[0]
        assert await queue.claim(first) and not await queue.claim(first)
    async with Store(database) as store:  # the process died between the claim and the mark
        queue = Outbox(store)
        assert await queue.recover() == 1
        again = (await queue.due())[0]
        assert again.id == first.id and again.resend and not first.resend


async def test_conversations_of_one_person_never_overwrite_each_other(database):
    async with Store(database) as store:
        conversations = Conversations(store)
        await conversations.save(STAFF_A, PETITION, STAFF_A, "place", {"description": "Đèn đường hỏng"})
        await conversations.save(STAFF_A, STAFF, -100, "reply", {"petition": 7})
        assert (await conversations.in_chat(STAFF_A, STAFF_A)).name == PETITION
        assert (await conversations.in_chat(STAFF_A, -100)).name == STAFF
    async with Store(database) as store:  # after a restart, both are there
        conversations = Conversations(store)
        assert (await conversations.get(STAFF_A, PETITION)).data == {"description": "Đèn đường hỏng"}
        await conversations.drop(STAFF_A, STAFF)
        assert await conversations.get(STAFF_A, STAFF) is None
        assert (await conversations.get(STAFF_A, PETITION)).step == "place"


def test_nothing_below_the_telegram_layer_knows_telegram():
    """The domain could serve a web page: no module outside bot/telegram imports it or builds a Bot API call."""
    offenders = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        relative = path.relative_to(ROOT / "bot")
        if relative.parts[0] in ("telegram", "testing") or relative.name == "cli.py":  # cli.py starts the bot
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{relative}: imports {n}" for n in names if n.split(".")[0] == "telegram"
                          or n.startswith("bot.telegram")]
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in (
                    "sendMessage", "editMessageText", "deleteMessage", "sendPhoto", "reply_markup"):
                offenders.append(f"{relative}: builds {node.value}")
    assert not offenders, offenders


async def test_a_denunciation_goes_to_the_admins_never_to_the_unit_it_may_accuse(domain):
    petition = await domain.create(NewPetition(CITIZEN, CITIZEN, "thu-tuc", "Tôi tố cáo cán bộ một cửa đòi tiền",
                                               area="Phường 1"))
    assert petition.unit_id == ADMINS_UNIT.id and petition.complaint
    assert [(a, c) for a, c, *_ in await notices(domain, petition.id)] == [("unit", ADMIN)]


async def test_not_resolved_reopens_tells_the_unit_and_admins_and_is_rated_again(domain):
    pid = await new(domain)
    await domain.act(Actor(STAFF_A), pid, "resolve", "Đã thu gom")
    before = len(await notices(domain, pid))
    result = await domain.rate(Actor(CITIZEN), pid, -1)
    assert result.done and (result.petition.status, result.petition.rating) == ("reopened", None)
    told = [(a, e) for a, _, e, _ in await notices(domain, pid)][before:]
    assert told == [("unit", "reopened"), ("admin", "reopened"), ("citizen", "status")]
    assert (await domain.act(Actor(STAFF_A), pid, "resolve", "Đã thu gom lần hai")).done
    assert (await domain.rate(Actor(CITIZEN), pid, 1)).petition.rating == 1
    assert [e["action"] for e in await domain.events(pid)][-4:] == ["rated", "reopened", "resolved", "rated"]


async def test_every_change_updates_the_copies_already_in_a_units_chat(domain):
    pid = await new(domain)
    await domain.db.execute("UPDATE outbox SET state = 'sent', message_id = 700 WHERE petition_id = ?", (pid,))
    await domain.act(Actor(STAFF_A), pid, "accept")
    await domain.reassign(Actor(STAFF_A), pid, "ub-1")
    cards = [(c, d) for a, c, e, d in await notices(domain, pid) if e == "card"]
    assert cards == [(-100, {"message_id": 700}), (-100, {"message_id": 700})]


async def test_a_row_claimed_by_a_round_that_failed_goes_again_after_its_lease(database):
    async with Store(database) as store:
        await new(Petitions(store, UNITS, frozenset({ADMIN})))
        queue = Outbox(store)
        row = (await queue.due())[0]
        assert await queue.claim(row)
        assert await queue.recover(stale_only=True) == 0  # still within its lease
        await queue.db.execute("UPDATE outbox SET next_at = 0 WHERE id = ?", (row.id,))
        assert await queue.recover(stale_only=True) == 1
        again = (await queue.due())[0]
        assert again.id == row.id and again.resend
        assert await queue.claim(again)
        await queue.give_up(again, "personal data deleted")  # as delete_personal_data does
        assert not await queue.sent(again, 77)  # a send that lost that race is not recorded as sent


async def test_a_submission_is_the_citizens_own_within_the_days_limit(domain):
    from bot.petitions import MAX_PER_DAY

    def petition(n: int) -> NewPetition:
        return NewPetition(CITIZEN, CITIZEN, "moi-truong", f"Rác ứ đọng ở đầu hẻm số {n}")

    assert (await domain.submit(Actor(OUTSIDER), petition(0))).outcome is Outcome.NOT_ALLOWED
    assert (await domain.submit(Actor(CITIZEN), NewPetition(CITIZEN, CITIZEN, "khac", "ngắn"))).outcome \
        is Outcome.NOT_NOW
    for n in range(MAX_PER_DAY):
        assert (await domain.submit(Actor(CITIZEN), petition(n))).done
    assert (await domain.submit(Actor(CITIZEN), petition(99))).outcome is Outcome.NOT_NOW


async def test_the_days_limit_counts_vietnams_day(domain):
    import datetime as dt

    from bot.workdays import VIETNAM, today_in_vietnam

    pid = await new(domain)
    midnight = dt.datetime.combine(today_in_vietnam(), dt.time(), VIETNAM)
    for stamp, counted in ((midnight - dt.timedelta(minutes=1), 0), (midnight + dt.timedelta(minutes=1), 1)):
        await domain.db.execute("UPDATE petitions SET created_at = ? WHERE id = ?",
                                (stamp.astimezone(dt.UTC).isoformat(timespec="seconds"), pid))
        assert await domain.count_today(CITIZEN) == counted  # 23:59 yesterday in Việt Nam is not today


async def test_information_added_to_a_resolved_petition_reopens_it(domain):
    pid = await new(domain)
    await domain.act(Actor(STAFF_A), pid, "resolve", "Đã thu gom")
    result = await domain.add_info(Actor(CITIZEN), pid, "Sáng nay rác lại đầy như cũ")
    assert result.done and result.petition.status == "reopened"
    assert [(a, e) for a, _, e, _ in await notices(domain, pid)][-2:] == [("admin", "reopened"), ("unit", "info")]
    await domain.act(Actor(STAFF_A), pid, "reject", "Không thuộc thẩm quyền")
    assert (await domain.add_info(Actor(CITIZEN), pid, "thêm")).outcome is Outcome.NOT_NOW  # rejected: closed


async def test_a_near_duplicate_is_the_same_words_and_the_same_numbers(domain):
    await domain.create(NewPetition(CITIZEN, CITIZEN, "moi-truong", "Đèn đường hẻm 20 bị hỏng mấy hôm nay"))
    assert await domain.similar_recent(CITIZEN, "Đèn đường hẻm 20 bị hỏng mấy hôm nay rồi")
    assert await domain.similar_recent(CITIZEN, "Đèn đường hẻm 21 bị hỏng mấy hôm nay") is None
