"""Petitions end to end: a citizen's conversation, routing, the unit's buttons, notifications,
restarts and Telegram's errors, through the real Application and the fake Bot API."""

from __future__ import annotations

import asyncio
import json

import aiosqlite
from pathlib import Path

import pytest

from bot import messages
from bot.config import Settings, Unit
from bot.deadlines import load_deadlines
from bot.outbox import Outbox
from bot.outbox import TELEGRAM, UNLIMITED, Pace
from bot.petitions import NewPetition, Petitions
from bot.store import Store
from bot.telegram.app import build_application
from bot.testing.fake_telegram import TOKEN, FakeTelegram
from bot.testing.harness import running

ROOT = Path(__file__).resolve().parent.parent
CITIZEN, STAFF, OUTSIDER, ADMIN = 2001, 3001, 3999, 9001
ENV_CHAT, OTHER_CHAT = -100200, -100300
UNITS = (
    Unit(id="moi-truong-q1", name="Phòng Tài nguyên và Môi trường", chat_id=ENV_CHAT,
         categories=("moi-truong",), staff=(STAFF,)),
    Unit(id="ubnd-phuong", name="UBND phường", chat_id=OTHER_CHAT,
         categories=("thu-tuc", "giao-thong", "khac"), staff=(3002,)),
)


DATABASES: dict[Path, str] = {}  # each test's database, by its tmp_path


@pytest.fixture(autouse=True, params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    """Every test here runs on both engines (a SQLite file's own troubles on SQLite only)."""
    if request.param == "postgresql":
        if request.node.get_closest_marker("sqlite_only"):
            pytest.skip("a SQLite file's own case")
        DATABASES[tmp_path] = request.getfixturevalue("postgres").new_database()
    else:
        DATABASES[tmp_path] = str(tmp_path / "bot.db")
    yield request.param
    DATABASES.pop(tmp_path, None)


def db_of(tmp_path: Path) -> str:
    return DATABASES[tmp_path]


def where(tmp_path: Path) -> dict:
    """The settings that put the bot on this test's database."""
    target = db_of(tmp_path)
    return {"database_url": target} if target.startswith("postgresql") else {"db_path": Path(target)}


@pytest.fixture
def fake():
    with FakeTelegram() as server:
        yield server
    refused = [(c.method, c.params.get("text", "")[:60], c.params.get("__error__")) for c in server.calls
               if c.status == 400 and c.params.get("__error__") != "chat not found"  # that one is scripted
               and not c.params.get("__scripted__")]
    assert not refused, f"calls Telegram would refuse: {refused}"


def make_app(fake: FakeTelegram, tmp_path: Path, assistant, units=UNITS, pace: Pace = UNLIMITED):
    """The bot on the fake; without Telegram's limits (they are tested on their own, with the fake's)."""
    settings = Settings(token=TOKEN, api_base_url=fake.base_url, **where(tmp_path),
                        admins=frozenset({ADMIN}), units=units, flood_burst=100)
    deadlines = load_deadlines(ROOT / "content" / "deadlines.yaml", assistant.library)
    return build_application(settings, assistant, deadlines, pace=pace, outbox_interval=0.05)


def texts(fake: FakeTelegram, chat: int) -> list[str]:
    return [m.text for m in fake.messages_to(chat)]


async def wait_text(fake: FakeTelegram, chat: int, needle: str, timeout: float = 20.0) -> str:
    found = await fake.wait_for(lambda: [t for t in texts(fake, chat) if needle in t], timeout,
                                what=f"“{needle}” in chat {chat}")
    return found[-1]


def last_buttons(fake: FakeTelegram, chat: int) -> list[str]:
    return [data for m in fake.messages_to(chat) for _, data in m.buttons]


async def stored_petition(tmp_path: Path, description: str, category: str = "moi-truong",
                          half_sent: bool = False):
    """A petition confirmed by an earlier process, its forwarding queued (or, half_sent, interrupted
    by a crash between the send and its record)."""
    async with Store(db_of(tmp_path)) as store:
        petition = await Petitions(store, UNITS, frozenset({ADMIN})).create(
            NewPetition(CITIZEN, CITIZEN, category, description))
        if half_sent:
            await store.write("UPDATE outbox SET state = 'sending', attempts = 1 WHERE id = 1")
    return petition


async def _describe(fake: FakeTelegram, citizen: int, category: str, description: str) -> None:
    """The conversation's opening: /phananh, a category, the description; up to the place."""
    fake.message(citizen, "/phananh")
    await wait_text(fake, citizen, messages.PETITION_CATEGORY)
    fake.press(citizen, f"pe:cat:{category}")
    await wait_text(fake, citizen, "mô tả sự việc")
    fake.message(citizen, description)
    await wait_text(fake, citizen, "xảy ra ở đâu")


async def write_petition(fake: FakeTelegram, citizen: int, description: str, category: str = "moi-truong") -> str:
    """A citizen goes through the whole conversation; returns the tracking code."""
    await _describe(fake, citizen, category, description)
    fake.message(citizen, "Hẻm 12 Lê Lợi, phường Bến Nghé")
    await wait_text(fake, citizen, "ảnh kèm theo")
    fake.message(citizen, None, photo=[{"file_id": "PHOTO-1", "file_unique_id": "p1", "width": 800, "height": 600,
                                        "file_size": 120000}])
    await wait_text(fake, citizen, "Đã nhận ảnh 1/3")
    fake.press(citizen, "pe:next")
    await wait_text(fake, citizen, "số điện thoại")
    fake.message(citizen, None, contact={"phone_number": "+84901234567", "first_name": "Lan", "user_id": citizen})
    review = await wait_text(fake, citizen, "kiểm tra lại phản ánh")
    assert "+84901234567" in review and "Hẻm 12 Lê Lợi" in review
    fake.press(citizen, "pe:send")
    saved = await wait_text(fake, citizen, "Mã theo dõi")
    return saved.split("Mã theo dõi: ")[1].split()[0]


async def _up_to_review(fake: FakeTelegram, category: str = "moi-truong",
                        description: str = "Nước thải từ quán ăn chảy ra hẻm mỗi tối") -> str:
    """A citizen writes an anonymous petition without place or photo, up to the review; its text."""
    await _describe(fake, CITIZEN, category, description)
    fake.press(CITIZEN, "pe:skip")
    await wait_text(fake, CITIZEN, "ảnh kèm theo")
    fake.press(CITIZEN, "pe:next")
    await wait_text(fake, CITIZEN, "số điện thoại")
    fake.message(CITIZEN, messages.ANONYMOUS)
    return await wait_text(fake, CITIZEN, "kiểm tra lại phản ánh")


async def test_a_citizen_sends_a_petition_that_reaches_the_right_unit(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi <nặng> & ruồi")
        forwarded = await wait_text(fake, ENV_CHAT, f"Phản ánh mới {code}")
        await wait_text(fake, CITIZEN, messages.CITIZEN_STATUS.format(code=code, status="Đã chuyển đơn vị xử lý"))
        photo = await fake.wait_for(lambda: fake.sent(ENV_CHAT, "sendPhoto"))
    assert "Rác thải ứ đọng" in forwarded and "+84901234567" in forwarded and "<nặng> & ruồi" in forwarded
    assert photo[0].params["photo"] == "PHOTO-1"
    assert {"pu:acc:1", "pu:done:1", "pu:rej:1", "pu:move:1"} <= set(last_buttons(fake, ENV_CHAT))
    assert not fake.messages_to(OTHER_CHAT)  # routed by category: only the environment unit
    assert len([t for t in texts(fake, ENV_CHAT) if t.startswith(f"📨 Phản ánh mới {code}")]) == 1  # once
    async with Store(db_of(tmp_path)) as store:
        petitions = Petitions(store, UNITS, frozenset({ADMIN}))
        petition = await petitions.by_code(code)
        assert (petition.status, petition.unit_id, petition.category) == ("forwarded", "moi-truong-q1", "moi-truong")
        assert [e["action"] for e in await petitions.events(petition.id)] == ["created", "forwarded"]
        assert await petitions.photos(petition.id) == ["PHOTO-1"]


async def test_unit_actions_reach_the_citizen_and_outsiders_are_refused(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
        await wait_text(fake, ENV_CHAT, code)
        fake.press(OUTSIDER, "pu:acc:1", chat_id=ENV_CHAT)
        refusal = await fake.wait_for(lambda: [c for c in fake.sent(method="answerCallbackQuery")
                                               if c.params.get("text") == messages.UNIT_NOT_ALLOWED])
        assert refusal[0].params["show_alert"] is True
        fake.press(STAFF, "pu:acc:1", chat_id=ENV_CHAT)
        await wait_text(fake, CITIZEN, "Đơn vị đã nhận xử lý")
        fake.press(STAFF, "pu:done:1", chat_id=ENV_CHAT)
        prompt = await fake.wait_for(lambda: [m for m in fake.messages_to(ENV_CHAT) if "nhập nội dung trả lời" in m.text])
        fake.message(STAFF, "Đã thu gom rác, cảm ơn Anh/Chị đã phản ánh.", chat_id=ENV_CHAT, kind="supergroup",
                     reply_to_message=fake.as_message(prompt[-1]))
        reply = await wait_text(fake, CITIZEN, "trả lời phản ánh")
        fake.press(STAFF, "pu:prog:1", chat_id=ENV_CHAT)  # stale: the petition is closed
        stale = await fake.wait_for(lambda: [c for c in fake.sent(method="answerCallbackQuery")
                                             if "không làm được nữa" in c.params.get("text", "")])
    assert reply.startswith("📬 Phòng Tài nguyên và Môi trường trả lời phản ánh " + code)
    assert str(STAFF) not in reply  # in the unit's name, not a staff member's
    assert stale
    async with Store(db_of(tmp_path)) as store:
        petitions = Petitions(store, UNITS, frozenset({ADMIN}))
        petition = await petitions.by_code(code)
        events = await petitions.events(petition.id)
    assert petition.status == "resolved"
    assert [(e["actor"], e["action"]) for e in events] == [
        (f"user:{CITIZEN}", "created"), ("system", "forwarded"), (f"user:{STAFF}", "accepted"),
        (f"user:{STAFF}", "resolved"),
    ]
    assert events[-1]["detail"].startswith("Đã thu gom rác")


async def test_a_petition_can_be_handed_to_another_unit(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Xe tải đậu chắn lối đi cả ngày trước nhà tôi")
        await wait_text(fake, ENV_CHAT, code)
        fake.press(STAFF, "pu:move:1", chat_id=ENV_CHAT)
        choose = await fake.wait_for(lambda: [m for m in fake.messages_to(ENV_CHAT) if "đến đơn vị nào" in m.text])
        fake.press(STAFF, choose[-1].buttons[0][1], chat_id=ENV_CHAT)
        await wait_text(fake, OTHER_CHAT, code)
        await wait_text(fake, CITIZEN, "đã được chuyển đến UBND phường")


async def test_a_restart_in_the_middle_of_the_conversation_resumes_it(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(CITIZEN, "/phananh")
        await wait_text(fake, CITIZEN, messages.PETITION_CATEGORY)
        fake.press(CITIZEN, "pe:cat:moi-truong")
        await wait_text(fake, CITIZEN, "mô tả sự việc")
        fake.message(CITIZEN, "Cống thoát nước bị tắc, nước tràn lên đường mỗi khi mưa")
        await wait_text(fake, CITIZEN, "xảy ra ở đâu")
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(CITIZEN, "Đường số 5, khu phố 3")
        await wait_text(fake, CITIZEN, "ảnh kèm theo")
        fake.press(CITIZEN, "pe:next")
        await wait_text(fake, CITIZEN, "số điện thoại")
        fake.message(CITIZEN, messages.ANONYMOUS)
        review = await wait_text(fake, CITIZEN, "kiểm tra lại phản ánh")
        assert "Cống thoát nước bị tắc" in review and "ẩn danh" in review
        fake.press(CITIZEN, "pe:send")
        code = (await wait_text(fake, CITIZEN, "Mã theo dõi")).split("Mã theo dõi: ")[1].split()[0]
        await wait_text(fake, ENV_CHAT, code)


async def test_forwards_pending_at_a_crash_are_delivered_once_after_restart(fake, tmp_path, assistant):
    # A petition committed with its outbox rows, then the process dies: one row half sent.
    # Whether it reached Telegram before the crash cannot be known: it goes again, saying so.
    petition = await stored_petition(tmp_path, "Khói từ xưởng gây ô nhiễm", "moi-truong", half_sent=True)
    async with running(make_app(fake, tmp_path, assistant)):
        await wait_text(fake, ENV_CHAT, petition.code)
        await wait_text(fake, CITIZEN, "Đã chuyển đơn vị xử lý")  # after the copy is recorded as sent
    copies = [t for t in texts(fake, ENV_CHAT) if f"📨 Phản ánh mới {petition.code}" in t]
    assert len(copies) == 1 and copies[0].startswith(messages.RESENT_NOTE)
    assert fake.messages_to(ENV_CHAT)[0].buttons  # still the petition's buttons


async def test_telegram_errors_are_retried_and_nothing_is_lost(fake, tmp_path, assistant):
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    fake.fail_next("sendMessage", 500, "Internal Server Error")
    petition = await stored_petition(tmp_path, "Tiếng ồn công trình ban đêm", "moi-truong")
    async with running(make_app(fake, tmp_path, assistant)):
        await wait_text(fake, ENV_CHAT, petition.code, timeout=20)
        await wait_text(fake, CITIZEN, "Đã chuyển đơn vị xử lý", timeout=20)
    attempts = [c.status for c in fake.sent(ENV_CHAT, "sendMessage")]
    assert attempts[:3] == [429, 500, 200] and attempts.count(200) == 1


async def test_a_chats_messages_keep_their_order_while_one_waits_for_a_retry(fake, tmp_path, assistant):
    # The petition's text gets a 429: its photos must not reach the unit before it, while
    # another unit's petition, queued after them, need not wait.
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, chat_id=ENV_CHAT)
    async with Store(db_of(tmp_path)) as store:
        petitions = Petitions(store, UNITS, frozenset({ADMIN}))
        first = await petitions.create(NewPetition(CITIZEN, CITIZEN, "moi-truong", "Khói bụi từ bãi đốt rác mỗi chiều",
                                                   photos=["PHOTO-A", "PHOTO-B"]))
        other = await petitions.create(NewPetition(CITIZEN, CITIZEN, "thu-tuc", "Hồ sơ nộp một tháng chưa có hẹn trả"))
    async with running(make_app(fake, tmp_path, assistant)):
        await wait_text(fake, OTHER_CHAT, other.code)
        await fake.wait_for(lambda: len(fake.sent(ENV_CHAT, "sendPhoto")) == 2, what="both photos")
    delivered = [c.method for c in fake.sent(ENV_CHAT) if c.status == 200]
    assert delivered == ["sendMessage", "sendPhoto", "sendPhoto"]
    assert first.code in fake.messages_to(ENV_CHAT)[0].text
    other_at = next(c.at for c in fake.sent(OTHER_CHAT) if c.status == 200)
    assert other_at < fake.messages_to(ENV_CHAT)[0].at  # not held up by the first unit's wait


async def test_a_unit_chat_that_cannot_be_reached_alerts_the_admins(fake, tmp_path, assistant):
    fake.unknown_chats.add(ENV_CHAT)
    petition = await stored_petition(tmp_path, "Cây đổ chắn ngang đường", "moi-truong")
    async with running(make_app(fake, tmp_path, assistant)):
        alert = await wait_text(fake, ADMIN, petition.code)
    assert "Không gửi được" in alert and str(ENV_CHAT) in alert


async def test_a_citizen_who_blocked_the_bot_is_recorded_not_retried(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
        await wait_text(fake, ENV_CHAT, code)
        await wait_text(fake, CITIZEN, "Đã chuyển đơn vị xử lý")
        fake.blocked_users.add(CITIZEN)
        fake.press(STAFF, "pu:acc:1", chat_id=ENV_CHAT)
        await fake.wait_for(lambda: [c for c in fake.sent(CITIZEN) if c.status == 403])
        await fake.wait_idle(quiet=0.5)
    assert len([c for c in fake.sent(CITIZEN) if c.status == 403]) == 1
    async with Store(db_of(tmp_path)) as store:
        assert (await store.user(CITIZEN)).blocked
        assert await store.db.fetchval(
            "SELECT state FROM outbox WHERE audience = 'citizen' ORDER BY id DESC LIMIT 1") == "dead"


async def test_complaints_are_recorded_with_the_proper_channel_shown(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        review = await _up_to_review(fake, "thu-tuc", "Tôi muốn tố cáo cán bộ địa chính đòi tiền khi làm hồ sơ")
        assert "tiếp công dân" in review and "trình tự pháp luật riêng" in review
        fake.press(CITIZEN, "pe:send")
        saved = await wait_text(fake, CITIZEN, "Mã theo dõi")
        code = saved.split("Mã theo dõi: ")[1].split()[0]
        # a denunciation of a cadre never goes to the office that may be its subject: the admins take it
        forwarded = await wait_text(fake, ADMIN, code)
        await wait_text(fake, CITIZEN, messages.STATUS_AT_DESK)  # not "Đã chuyển đơn vị xử lý": no unit has it
    assert messages.UNIT_COMPLAINT in forwarded and messages.DENUNCIATION_ROUTED in saved
    assert not [t for t in texts(fake, OTHER_CHAT) if code in t]


async def test_citizens_follow_their_petitions_by_list_and_by_code(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Đèn đường hỏng cả tuần, hẻm tối om")
        await wait_text(fake, CITIZEN, "Đã chuyển đơn vị xử lý")
        fake.message(CITIZEN, "/phananhcuatoi")
        mine = await wait_text(fake, CITIZEN, "Phản ánh của Anh/Chị")
        fake.message(OUTSIDER, f"/trangthai {code.lower().replace('-', '')}")
        status = await wait_text(fake, OUTSIDER, code)
        fake.message(OUTSIDER, "/trangthai ZZZZ-ZZZZ")
        unknown = await wait_text(fake, OUTSIDER, "Không tìm thấy")
    assert code in mine and "Đã chuyển đơn vị xử lý" in mine
    assert "Đã chuyển đơn vị xử lý" in status and "+84" not in status  # no personal data by code
    assert "ZZZZ-ZZZZ" in unknown


@pytest.mark.parametrize("data", ["pe:cat:khong-co", "pe:send", "pe:area:9", "pu:acc:999", "pu:xoa:1", "pu:acc:abc",
                                  "pm:1:99", "pm:x:y"])
async def test_forged_petition_buttons_are_refused_politely(fake, tmp_path, assistant, data):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.press(CITIZEN, data)
        answered = await fake.wait_for(lambda: fake.sent(method="answerCallbackQuery"))
        await fake.wait_idle()
    assert answered[0].params.get("show_alert") is True
    assert not fake.messages_to(ADMIN)


async def test_short_descriptions_and_cancel(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(CITIZEN, "/phananh")
        await wait_text(fake, CITIZEN, messages.PETITION_CATEGORY)
        fake.press(CITIZEN, "pe:cat:khac")
        await wait_text(fake, CITIZEN, "mô tả sự việc")
        fake.message(CITIZEN, "rác")
        await wait_text(fake, CITIZEN, "hơi ngắn")
        fake.message(CITIZEN, "/huy")
        await wait_text(fake, CITIZEN, messages.PETITION_CANCELLED)
        fake.message(CITIZEN, "5 khong la gi")  # a question again, not a description
        await wait_text(fake, CITIZEN, "kênh rạch")
    async with Store(db_of(tmp_path)) as store:
        assert await store.db.fetchval("SELECT COUNT(*) FROM petitions") == 0


@pytest.mark.parametrize("command", ["/ds", "/ds all", "/xem AAAA-BBBB", "/chuyen AAAA-BBBB ubnd-phuong",
                                     "/traloi AAAA-BBBB xin chào", "/dong AAAA-BBBB xong", "/taplai"])
async def test_admin_commands_are_refused_to_everyone_else(fake, tmp_path, assistant, command):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(STAFF, command)
        refusal = await wait_text(fake, STAFF, messages.ADMIN_ONLY)
    assert refusal == messages.ADMIN_ONLY


async def test_admins_list_view_reassign_reply_and_close(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
        await wait_text(fake, CITIZEN, "Đã chuyển đơn vị xử lý")
        fake.message(ADMIN, "/ds")
        listing = await wait_text(fake, ADMIN, "Phản ánh đang mở")
        fake.message(ADMIN, f"/xem {code}")
        view = await wait_text(fake, ADMIN, "Lịch sử")
        fake.message(ADMIN, f"/chuyen {code} ubnd-phuong")
        await wait_text(fake, ADMIN, "Đã chuyển phản ánh")
        await wait_text(fake, OTHER_CHAT, f"Phản ánh mới {code}")
        fake.message(ADMIN, f"/traloi {code} Chúng tôi đã nhận, sẽ xử lý trong tuần.")
        await wait_text(fake, CITIZEN, "sẽ xử lý trong tuần")
        await wait_text(fake, OTHER_CHAT, "Quản trị viên đã trả lời người dân")  # the unit knows what was promised
        fake.message(ADMIN, f"/dong {code} Đã xử lý xong.")
        await wait_text(fake, CITIZEN, "Đã xử lý xong")
        fake.message(ADMIN, "/ds da giai quyet")  # a status in Vietnamese, typed without diacritics
        resolved = await wait_text(fake, ADMIN, "Phản ánh “Đã giải quyết”")
        fake.message(ADMIN, "/ds linh tinh")
        filters = await wait_text(fake, ADMIN, "chưa hiểu bộ lọc")
        fake.message(ADMIN, "/taplai")
        reloaded = await wait_text(fake, ADMIN, "Đã nạp lại")
    assert code in listing and code in resolved and "quá hạn" in filters and "moi-truong-q1" in filters
    assert "+84901234567" in view  # admins see the contact
    assert "Người gửi: gửi phản ánh" in view and "Hệ thống: Đã chuyển đơn vị xử lý" in view  # read as people do
    assert f"user:{CITIZEN}" not in view and "created" not in view
    assert f"{len(assistant.intents)} nội dung" in reloaded and "6 văn bản" in reloaded
    async with Store(db_of(tmp_path)) as store:
        petitions = Petitions(store, UNITS, frozenset({ADMIN}))
        petition = await petitions.by_code(code)
        actions = [(e["actor"], e["action"]) for e in await petitions.events(petition.id)]
    assert petition.status == "resolved" and petition.unit_id == "ubnd-phuong"
    assert actions[-3:] == [(f"admin:{ADMIN}", "redirected"), (f"admin:{ADMIN}", "replied"),
                            (f"admin:{ADMIN}", "resolved")]


async def test_citizens_add_information_rate_and_delete_their_personal_data(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
        await wait_text(fake, CITIZEN, "Đã chuyển đơn vị xử lý")
        fake.message(CITIZEN, "/phananhcuatoi")
        await wait_text(fake, CITIZEN, "Phản ánh của Anh/Chị")
        assert "pc:add:1" in last_buttons(fake, CITIZEN)
        fake.press(OUTSIDER, "pc:add:1")  # not their petition
        await fake.wait_for(lambda: [c for c in fake.sent(method="answerCallbackQuery")
                                     if c.params.get("text") == messages.STALE_BUTTON])
        fake.press(CITIZEN, "pc:add:1")
        await wait_text(fake, CITIZEN, "thông tin bổ sung")
        fake.message(CITIZEN, "Sáng nay rác đã tràn ra lòng đường")
        await wait_text(fake, ENV_CHAT, "tràn ra lòng đường")
        fake.press(CITIZEN, "pc:del:1")  # still open: refused
        await fake.wait_for(lambda: [c for c in fake.sent(method="answerCallbackQuery")
                                     if c.params.get("text") == messages.DATA_NOT_CLOSED])
        fake.press(STAFF, "pu:done:1", chat_id=ENV_CHAT)
        prompt = await fake.wait_for(lambda: [m for m in fake.messages_to(ENV_CHAT) if "nhập nội dung trả lời" in m.text])
        fake.message(STAFF, "Đã thu gom.", chat_id=ENV_CHAT, kind="supergroup", reply_to_message=fake.as_message(prompt[-1]))
        ask = await fake.wait_for(lambda: [m for m in fake.messages_to(CITIZEN) if m.text == messages.RATE_ASK])
        fake.press(CITIZEN, "pc:rate:1:+", fake.as_message(ask[-1]))
        fake.press(CITIZEN, "pc:rate:1:-", fake.as_message(ask[-1]))  # only once
        await fake.wait_for(lambda: len([c for c in fake.sent(method="answerCallbackQuery")
                                         if c.params.get("text") in (messages.RATE_THANKS, messages.STALE_BUTTON)]) >= 2)
        # a bot may not delete a message older than 48 hours: then the admins are asked to
        fake.fail_next("deleteMessage", 400, "Bad Request: message can't be deleted for everyone")
        fake.press(CITIZEN, "pc:del:1")
        confirm = await fake.wait_for(lambda: [m for m in fake.messages_to(CITIZEN) if "không hoàn tác được" in m.text])
        assert not [t for t in texts(fake, CITIZEN) if "Đã xóa số điện thoại" in t]  # asked once more first
        fake.press(CITIZEN, confirm[-1].buttons[0][1], fake.as_message(confirm[-1]))
        await wait_text(fake, CITIZEN, "Đã xóa số điện thoại")
        # the copies in the unit's chat are taken back: the text edited, the photo deleted
        edited = await fake.wait_for(lambda: [c for c in fake.sent(ENV_CHAT, "editMessageText") if "🔒" in c.text])
        deleted = await fake.wait_for(lambda: fake.sent(ENV_CHAT, "deleteMessage"))
        alert = await wait_text(fake, ADMIN, "không xóa được bản sao")
    forward = next(m for m in fake.messages_to(ENV_CHAT)
                   if m.method == "sendMessage" and m.text.startswith(f"📨 Phản ánh mới {code}"))
    photo = next(m for m in fake.messages_to(ENV_CHAT) if m.method == "sendPhoto")
    assert edited[0].params["message_id"] == forward.params["__result__"]["message_id"]
    assert "+84901234567" not in edited[0].text and "Hẻm 12 Lê Lợi" not in edited[0].text
    assert "Rác thải ứ đọng" in edited[0].text  # the content stays
    assert deleted[0].params["message_id"] == photo.params["__result__"]["message_id"]
    assert code in alert and str(ENV_CHAT) in alert
    async with Store(db_of(tmp_path)) as store:
        petitions = Petitions(store, UNITS, frozenset({ADMIN}))
        petition = await petitions.by_code(code)
        actions = [e["action"] for e in await petitions.events(petition.id)]
        payloads = [row[0] for row in await store.db.fetchall(
            "SELECT detail FROM outbox WHERE petition_id = ?", (petition.id,))]
    assert petition.rating == 1 and petition.contact_phone is None and petition.place is None
    assert await_photos_gone(payloads) and "info_added" in actions and "personal_data_deleted" in actions
    assert petition.description.startswith("Rác thải ứ đọng")  # the content stays for the record


def await_photos_gone(payloads: list[str]) -> bool:
    return not any("+84901234567" in p or "PHOTO-1" in p for p in payloads)


async def test_overdue_petitions_remind_the_unit_and_escalate_once(fake, tmp_path, assistant):
    import datetime as dt

    petition = await stored_petition(tmp_path, "Khói bụi từ công trình bay vào nhà", "moi-truong")
    days = {"today": dt.date.fromisoformat(petition.due_on) + dt.timedelta(days=1)}
    settings = Settings(token=TOKEN, api_base_url=fake.base_url, **where(tmp_path),
                        admins=frozenset({ADMIN}), units=UNITS)
    app = build_application(settings, assistant, load_deadlines(ROOT / "content" / "deadlines.yaml", assistant.library),
                            pace=UNLIMITED,
                            outbox_interval=0.05, today=lambda: days["today"])
    async with running(app):
        await wait_text(fake, ENV_CHAT, f"Phản ánh {petition.code} đã quá hạn")
        await wait_text(fake, ADMIN, f"Phản ánh {petition.code} quá hạn")
        fake.message(ADMIN, "/ds quá hạn")
        overdue = await wait_text(fake, ADMIN, "Phản ánh “quá hạn”")
        assert petition.code in overdue
        petitions = app.bot_data.services.petitions
        assert await petitions.remind_overdue(days["today"]) == 0  # once a day
        days["today"] += dt.timedelta(days=1)
        assert await petitions.remind_overdue(days["today"]) == 1
        app.bot_data.services.wake_outbox()
        await fake.wait_for(lambda: len([t for t in texts(fake, ENV_CHAT) if "đã quá hạn" in t]) == 2)
        await fake.wait_idle(quiet=0.3)
    assert len([t for t in texts(fake, ADMIN) if t.startswith("⚠️") and "quá hạn" in t]) == 1  # escalated once


async def test_a_near_duplicate_of_a_recent_petition_asks_before_sending(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
        fake.message(CITIZEN, "/phananh")
        await fake.wait_for(lambda: len([t for t in texts(fake, CITIZEN) if t == messages.PETITION_CATEGORY]) == 2)
        fake.press(CITIZEN, "pe:cat:moi-truong")
        await fake.wait_for(lambda: len([t for t in texts(fake, CITIZEN) if "mô tả sự việc" in t]) == 2)
        fake.message(CITIZEN, "rác thải ứ đọng ở đầu hẻm 3 ngày nay bốc mùi!")
        fake.press(CITIZEN, "pe:skip")
        fake.press(CITIZEN, "pe:next")
        fake.message(CITIZEN, messages.ANONYMOUS)
        await fake.wait_for(lambda: len([t for t in texts(fake, CITIZEN) if "kiểm tra lại phản ánh" in t]) == 2)
        fake.press(CITIZEN, "pe:send")
        await wait_text(fake, CITIZEN, "rất giống")
        assert len([t for t in texts(fake, CITIZEN) if "Mã theo dõi" in t]) == 1  # not sent yet
        fake.press(CITIZEN, "pe:send")
        await fake.wait_for(lambda: len([t for t in texts(fake, CITIZEN) if "Mã theo dõi" in t]) == 2)


async def test_a_unit_resolves_with_a_photo_as_evidence_and_outsiders_cannot_act_by_any_means(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
        await wait_text(fake, ENV_CHAT, f"Phản ánh mới {code}")
        for data in ("pu:prog:1", "pu:done:1", "pu:rej:1", "pu:move:1", "pm:1:1"):
            fake.press(OUTSIDER, data, chat_id=ENV_CHAT)
        await fake.wait_for(lambda: len([c for c in fake.sent(method="answerCallbackQuery")
                                         if c.params.get("text") == messages.UNIT_NOT_ALLOWED]) == 5)
        fake.press(STAFF, "pu:done:1", chat_id=ENV_CHAT)
        prompt = await fake.wait_for(lambda: [m for m in fake.messages_to(ENV_CHAT) if "nhập nội dung trả lời" in m.text])
        fake.message(OUTSIDER, "Tôi đóng hộ nhé", chat_id=ENV_CHAT, kind="supergroup",
                     reply_to_message=fake.as_message(prompt[-1]))  # no draft of theirs: read as chatter, not a reply
        fake.message(STAFF, None, chat_id=ENV_CHAT, kind="supergroup", reply_to_message=fake.as_message(prompt[-1]),
                     caption="Đã thu gom, ảnh hiện trường kèm theo.",
                     photo=[{"file_id": "EVIDENCE-1", "file_unique_id": "e1", "width": 640, "height": 480}])
        await wait_text(fake, CITIZEN, "ảnh hiện trường")
        photo = await fake.wait_for(lambda: fake.sent(CITIZEN, "sendPhoto"))
    assert photo[0].params["photo"] == "EVIDENCE-1"
    async with Store(db_of(tmp_path)) as store:
        petition = await Petitions(store, UNITS, frozenset({ADMIN})).by_code(code)
        events = await Petitions(store, UNITS, frozenset({ADMIN})).events(petition.id)
    assert petition.status == "resolved"
    assert [e["actor"] for e in events if e["actor"].startswith("user:")] == [f"user:{CITIZEN}", f"user:{STAFF}"]





@pytest.mark.sqlite_only
async def test_a_locked_database_gives_a_clear_apology_and_no_half_written_petition(fake, tmp_path, assistant):
    app = make_app(fake, tmp_path, assistant)
    async with running(app):
        await _up_to_review(fake)
        other = await aiosqlite.connect(tmp_path / "bot.db")  # another process holding the database
        await other.execute("BEGIN EXCLUSIVE")
        fake.press(CITIZEN, "pe:send")
        # Every statement waits out SQLite's 5 s busy timeout, queued behind the outbox's and the
        # pacing's own tries on the one connection: with the other test worker busy, that is long.
        await wait_text(fake, CITIZEN, messages.ERROR_APOLOGY, timeout=75)
        assert not [t for t in texts(fake, CITIZEN) if "Mã theo dõi" in t]  # no code for what is not stored
        await other.rollback()
        await other.close()
        fake.press(CITIZEN, "pe:send")  # the draft is still there: sending again works
        code = (await wait_text(fake, CITIZEN, "Mã theo dõi")).split("Mã theo dõi: ")[1].split()[0]
        await wait_text(fake, ENV_CHAT, f"Phản ánh mới {code}")
    async with aiosqlite.connect(tmp_path / "bot.db") as db:
        async with db.execute("PRAGMA integrity_check") as cursor:
            assert (await cursor.fetchone())[0] == "ok"
        async with db.execute("SELECT COUNT(*) FROM petitions") as cursor:
            assert (await cursor.fetchone())[0] == 1


@pytest.mark.sqlite_only
async def test_a_full_disk_gives_a_clear_apology_and_nothing_corrupt(fake, tmp_path, assistant, monkeypatch):
    import sqlite3

    app = make_app(fake, tmp_path, assistant)
    async with running(app):
        await _up_to_review(fake)
        db = app.bot_data.services.store.db
        real_execute = db.execute

        def full_disk(sql, *args, **kwargs):  # SQLite's own error when the disk fills mid-transaction
            if sql.startswith("INSERT INTO attachments") or sql.startswith("INSERT INTO events"):
                raise sqlite3.OperationalError("database or disk is full")
            return real_execute(sql, *args, **kwargs)

        monkeypatch.setattr(db, "execute", full_disk)
        fake.press(CITIZEN, "pe:send")
        await wait_text(fake, CITIZEN, messages.ERROR_APOLOGY, timeout=30)
        assert not [t for t in texts(fake, CITIZEN) if "Mã theo dõi" in t]
        assert await db.fetchval("SELECT COUNT(*) FROM petitions") == 0  # the half-written petition was rolled back
        monkeypatch.setattr(db, "execute", real_execute)  # space again
        fake.press(CITIZEN, "pe:send")
        await wait_text(fake, CITIZEN, "Mã theo dõi")
    async with aiosqlite.connect(tmp_path / "bot.db") as check:
        async with check.execute("PRAGMA integrity_check") as cursor:
            assert (await cursor.fetchone())[0] == "ok"
        async with check.execute("SELECT COUNT(*) FROM petitions") as cursor:
            assert (await cursor.fetchone())[0] == 1


async def test_a_unit_members_pending_reply_is_taken_only_in_the_units_chat(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
        await wait_text(fake, ENV_CHAT, f"Phản ánh mới {code}")
        fake.press(STAFF, "pu:done:1", chat_id=ENV_CHAT)
        await fake.wait_for(lambda: [m for m in fake.messages_to(ENV_CHAT) if "nhập nội dung trả lời" in m.text])
        fake.message(STAFF, "5 khong la gi")  # in a private chat with the bot: a question, not the reply
        await wait_text(fake, STAFF, "kênh rạch")
    async with Store(db_of(tmp_path)) as store:
        assert (await Petitions(store, UNITS, frozenset({ADMIN})).by_code(code)).status == "forwarded"


async def test_the_crash_test_fails_when_the_outbox_forgets_interrupted_work(fake, tmp_path, assistant, monkeypatch):
    """The guarantee above is really tested: with start-up recovery switched off, the half-sent
    forward of a crashed process is never delivered, and the same checks catch it."""
    async def no_recovery(self, stale_only: bool = False) -> int:
        return 0

    petition = await stored_petition(tmp_path, "Khói từ xưởng gây ô nhiễm", "moi-truong", half_sent=True)
    monkeypatch.setattr(Outbox, "recover", no_recovery)
    async with running(make_app(fake, tmp_path, assistant)):
        with pytest.raises(AssertionError, match="timed out"):
            await wait_text(fake, ENV_CHAT, petition.code, timeout=2)


async def test_a_unit_members_own_petition_and_pending_reply_both_survive_a_restart(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
        await wait_text(fake, ENV_CHAT, f"Phản ánh mới {code}")
        fake.press(STAFF, "pu:done:1", chat_id=ENV_CHAT)
        prompt = await fake.wait_for(lambda: [m for m in fake.messages_to(ENV_CHAT) if "nhập nội dung trả lời" in m.text])
        # meanwhile, privately, the same person writes a petition of their own, up to its place
        await _describe(fake, STAFF, "giao-thong", "Đèn tín hiệu ở ngã tư hỏng hai ngày nay, rất nguy hiểm")
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(STAFF, "Ngã tư Lê Lợi và Hai Bà Trưng")  # privately: the place of their own petition
        await wait_text(fake, STAFF, "ảnh kèm theo")
        fake.message(STAFF, "Đã thu gom rác, cảm ơn Anh/Chị.", chat_id=ENV_CHAT, kind="supergroup",
                     reply_to_message=fake.as_message(prompt[-1]))  # in the unit's chat: the reply
        reply = await wait_text(fake, CITIZEN, "trả lời phản ánh")
        fake.press(STAFF, "pe:next")
        await wait_text(fake, STAFF, "số điện thoại")
        fake.message(STAFF, messages.ANONYMOUS)
        review = await wait_text(fake, STAFF, "kiểm tra lại phản ánh")
        fake.press(STAFF, "pe:send")
        own = (await wait_text(fake, STAFF, "Mã theo dõi")).split("Mã theo dõi: ")[1].split()[0]
        forwarded = await wait_text(fake, OTHER_CHAT, f"Phản ánh mới {own}")
    assert "Đã thu gom rác" in reply
    assert "Đèn tín hiệu" in review and "Ngã tư Lê Lợi" in review and "Đèn tín hiệu" in forwarded
    async with Store(db_of(tmp_path)) as store:
        petitions = Petitions(store, UNITS, frozenset({ADMIN}))
        assert (await petitions.by_code(code)).status == "resolved"
        assert (await petitions.by_code(own)).user_id == STAFF


def card_edits(fake: FakeTelegram, chat: int) -> list:
    return [c for c in fake.sent(chat, "editMessageText") if c.status == 200 and "Trạng thái:" in c.text]


async def test_the_units_card_follows_the_petition_and_not_resolved_reopens_it(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
        saved = await wait_text(fake, CITIZEN, "Mã theo dõi")
        card = await wait_text(fake, ENV_CHAT, f"Phản ánh mới {code}")
        fake.press(STAFF, "pu:acc:1", chat_id=ENV_CHAT)
        accepted = await fake.wait_for(lambda: card_edits(fake, ENV_CHAT), what="the card edited")
        fake.press(STAFF, "pu:done:1", chat_id=ENV_CHAT)
        prompt = await fake.wait_for(lambda: [m for m in fake.messages_to(ENV_CHAT) if "nhập nội dung trả lời" in m.text])
        fake.message(STAFF, "Đã thu gom.", chat_id=ENV_CHAT, kind="supergroup", reply_to_message=fake.as_message(prompt[-1]))
        ask = await fake.wait_for(lambda: [m for m in fake.messages_to(CITIZEN) if m.text == messages.RATE_ASK])
        fake.press(CITIZEN, "pc:rate:1:-", fake.as_message(ask[-1]))  # "not resolved"
        reopened = await wait_text(fake, ENV_CHAT, "chưa được giải quyết")
        alert = await wait_text(fake, ADMIN, "đã mở lại")
        await wait_text(fake, CITIZEN, "đang xử lý lại")
        last_card = await fake.wait_for(lambda: [c for c in card_edits(fake, ENV_CHAT) if "xử lý lại" in c.text])
        fake.message(ADMIN, f"/dong {code} Đã thu gom lần hai, có ảnh kèm theo")  # the admins close it themselves
        await wait_text(fake, CITIZEN, "Đã thu gom lần hai")
        asked_again = await fake.wait_for(lambda: len([m for m in fake.messages_to(CITIZEN) if m.text == messages.RATE_ASK]) == 2)
        desk = await wait_text(fake, ENV_CHAT, "Quản trị viên đã cập nhật")
    assert "Hạn xử lý: " in saved and "Hạn xử lý: " in card and "Trạng thái: Đã chuyển đơn vị xử lý" in card
    assert "Trạng thái: Đơn vị đã nhận xử lý" in accepted[0].text
    assert "pu:acc:1" not in [d for _, d in accepted[0].buttons] and "pu:done:1" in [d for _, d in accepted[0].buttons]
    assert code in reopened and code in alert and asked_again and "Đã giải quyết" in desk
    assert {d for _, d in last_card[-1].buttons} >= {"pu:done:1", "pu:rej:1"}


async def test_a_transfer_tells_the_previous_unit_and_takes_its_buttons_away(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Xe tải đậu chắn lối đi cả ngày trước nhà tôi")
        await wait_text(fake, ENV_CHAT, code)
        await wait_text(fake, CITIZEN, "Đã chuyển đơn vị xử lý")
        fake.message(ADMIN, f"/chuyen {code} ubnd-phuong")
        await wait_text(fake, OTHER_CHAT, code)
        told = await wait_text(fake, ENV_CHAT, "không cần xử lý tiếp")
        card = await fake.wait_for(lambda: [c for c in card_edits(fake, ENV_CHAT) if "Đã chuyển đến" in c.text])
        fake.press(STAFF, "pu:acc:1", chat_id=ENV_CHAT)  # an old button of the previous unit
        refusal = await fake.wait_for(lambda: [c for c in fake.sent(method="answerCallbackQuery")
                                               if "đã được chuyển đến UBND phường" in c.params.get("text", "")])
    assert "UBND phường" in told and not card[-1].buttons and refusal


async def test_a_unit_member_replies_by_just_typing_in_the_group(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
        await wait_text(fake, ENV_CHAT, f"Phản ánh mới {code}")
        fake.message(3002, "Bên phường mình xem giúp vụ này nhé", chat_id=ENV_CHAT, kind="supergroup")  # someone else
        fake.press(STAFF, "pu:rej:1", chat_id=ENV_CHAT)
        prompt = await fake.wait_for(lambda: [m for m in fake.messages_to(ENV_CHAT) if "lý do không giải quyết" in m.text])
        fake.message(STAFF, "a Tuấn ơi chiều nay ai trực vậy", chat_id=ENV_CHAT, kind="supergroup")  # talk
        talk = await fake.wait_for(lambda: [m for m in fake.messages_to(ENV_CHAT) if "Gửi cho người dân" in m.text])
        fake.press(STAFF, talk[-1].buttons[1][1], fake.as_message(talk[-1]), chat_id=ENV_CHAT)  # not the answer
        await wait_text(fake, ENV_CHAT, "em chưa gửi")
        fake.message(STAFF, "Việc này thuộc Ban quản lý chợ, Anh/Chị liên hệ số 028 3822 1234.", chat_id=ENV_CHAT,
                     kind="supergroup")  # not a reply: just typed in the group
        confirm = await fake.wait_for(lambda: [m for m in fake.messages_to(ENV_CHAT) if "Ban quản lý chợ" in m.text
                                               and "Gửi cho người dân" in m.text])
        fake.press(STAFF, confirm[-1].buttons[0][1], fake.as_message(confirm[-1]), chat_id=ENV_CHAT)
        reply = await wait_text(fake, CITIZEN, "Ban quản lý chợ")
    assert prompt[-1].params["reply_markup"]["force_reply"] is True
    assert "selective" not in prompt[-1].params["reply_markup"]  # a reply box opens in the group
    assert "không được giải quyết" in reply and "Phòng Tài nguyên và Môi trường" in reply
    assert not [t for t in texts(fake, CITIZEN) if "ai trực" in t]  # colleagues' talk never reaches the citizen


async def test_each_reply_prompt_answers_its_own_petition(fake, tmp_path, assistant):
    first = await stored_petition(tmp_path, "Rác ở hẻm 5 đường Lê Lợi chưa được thu gom")
    second = await stored_petition(tmp_path, "Rác ở chợ Bến Thành tràn ra lòng đường")
    async with running(make_app(fake, tmp_path, assistant)):
        await wait_text(fake, ENV_CHAT, second.code)
        fake.press(STAFF, f"pu:done:{first.id}", chat_id=ENV_CHAT)
        one = await fake.wait_for(lambda: [m for m in fake.messages_to(ENV_CHAT) if first.code in m.text
                                           and "nhập nội dung trả lời" in m.text])
        fake.press(STAFF, f"pu:done:{second.id}", chat_id=ENV_CHAT)
        await fake.wait_for(lambda: [m for m in fake.messages_to(ENV_CHAT) if second.code in m.text
                                     and "nhập nội dung trả lời" in m.text])
        fake.message(STAFF, "Đã thu gom rác ở hẻm 5.", chat_id=ENV_CHAT, kind="supergroup",
                     reply_to_message=fake.as_message(one[-1]))  # the older prompt
        reply = await wait_text(fake, CITIZEN, "Đã thu gom rác ở hẻm 5")
        fake.message(STAFF, "Đã thu gom rác ở chợ.", chat_id=ENV_CHAT, kind="supergroup")  # then the other one
        confirm = await fake.wait_for(lambda: [m for m in fake.messages_to(ENV_CHAT) if "Gửi cho người dân" in m.text])
        assert second.code in confirm[-1].text  # it says which petition it would answer
        fake.press(STAFF, confirm[-1].buttons[0][1], fake.as_message(confirm[-1]), chat_id=ENV_CHAT)
        await wait_text(fake, CITIZEN, "Đã thu gom rác ở chợ")
    assert first.code in reply
    async with Store(db_of(tmp_path)) as store:
        events = {code: [e["detail"] for e in await Petitions(store, UNITS, frozenset({ADMIN})).events(
            (await Petitions(store, UNITS, frozenset({ADMIN})).by_code(code)).id)] for code in (first.code, second.code)}
    assert events[first.code][-1] == "Đã thu gom rác ở hẻm 5." and events[second.code][-1] == "Đã thu gom rác ở chợ."


async def test_on_the_admins_desk_a_question_is_not_taken_for_the_answer(fake, tmp_path, assistant):
    petition = await stored_petition(tmp_path, "Đèn đường hỏng cả tháng nay ở hẻm 9", "an-sinh")  # no unit: the desk
    async with running(make_app(fake, tmp_path, assistant)):
        await wait_text(fake, ADMIN, petition.code)
        fake.press(ADMIN, f"pu:done:{petition.id}")
        prompt = await fake.wait_for(lambda: [m for m in fake.messages_to(ADMIN) if "nhập nội dung trả lời" in m.text])
        fake.message(ADMIN, "5 khong la gi")  # typed in the same private chat, not as a reply: a question
        await wait_text(fake, ADMIN, "kênh rạch")
        fake.message(ADMIN, "Đã báo điện lực thay bóng đèn.", reply_to_message=fake.as_message(prompt[-1]))
        reply = await wait_text(fake, CITIZEN, "Đã báo điện lực")
    assert not [t for t in texts(fake, CITIZEN) if "5 khong" in t]
    assert "Bộ phận tiếp nhận" in reply


async def test_starting_a_petition_ends_a_forgotten_add_information(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
        await wait_text(fake, CITIZEN, "Đã chuyển đơn vị xử lý")
        fake.press(CITIZEN, "pc:add:1")
        await wait_text(fake, CITIZEN, "thông tin bổ sung")
        fake.message(CITIZEN, "/phananh")
        await fake.wait_for(lambda: len([t for t in texts(fake, CITIZEN) if t == messages.PETITION_CATEGORY]) == 2)
        fake.message(CITIZEN, "/huy")
        await fake.wait_for(lambda: len([t for t in texts(fake, CITIZEN) if t == messages.PETITION_CANCELLED]) == 1)
        fake.message(CITIZEN, "5 khong la gi")
        await wait_text(fake, CITIZEN, "kênh rạch")  # answered as a question
    assert not [t for t in texts(fake, ENV_CHAT) if "5 khong" in t]
    assert code


async def test_phananh_again_asks_before_dropping_a_petition_being_written(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        await _describe(fake, CITIZEN, "moi-truong", "Cống thoát nước bị tắc, nước tràn lên đường mỗi khi mưa")
        fake.message(CITIZEN, "/phananh")
        asked = await wait_text(fake, CITIZEN, "đang soạn dở")
        fake.press(CITIZEN, "pe:resume")
        await fake.wait_for(lambda: len([t for t in texts(fake, CITIZEN) if "xảy ra ở đâu" in t]) == 2)
        fake.message(CITIZEN, "Đường số 5, khu phố 3")  # the draft went on where it was
        await wait_text(fake, CITIZEN, "ảnh kèm theo")
        fake.message(CITIZEN, "/phananh")
        await fake.wait_for(lambda: len([t for t in texts(fake, CITIZEN) if "đang soạn dở" in t]) == 2)
        fake.press(CITIZEN, "pe:restart")
        await fake.wait_for(lambda: len([t for t in texts(fake, CITIZEN) if t == messages.PETITION_CATEGORY]) == 2)
    assert asked


async def test_a_row_that_cannot_be_rendered_is_given_up_once_and_holds_nothing_up(fake, tmp_path, assistant):
    petition = await stored_petition(tmp_path, "Khói từ xưởng gây ô nhiễm", "moi-truong")
    async with Store(db_of(tmp_path)) as store:  # e.g. a row left by an older version, broken
        await store.write("INSERT INTO outbox (petition_id, audience, chat_id, event, detail, created_at) "
                          "VALUES (?, 'citizen', ?, 'raw', '{}', 'x')", (petition.id, CITIZEN))
    async with running(make_app(fake, tmp_path, assistant)):
        await wait_text(fake, CITIZEN, "Đã chuyển đơn vị xử lý")  # queued after the broken row
        alert = await wait_text(fake, ADMIN, "Không gửi được")
        fake.message(CITIZEN, "5 khong la gi")  # a later round has passed
        await wait_text(fake, CITIZEN, "kênh rạch")
    assert petition.code in alert
    assert len([t for t in texts(fake, ADMIN) if "Không gửi được" in t]) == 1


AREA_UNITS = (*UNITS, Unit(id="ub-p1", name="UBND phường 1", chat_id=-100401, categories=("an-ninh",),
                           staff=(3003,), areas=("Phường 1", "Phường 2")))


async def test_each_step_takes_what_a_person_naturally_sends(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant, units=AREA_UNITS)):
        fake.message(CITIZEN, "/phananh")
        await wait_text(fake, CITIZEN, messages.PETITION_CATEGORY)
        fake.message(CITIZEN, "an ninh")  # the category typed, not pressed
        area = await wait_text(fake, CITIZEN, messages.PETITION_AREA)
        fake.message(CITIZEN, "khu vực khác")  # a ward no unit lists
        await wait_text(fake, CITIZEN, "mô tả sự việc")
        fake.message(CITIZEN, None, caption="Thanh niên tụ tập đua xe lúc nửa đêm, rất ồn và nguy hiểm",
                     photo=[{"file_id": "PHOTO-9", "file_unique_id": "p9", "width": 800, "height": 600}])
        await wait_text(fake, CITIZEN, "xảy ra ở đâu")
        fake.message(CITIZEN, "ủa mà phản ánh này ai xem vậy em?")  # a side-question, not the address
        side = await fake.wait_for(lambda: [m for m in fake.messages_to(CITIZEN) if messages.PETITION_PLACE_AFTER_QUESTION in m.text])
        fake.message(CITIZEN, "Đường ven sông, gần cầu Kênh Tẻ")
        await fake.wait_for(lambda: len([t for t in texts(fake, CITIZEN) if "ảnh kèm theo" in t]) == 1)
        fake.message(CITIZEN, "ko có thêm ạ")
        await wait_text(fake, CITIZEN, "số điện thoại")
        fake.message(CITIZEN, "số em là 0901 234 567")  # typed, not shared
        review = await wait_text(fake, CITIZEN, "kiểm tra lại phản ánh")
        fake.press(CITIZEN, "pe:edit:place")
        await fake.wait_for(lambda: len([t for t in texts(fake, CITIZEN) if "xảy ra ở đâu" in t]) == 2)
        fake.message(CITIZEN, "Đường ven sông, dưới chân cầu Kênh Tẻ")
        edited = await fake.wait_for(lambda: [t for t in texts(fake, CITIZEN) if "kiểm tra lại" in t and "dưới chân cầu" in t])
        fake.press(CITIZEN, "pe:send")
        code = (await wait_text(fake, CITIZEN, "Mã theo dõi")).split("Mã theo dõi: ")[1].split()[0]
        forwarded = await wait_text(fake, ADMIN, f"Phản ánh mới {code}")  # no unit for that ward: the admins
        await fake.wait_for(lambda: fake.sent(ADMIN, "sendPhoto"))  # its photo after it, at the chat's pace
    # one message: an answer to the question, the step's reminder under it
    assert side[0].text.endswith(messages.PETITION_PLACE_AFTER_QUESTION) and len(side[0].text) > len(
        messages.PETITION_PLACE_AFTER_QUESTION) + 20
    assert len([m for m in fake.messages_to(CITIZEN) if m.text == messages.PETITION_WAITING]) == 0  # no double reply
    assert messages.AREA_OTHER in [label for label, _ in fake.messages_to(CITIZEN)[-1].buttons] or area
    assert "Thanh niên tụ tập" in review and "0901234567" in review and "Ảnh: 1" in review
    assert "ủa mà" not in review and "Đường ven sông, gần cầu" in review
    assert "dưới chân cầu" in edited[-1]
    assert "Thanh niên tụ tập" in forwarded and "0901234567" in forwarded


async def test_a_photo_alone_offers_a_petition_with_it(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(CITIZEN, None, caption="Rác đổ trộm ở bãi đất trống cuối hẻm 7",
                     photo=[{"file_id": "PHOTO-5", "file_unique_id": "p5", "width": 800, "height": 600}])
        offer = await wait_text(fake, CITIZEN, messages.PHOTO_OFFER)
        fake.press(CITIZEN, "pe:offer")
        await wait_text(fake, CITIZEN, messages.PETITION_CATEGORY)
        fake.press(CITIZEN, "pe:cat:moi-truong")
        prefilled = await wait_text(fake, CITIZEN, "làm nội dung phản ánh")
        await wait_text(fake, CITIZEN, "xảy ra ở đâu")  # the caption was the description
    assert offer and "Rác đổ trộm" in prefilled


async def test_a_citizen_says_in_words_it_is_not_resolved_or_asks_after_it(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
        await wait_text(fake, CITIZEN, "Đã chuyển đơn vị xử lý")
        fake.message(CITIZEN, "phản ánh của tôi sao rồi")
        status = await wait_text(fake, CITIZEN, "Phản ánh của Anh/Chị")
        fake.message(ADMIN, f"/dong {code} Đã thu gom.")
        await wait_text(fake, CITIZEN, messages.RATE_ASK)
        fake.message(CITIZEN, "vẫn còn rác mà, sao lại báo đã giải quyết???")
        offer = await fake.wait_for(lambda: [m for m in fake.messages_to(CITIZEN) if code in m.text and "chưa được giải quyết" in m.text])
        fake.press(CITIZEN, offer[-1].buttons[0][1], fake.as_message(offer[-1]))
        await wait_text(fake, ENV_CHAT, "chưa được giải quyết")
        await wait_text(fake, CITIZEN, "đang xử lý lại")
        fake.message(CITIZEN, "/phananhcuatoi")
        await fake.wait_for(lambda: len([t for t in texts(fake, CITIZEN) if "Phản ánh của Anh/Chị" in t]) == 2)
    assert code in status
    assert offer[-1].buttons[0][1] == "pc:rate:1:-" and "pc:add:1" in [d for _, d in offer[-1].buttons]


async def test_a_reply_asked_for_and_never_given_is_reminded_not_lost(fake, tmp_path, assistant):
    settings = Settings(token=TOKEN, api_base_url=fake.base_url, **where(tmp_path),
                        admins=frozenset({ADMIN}), units=UNITS, flood_burst=100)
    app = build_application(settings, assistant, load_deadlines(ROOT / "content" / "deadlines.yaml", assistant.library),
                            pace=UNLIMITED,
                            outbox_interval=0.05, pending_interval=0.2)
    async with running(app):
        code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
        await wait_text(fake, ENV_CHAT, f"Phản ánh mới {code}")
        fake.press(STAFF, "pu:done:1", chat_id=ENV_CHAT)
        await fake.wait_for(lambda: [m for m in fake.messages_to(ENV_CHAT) if "nhập nội dung trả lời" in m.text])
        store = app.bot_data.services.store
        for _ in range(200):  # the prompt is remembered once it is sent: wait for its row
            if await store.db.fetchval("SELECT COUNT(*) FROM conversations WHERE name = 'staff'"):
                break
            await asyncio.sleep(0.02)
        await store.write("UPDATE conversations SET updated_at = 0")  # half an hour later
        reminder = await wait_text(fake, ENV_CHAT, "vẫn chờ nội dung trả lời", timeout=10)
    assert code in reminder and "Dân" in reminder
    async with Store(db_of(tmp_path)) as store:
        assert (await Petitions(store, UNITS, frozenset({ADMIN})).by_code(code)).status == "forwarded"  # still open
        assert await store.db.fetchval("SELECT COUNT(*) FROM conversations") == 0


async def test_words_at_the_review_a_side_question_and_a_question_mark(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(CITIZEN, "?")
        await fake.wait_for(lambda: fake.messages_to(CITIZEN), what="a reply to '?'")
        await _describe(fake, CITIZEN, "moi-truong", "Cống thoát nước bị tắc, nước tràn lên đường mỗi khi mưa")
        fake.message(CITIZEN, "phản ánh thì ai xem vậy")  # at the place step: a question, not the address
        privacy = await wait_text(fake, CITIZEN, "🔒 Phản ánh của Anh/Chị chỉ đơn vị")
        fake.message(CITIZEN, "Đường số 5, khu phố 3")
        await wait_text(fake, CITIZEN, "ảnh kèm theo")
        fake.message(CITIZEN, "ko")
        contact = (await fake.wait_for(lambda: [m for m in fake.messages_to(CITIZEN)
                                                if m.text.startswith("Anh/Chị có muốn để lại số")]))[-1]
        markup = contact.params["reply_markup"]
        markup = json.loads(markup) if isinstance(markup, str) else markup
        rows = [[b["text"] for b in row] for row in markup["keyboard"]]
        assert rows == [[messages.SHARE_PHONE], [messages.ANONYMOUS]]  # one message, both choices
        assert not [t for t in texts(fake, CITIZEN) if t == messages.ANONYMOUS + "?"]
        fake.message(CITIZEN, "ẩn danh nhé")
        review = await wait_text(fake, CITIZEN, "kiểm tra lại phản ánh")
        fake.message(CITIZEN, "ok gui di")  # sent by words, not only by the button
        saved = await wait_text(fake, CITIZEN, "Mã theo dõi")
        fake.message(CITIZEN, "/phananh")
        await fake.wait_for(lambda: len([t for t in texts(fake, CITIZEN) if t == messages.PETITION_CATEGORY]) == 2)
        fake.message(CITIZEN, "huỷ")
        await wait_text(fake, CITIZEN, messages.PETITION_CANCELLED)
        fake.message(CITIZEN, messages.MENU_MY_PETITIONS)  # a menu label typed
        await wait_text(fake, CITIZEN, "Phản ánh của Anh/Chị")
    question_mark_reply = fake.messages_to(CITIZEN)[0]
    assert not question_mark_reply.buttons or all("fb:" not in d for _, d in question_mark_reply.buttons)
    assert privacy.endswith(messages.PETITION_PLACE_AFTER_QUESTION)
    assert "ai xem" not in review and "Đường số 5" in review and "ẩn danh" in review
    assert "Hạn xử lý" in saved


async def test_not_resolved_in_words_reaches_the_unit_with_those_words(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
        await wait_text(fake, CITIZEN, "Đã chuyển đơn vị xử lý")
        fake.message(ADMIN, f"/dong {code} Đã thu gom.")
        await wait_text(fake, CITIZEN, messages.RATE_ASK)
        fake.message(CITIZEN, "vẫn chưa dọn mà, rác vẫn còn nguyên ở đầu hẻm")
        offer = await fake.wait_for(lambda: [m for m in fake.messages_to(CITIZEN) if "chưa được giải quyết" in m.text
                                             and m.buttons])
        fake.press(CITIZEN, offer[-1].buttons[0][1], fake.as_message(offer[-1]))
        words = await wait_text(fake, ENV_CHAT, "rác vẫn còn nguyên")
    assert code in words


async def test_each_confirmation_sends_its_own_text(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
        await wait_text(fake, ENV_CHAT, f"Phản ánh mới {code}")
        fake.press(STAFF, "pu:done:1", chat_id=ENV_CHAT)
        await fake.wait_for(lambda: [m for m in fake.messages_to(ENV_CHAT) if "nhập nội dung trả lời" in m.text])
        fake.message(STAFF, "Đã thu gom rác hẻm 5.", chat_id=ENV_CHAT, kind="supergroup")
        fake.message(STAFF, "à mà chiều nay họp lúc 3h nhé", chat_id=ENV_CHAT, kind="supergroup")
        confirms = await fake.wait_for(lambda: (c := [m for m in fake.messages_to(ENV_CHAT) if "Gửi cho người dân" in m.text])
                                       and len(c) == 2 and c)
        fake.press(STAFF, confirms[0].buttons[0][1], fake.as_message(confirms[0]), chat_id=ENV_CHAT)  # the first
        await wait_text(fake, CITIZEN, "trả lời phản ánh")
        fake.press(STAFF, confirms[1].buttons[0][1], fake.as_message(confirms[1]), chat_id=ENV_CHAT)  # too late
        gone = await fake.wait_for(lambda: [c for c in fake.sent(method="answerCallbackQuery")
                                            if c.params.get("text") == messages.UNIT_CONFIRM_GONE])
        fake.message(ADMIN, "/ds mới")
        listing = await wait_text(fake, ADMIN, "“Đã chuyển đơn vị xử lý”")  # "mới": new, not "môi trường"
    answers = [t for t in texts(fake, CITIZEN) if "trả lời phản ánh" in t]
    assert len(answers) == 1 and "hẻm 5" in answers[0] and "họp" not in answers[0] and gone
    assert listing


async def test_the_outbox_keeps_within_telegrams_limits_before_telegram_enforces_them(tmp_path, assistant):
    """Many petitions at once, to two units' groups and to their citizens, against a fake that answers
    429 past Telegram's limits (a chat: about 1 a second; a group: 20 a minute; 30 a second in all):
    everything arrives, in each chat's order, and not one 429 is provoked."""
    async with Store(db_of(tmp_path)) as store:
        domain = Petitions(store, UNITS, frozenset({ADMIN}))
        created = [await domain.create(NewPetition(
            5000 + n, 5000 + n, "moi-truong" if n % 2 else "thu-tuc", f"Phản ánh số {n}: rác thải ở hẻm {n}",
            photos=[f"P{n}"])) for n in range(16)]
    with FakeTelegram() as fake:
        fake.enforce_limits()
        async with running(make_app(fake, tmp_path, assistant, pace=TELEGRAM)):
            for petition in created:
                await wait_text(fake, petition.chat_id, "Đã chuyển đơn vị xử lý", timeout=60)
            await fake.wait_for(lambda: len(fake.sent(ENV_CHAT, "sendPhoto")) + len(fake.sent(OTHER_CHAT, "sendPhoto"))
                                == len(created), timeout=60, what="every photo")
        assert fake.too_many == 0, fake.too_many_by_chat
        for chat in (ENV_CHAT, OTHER_CHAT):
            sent = [c for c in fake.sent(chat) if c.method in ("sendMessage", "sendPhoto") and c.status == 200]
            assert len(sent) == 16  # eight petitions, each its text then its photo
            for text, photo in zip(sent[::2], sent[1::2]):
                assert text.method == "sendMessage" and photo.method == "sendPhoto"
