"""The real bot, end to end: a python-telegram-bot Application polling a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot import messages
from bot.assistant import Assistant
from bot.config import Settings
from bot.content import load_library
from bot.deadlines import load_deadlines
from bot.intents import Intent
from bot.outbox import UNLIMITED
from bot.store import Store
from bot.telegram.app import build_application
from bot.telegram.official import send_due_reminders
from bot.testing.fake_telegram import BOT_USERNAME, TOKEN, Call, FakeTelegram, html_error
from bot.testing.harness import running

ROOT = Path(__file__).resolve().parent.parent
USER, OTHER, ADMIN = 1001, 1002, 9001


@pytest.fixture
def fake():
    with FakeTelegram() as server:
        yield server
    # Telegram would have refused these: invalid HTML, too long, bad buttons...
    refused = [(c.method, c.params.get("text", "")[:60]) for c in server.calls if c.status == 400]
    assert not refused, f"calls Telegram would refuse: {refused}"


def make_app(fake: FakeTelegram, tmp_path: Path, assistant: Assistant, **options):
    settings = Settings(token=TOKEN, api_base_url=fake.base_url, db_path=tmp_path / "bot.db",
                        admins=frozenset({ADMIN}), **options.pop("settings", {}))
    deadlines = load_deadlines(ROOT / "content" / "deadlines.yaml", assistant.library)
    return build_application(settings, assistant, deadlines, pace=UNLIMITED, **options)  # (a fake without limits)


REMINDER_SCREENS = (messages.REMINDERS_HEADER, messages.REMINDERS_NONE)
PROBE, PROBE_ANSWER = "phuong cham dan biet dan ban", "dân thụ hưởng"  # a question with an answer of its own


async def deadlines_and_reminders(fake: FakeTelegram, chat_id: int) -> tuple[list[Call], Call]:
    """/thoihan then /nhacviec: the deadlines listing (however many messages it takes) and the
    reminders screen.  A user's updates are handled in order: when the screen comes, the listing is whole."""
    fake.message(chat_id, "/thoihan")
    fake.message(chat_id, "/nhacviec")
    sent = await fake.wait_for(lambda: (m := fake.messages_to(chat_id)) and m[-1].text.endswith(REMINDER_SCREENS) and m,
                               what="the reminders screen after the deadlines")
    return sent[:-1], sent[-1]


async def probe(fake: FakeTelegram, *users: int) -> None:
    """Each user asks PROBE and gets its answer.  A user's updates are handled one after another
    (and a reply held for a piece goes before the next question's): whatever the user sent
    before, and any error it caused, has been dealt with when this answer comes."""
    for user in users:
        fake.message(user, PROBE)
    for user in users:
        await fake.wait_for(lambda user=user: any(PROBE_ANSWER in m.text for m in fake.messages_to(user)),
                            what=f"the answer to a later question from {user}")


def before_probe(fake: FakeTelegram, chat_id: int) -> list[Call]:
    """What a chat was sent before the answer to PROBE."""
    sent = fake.messages_to(chat_id)
    return sent[:next(n for n, m in enumerate(sent) if PROBE_ANSWER in m.text)]


def last(fake: FakeTelegram, chat_id: int):
    return fake.messages_to(chat_id)[-1]


async def test_start_role_and_locality_then_the_menu(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(USER, "/start")
        welcome = (await fake.wait_messages(USER, 1))[0]
        assert "trợ lý công tác dân vận" in welcome.text
        assert [b[1] for b in welcome.buttons] == ["role:citizen", "role:official"]

        fake.press(USER, "role:official", fake.as_message(welcome))
        ask_place = (await fake.wait_for(lambda: fake.sent(USER, "editMessageText")))[0]
        assert ask_place.text == messages.ASK_LOCALITY
        assert ("Lai Châu", "loc:laichau") in ask_place.buttons

        fake.press(USER, "loc:laichau", fake.as_message(welcome))
        menu = (await fake.wait_for(lambda: [m for m in fake.sent(USER, "sendMessage") if m.text == messages.MAIN_MENU]))[0]
        assert any(data == "m:reminders" for _, data in menu.buttons)  # officials get their tools
    async with Store(tmp_path / "bot.db") as store:
        user = await store.user(USER)
    assert (user.role, user.locality) == ("official", "laichau")
    commands = fake.sent(method="setMyCommands")[0].params["commands"]
    assert {"command": "tracuu", "description": messages.COMMANDS["tracuu"]} in commands


async def first_replies(fake: FakeTelegram, tmp_path: Path, assistant: Assistant, *texts: str) -> list:
    """Each text sent by a different user at once; the first reply each gets."""
    users = [USER + n for n in range(len(texts))]  # USER, OTHER, ...
    async with running(make_app(fake, tmp_path, assistant)):
        for user, text in zip(users, texts):
            fake.message(user, text)
        return [(await fake.wait_messages(user, 1))[0] for user in users]


async def test_questions_with_and_without_diacritics_are_answered_with_citations(fake, tmp_path, assistant):
    for reply in await first_replies(fake, tmp_path, assistant, "5 không là gì?", "5 khong la gi"):
        assert reply.params["parse_mode"] == "HTML"
        assert "Không xả rác bừa bãi ra đường phố và kênh rạch" in reply.text
        assert "<i>📄 Nguồn:" in reply.text and "Hướng dẫn 11-HD/BDVTU" in reply.text
        assert ("👍 Hữu ích", "v:+:nam-khong") in reply.buttons
        assert html_error(reply.text) is None


async def test_an_answer_leads_to_a_petition_in_one_tap(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(USER, "5 khong la gi vay")
        answer = (await fake.wait_messages(USER, 1))[0]
        assert ("📝 Gửi phản ánh", "m:petition") in answer.buttons
        fake.press(USER, "m:petition", fake.as_message(answer))
        step = (await fake.wait_messages(USER, 2))[-1]
        assert step.text == messages.PETITION_CATEGORY  # the petition's first step


async def test_a_follow_up_about_another_place_continues_the_topic(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(USER, "các con số mục tiêu của tp hcm")
        await fake.wait_messages(USER, 1)
        fake.message(USER, "còn ở Lai Châu thì sao?")
        fake.message(OTHER, "còn ở Lai Châu thì sao?")  # someone who asked nothing before
        follow_up = (await fake.wait_messages(USER, 2))[1]
        fresh = (await fake.wait_messages(OTHER, 1))[0]
    assert "Lai Châu" in follow_up.text and "85%" in follow_up.text
    assert fresh.text == messages.FOLLOW_UP_WHAT.format(place="TP. Lai Châu")


async def test_questions_about_the_assistants_own_petitions_lead_to_them(fake, tmp_path, assistant):
    how, privacy = await first_replies(fake, tmp_path, assistant, "làm sao để theo dõi phản ánh của tôi",
                                       "thông tin của tôi có được bảo mật không")
    assert "/phananhcuatoi" in how.text and "/trangthai" in how.text
    assert ("📝 Gửi phản ánh", "m:petition") in how.buttons and ("📋 Phản ánh của tôi", "m:mine") in how.buttons
    assert "ẩn danh" in privacy.text and "đơn vị xử lý" in privacy.text


async def test_votes_are_stored(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(USER, "5 khong la gi")
        answer = (await fake.wait_messages(USER, 1))[0]
        fake.press(USER, "v:-:nam-khong", fake.as_message(answer))
        toast = await fake.wait_for(lambda: fake.sent(method="answerCallbackQuery"))
        assert toast[0].params["text"] == messages.VOTE_SORRY
    async with Store(tmp_path / "bot.db") as store:
        assert await store.vote_totals() == {"nam-khong": (0, 1)}


async def test_fallback_offers_to_turn_the_question_into_a_petition(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(USER, "Giá cà phê hôm nay thế nào?")
        reply = (await fake.wait_messages(USER, 1))[0]
        assert reply.text == messages.FALLBACK_TODAY  # "hôm nay": the documents hold no news, and say so
        forward = [data for _, data in reply.buttons if data.startswith("fb:")]
        assert forward
        fake.press(OTHER, forward[0], fake.as_message(reply))  # someone else's question: refused
        refused = await fake.wait_for(lambda: fake.sent(method="answerCallbackQuery"))
        assert refused[0].params["text"] == messages.FEEDBACK_GONE
        fake.press(USER, forward[0], fake.as_message(reply))
        start = await fake.wait_for(lambda: [m for m in fake.messages_to(USER) if m.text == messages.PETITION_CATEGORY])
        assert ("Vấn đề khác", "pe:cat:khac") in start[0].buttons
    async with Store(tmp_path / "bot.db") as store:
        logged = await store.unanswered()
    assert [(u.user_id, u.question, u.forwarded) for u in logged] == [(USER, "Giá cà phê hôm nay thế nào?", True)]


def _intent(id_: str, examples: list[str], answer: str = "", **extra) -> Intent:
    return Intent(id=id_, title=f"Tiêu đề {id_}", answer=answer or f"Trả lời {id_}", theme="Thử",
                  sources=("hcm-hd11-5khong#5-khong",), locality="hcm", audience="both", related=(),
                  examples=tuple(examples), **extra)


TWIN_QUESTION = "mẫu biểu zeta omega gửi khi nào"


def _twins() -> Assistant:
    """Two intents equally close to TWIN_QUESTION, in words no passage of the documents holds:
    nothing but a choice can settle which is meant."""
    return Assistant(load_library(ROOT / "content"), [
        _intent("hai-a", [TWIN_QUESTION]), _intent("hai-b", [TWIN_QUESTION]),
        _intent("khac", ["phong trào thi đua yêu nước"]),
    ])


async def test_two_close_intents_get_a_clarifying_choice_as_buttons(fake, tmp_path):
    async with running(make_app(fake, tmp_path, _twins())):
        fake.message(USER, TWIN_QUESTION)
        ask = (await fake.wait_messages(USER, 1))[0]
        assert ask.text == messages.CLARIFY
        assert {data for _, data in ask.buttons} >= {"r:hai-a", "r:hai-b"}
        fake.press(USER, "r:hai-b", fake.as_message(ask))
        answer = (await fake.wait_messages(USER, 2))[1]
        assert "Trả lời hai-b" in answer.text


async def test_a_number_typed_after_a_clarifying_choice_picks_that_option(fake, tmp_path):
    async with running(make_app(fake, tmp_path, _twins())):
        fake.message(USER, TWIN_QUESTION)
        ask = (await fake.wait_messages(USER, 1))[0]
        assert ask.text == messages.CLARIFY
        fake.message(USER, "2")
        answer = (await fake.wait_messages(USER, 2))[1]
    assert "Trả lời hai-b" in answer.text  # the second option, as listed


async def test_a_question_typed_in_pieces_is_answered_once_as_a_whole(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant, fragment_hold=1.0)):
        fake.message(USER, "cho em hỏi")
        opener = (await fake.wait_messages(USER, 1))[0]
        assert opener.text == messages.OPENER
        fake.message(USER, "mấy cái điều không")  # neither piece can be answered alone
        fake.message(USER, "là những gì")
        await fake.wait_messages(USER, 2)
        # A piece of its own, held as long, sent later: its fallback comes after any a piece above could get.
        fake.message(USER, "giá cà phê thế nào")
        await fake.wait_for(lambda: any(m.text == messages.FALLBACK for m in fake.messages_to(USER)),
                            what="the fallback to the later piece")
        replies = fake.messages_to(USER)
    assert len(replies) == 3  # no fallback for the pieces: one answer for the question they make
    assert "người nghèo" in replies[1].text and "📄 Nguồn:" in replies[1].text
    async with Store(tmp_path / "bot.db") as store:  # and the fallback that came was the later piece's
        assert [u.question for u in await store.unanswered()] == ["giá cà phê thế nào"]


async def test_a_short_unanswerable_message_still_gets_its_reply_after_a_moment(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant, fragment_hold=0.3)):
        fake.message(USER, "giá cà phê thế nào")
        reply = (await fake.wait_messages(USER, 1))[0]
        assert reply.text == messages.FALLBACK
        fake.message(USER, "5 không là gì")
        answer = (await fake.wait_messages(USER, 2))[1]
    assert "người nghèo" in answer.text


async def test_a_held_piece_is_answered_first_when_the_next_message_is_another_question(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant, fragment_hold=5.0)):
        fake.message(USER, "giá cà phê thế nào")
        fake.message(USER, "5 không là gì")
        first, second = await fake.wait_messages(USER, 2)
    assert first.text == messages.FALLBACK and "người nghèo" in second.text  # nothing typed is dropped


async def test_two_questions_with_one_topic_each_get_their_own_quote(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(USER, "công văn 199 của liên đoàn lao động nói gì")
        first = (await fake.wait_messages(USER, 1))[0]
        fake.message(USER, "ai ký công văn 199 của liên đoàn lao động")
        second = (await fake.wait_messages(USER, 2))[1]
    assert "Phùng Thái Quang" in second.text  # not the first reply's answer served again from memory
    assert first.text != second.text


async def test_browsing_edits_one_message_and_always_has_a_way_back(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(USER, "/chude")
        topics = (await fake.wait_messages(USER, 1))[0]
        first_theme = next(data for _, data in topics.buttons if data.startswith("t:"))
        fake.press(USER, first_theme, fake.as_message(topics))
        listing = (await fake.wait_for(lambda: fake.sent(USER, "editMessageText")))[-1]
        assert listing.params["message_id"] == fake.as_message(topics)["message_id"]
        assert ("⬅️ Chủ đề", "m:topics") in listing.buttons
        intent_button = next(data for _, data in listing.buttons if data.startswith("a:"))
        fake.press(USER, intent_button, fake.as_message(topics))
        answer = (await fake.wait_for(lambda: len(fake.sent(USER, "editMessageText")) >= 2 and fake.sent(USER, "editMessageText")))[-1]
        assert "📄 Nguồn:" in answer.text and html_error(answer.text) is None
        assert (messages.BACK_TO_TOPICS, first_theme) in answer.buttons
        fake.press(USER, "m:home", fake.as_message(topics))
        home = (await fake.wait_for(lambda: len(fake.sent(USER, "editMessageText")) >= 3 and fake.sent(USER, "editMessageText")))[-1]
        assert home.text == messages.MAIN_MENU
    assert len(fake.sent(USER, "sendMessage")) == 1  # everything after /chude was an edit


async def test_officials_search_the_documents(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(USER, "/tracuu tiếp công dân")
        fake.message(OTHER, "/tracuu")
        hits = (await fake.wait_messages(USER, 1))[0]
        prompt = (await fake.wait_messages(OTHER, 1))[0]
    assert hits.text.count("<i>") >= 1 and "mục" in hits.text and html_error(hits.text) is None
    assert "tiếp công dân" in hits.text.lower()
    assert prompt.text == messages.SEARCH_PROMPT


async def test_officials_search_keeps_to_the_place_named_and_shows_footnotes_where_referred(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(USER, "/tracuu dân vận khéo lai châu")
        place = (await fake.wait_messages(USER, 1))[0].text
        fake.message(USER, "/tracuu quy định tiếp xúc đối thoại của Ban Thường vụ Thành ủy tphcm")
        noted = (await fake.wait_messages(USER, 2))[1].text
    cited = [line for line in place.split("\n") if line.startswith(("1. ", "2. ", "3. "))]
    assert cited and all("Lai Châu" in line for line in cited)  # not Đồng Nai's passages
    assert "Dân vận khéo" in place
    # the decisions are in a footnote: shown beside the sentence that refers to them, not as a hit of their own
    assert "Quyết định số 935-QĐ/TU" in noted and "(¹ Quyết định số 935-QĐ/TU" in noted
    assert not any(line.startswith(("1. ", "2. ", "3. ")) and "¹ Quyết định" in line for line in noted.split("\n"))


async def test_deadlines_and_reminders_survive_a_restart_and_are_sent_once(fake, tmp_path, assistant):
    today = {"value": dt.date(2023, 5, 12)}
    options = {"today": lambda: today["value"], "reminder_interval": 3600}
    async with running(make_app(fake, tmp_path, assistant, **options)):
        listings, screen = await deadlines_and_reminders(fake, USER)
        listing = "\n".join(m.text for m in listings)
        assert "“Định kỳ 06 tháng (ngày 18 tháng 5)” (18/05/2023)</b>; còn 6 ngày" in listing
        assert ("🔕", "rem:hcm-5khong-6thang") in [(label[:1], data) for label, data in screen.buttons]
        fake.press(USER, "rem:hcm-5khong-6thang", fake.as_message(screen))
        fake.press(USER, "rem:hcm-5khong-nam", fake.as_message(screen))
        redrawn = await fake.wait_for(lambda: len(fake.sent(USER, "editMessageReplyMarkup")) >= 2 and fake.sent(USER, "editMessageReplyMarkup"))
        assert any(label.startswith("🔔") and data == "rem:hcm-5khong-6thang" for label, data in redrawn[-1].buttons)
    # A new process on the same database: the subscription is still there.
    app = make_app(fake, tmp_path, assistant, **options)
    async with running(app):
        # The reminder round at start-up sends the 7-day reminder (6 days before 18/5/2023) ...
        await fake.wait_for(lambda: [m for m in fake.messages_to(USER) if m.text.startswith("⏰")])
        assert await send_due_reminders(app) == 0  # ... and a second round never sends it again
        today["value"] = dt.date(2023, 5, 17)
        assert await send_due_reminders(app) == 1  # the 1-day reminder
        today["value"] = dt.date(2024, 5, 12)
        assert await send_due_reminders(app) == 0  # a deadline of 2023 only: it never comes again
        fake.blocked_users.add(USER)
        today["value"] = dt.date(2023, 11, 12)
        assert await send_due_reminders(app) == 0  # blocked: recorded, not retried forever
    reminders = [m.text for m in fake.messages_to(USER) if m.text.startswith("⏰")]
    assert len(reminders) == 2 and "còn 6 ngày" in reminders[0] and "còn 1 ngày" in reminders[1]
    assert "“Định kỳ 06 tháng (ngày 18 tháng 5)” (18/05/2023)" in reminders[0]
    async with Store(tmp_path / "bot.db") as store:
        assert (await store.user(USER)).blocked


async def test_deadlines_are_shown_as_the_documents_give_them_and_none_past_its_period(fake, tmp_path, assistant):
    today = {"value": dt.date(2026, 12, 1)}
    async with running(make_app(fake, tmp_path, assistant, today=lambda: today["value"])):
        listings, screen = await deadlines_and_reminders(fake, USER)
        listing = "\n".join(m.text for m in listings)
    assert all(len(m.text.encode("utf-16-le")) // 2 <= 4096 for m in listings)
    assert "<b>Đồng Nai</b>" in listing  # by place, when the user chose none
    assert "“hoàn thành trong quý I năm 2024” (quý kết thúc ngày 31/03/2024)</b>; đã qua" in listing
    assert "“vào tháng 11 hàng năm” (các năm 2020 - 2025)</b>; đã hết thời kỳ của văn bản (2020 - 2025)" in listing
    assert "“Thời gian tổng kết vào quý IV/2025”" in listing  # Đồng Nai's quarters are there
    assert "lần tới" not in listing and "còn " not in listing  # nothing recurs past its document: all passed
    assert screen.text == messages.REMINDERS_NONE and not any(d.startswith("rem:") for _, d in screen.buttons)


async def test_reminders_say_when_the_officials_own_locality_has_no_dates(fake, tmp_path, assistant):
    async with Store(tmp_path / "bot.db") as store:
        await store.touch_user(USER, USER)
        await store.set_role(USER, "official")
        await store.set_locality(USER, "laichau")
    async with running(make_app(fake, tmp_path, assistant, today=lambda: dt.date(2023, 5, 1))):
        fake.message(USER, "/nhacviec")
        screen = (await fake.wait_messages(USER, 1))[0]
    assert screen.text.startswith(messages.REMINDERS_NONE_HERE.format(place="Lai Châu"))
    assert screen.buttons and all(not data.startswith("rem:laichau") for _, data in screen.buttons)


async def test_long_answers_show_a_screen_then_the_rest_split_and_escaped(fake, tmp_path):
    library = load_library(ROOT / "content")
    tricky = "Dòng có <b>thẻ</b> & ký tự *markdown* _gạch_ `mã` <script>.\n\n" * 150
    long_one = Assistant(library, [
        _intent("dai", ["cho tôi câu trả lời thật dài"], answer=tricky),
        _intent("khac", ["phong trào thi đua yêu nước"]),
    ])
    async with running(make_app(fake, tmp_path, long_one)):
        fake.message(USER, "cho tôi câu trả lời thật dài")
        first = (await fake.wait_messages(USER, 1))[0]
        assert len(first.text) < 1500 and "…" in first.text and "📄 Nguồn:" in first.text
        more = next(data for label, data in first.buttons if label == messages.SHOW_MORE)
        fake.press(USER, more, fake.as_message(first))
        rest = await fake.wait_for(  # the edited screen, then the parts sent after it, until the answer is whole
            lambda: (parts := fake.sent(USER, "editMessageText")[:1] + fake.sent(USER, "sendMessage")[1:])
            and sum(m.text.count("Dòng có") for m in parts) >= 150 and parts, what="the whole long answer")
    edited = rest[0]
    assert edited.method == "editMessageText"
    assert edited.params["message_id"] == fake.as_message(first)["message_id"]  # the screen grows in place
    assert len(rest) >= 2  # over 4096 UTF-16 units: cut into several messages
    assert all(html_error(m.text) is None and len(m.text.encode("utf-16-le")) // 2 <= 4096 for m in rest)
    assert "&lt;script&gt;" in edited.text and "<script>" not in edited.text
    assert rest[-1].buttons and not edited.buttons  # buttons under the last part only
    assert sum(m.text.count("Dòng có") for m in rest) == 150  # nothing of the answer lost


async def test_a_real_long_answer_fits_a_phone_screen_and_grows_on_request(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(USER, "nhiệm vụ của các ban đảng thành ủy trong công tác dân vận")
        first = (await fake.wait_messages(USER, 1))[0]
        more = [data for label, data in first.buttons if label == messages.SHOW_MORE]
        assert more and len(first.text) < 1400
        fake.press(USER, more[0], fake.as_message(first))
        whole = (await fake.wait_for(lambda: fake.sent(USER, "editMessageText")))[0]
        assert len(whole.text) > len(first.text) and "📄 Nguồn:" in whole.text
        assert messages.SHOW_MORE not in [label for label, _ in whole.buttons]
        fake.press(USER, "more:000000000000:nhiem-vu-ban-dang", fake.as_message(first))  # forgotten: the topic's answer
        await fake.wait_for(lambda: len(fake.sent(USER, "editMessageText")) >= 2)
        fake.press(USER, "more:000000000000:", fake.as_message(first))  # forgotten, no topic: said so
        stale = await fake.wait_for(lambda: [c for c in fake.sent(method="answerCallbackQuery") if c.params.get("show_alert")])
    assert stale[0].params["text"] == messages.STALE_BUTTON


@pytest.mark.parametrize("data", ["a:khong-co", "r:khong-co", "v:x:nam-khong", "v:+", "t:999", "t:abc", "fb:999",
                                  "fb:abc", "rem:khong-co", "role:admin", "loc:hanoi", "m:xoa-het", "more:abc", "more:", "zzz", ""])
async def test_forged_or_stale_buttons_get_a_polite_answer(fake, tmp_path, assistant, data):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.press(USER, data)
        answered = await fake.wait_for(lambda: fake.sent(method="answerCallbackQuery"))
        await probe(fake, USER)  # the press was dealt with, error handler and all
    assert answered[0].params.get("show_alert") is True
    assert answered[0].params["text"] in (messages.STALE_BUTTON, messages.FEEDBACK_GONE)
    assert not fake.messages_to(ADMIN)  # no error reached the error handler
    assert before_probe(fake, USER) == []  # nor an apology to the user


async def test_in_groups_only_mentions_and_replies_are_answered(fake, tmp_path, assistant):
    group = -5000
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(USER, "5 không là gì", chat_id=group, kind="supergroup")
        fake.message(USER, f"@{BOT_USERNAME} 5 không là gì", chat_id=group, kind="supergroup")
        fake.message(USER, f"@{BOT_USERNAME} {PROBE}", chat_id=group, kind="supergroup")  # in order, after them
        replies = await fake.wait_for(
            lambda: (m := fake.messages_to(group)) and PROBE_ANSWER in m[-1].text and m,
            what="the later mention's answer")
    assert len(replies) == 2 and "kênh rạch" in replies[0].text


async def test_a_flooding_user_is_slowed_without_hurting_others(fake, tmp_path, assistant):
    settings = {"flood_burst": 3, "flood_per_second": 0.01}
    async with running(make_app(fake, tmp_path, assistant, settings=settings)):
        for _ in range(12):
            fake.message(USER, "5 khong la gi")
        fake.press(USER, "m:home")  # let go too, but answered: when it is, the 12 messages before it were handled
        fake.message(OTHER, "5 khong la gi")
        await fake.wait_for(lambda: fake.sent(method="answerCallbackQuery"), what="the press after the flood")
        await fake.wait_for(lambda: fake.messages_to(OTHER), what="the other user's answer")
    to_user = [m.text for m in fake.messages_to(USER)]
    assert to_user.count(messages.TOO_MANY) == 1  # a flood is told, once, that it is not read
    assert len([t for t in to_user if "kênh rạch" in t]) == 3
    tap = fake.sent(method="answerCallbackQuery")[0]
    assert tap.params.get("text") == messages.TAP_NOT_TAKEN  # a tap let go says so on the button
    assert any("kênh rạch" in m.text for m in fake.messages_to(OTHER))


async def test_a_user_typing_fast_is_answered_every_time_a_little_later(fake, tmp_path, assistant):
    settings = {"flood_burst": 2, "flood_per_second": 4.0}  # the third and fourth wait a quarter second each
    async with running(make_app(fake, tmp_path, assistant, settings=settings)):
        for _ in range(4):
            fake.message(USER, "5 khong la gi")
        await fake.wait_for(lambda: len([m for m in fake.messages_to(USER) if "kênh rạch" in m.text]) == 4)
    to_user = [m.text for m in fake.messages_to(USER)]
    assert to_user.count(messages.TOO_FAST) == 1 and messages.TOO_MANY not in to_user


async def test_stickers_files_and_edits_get_a_helpful_reply(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(USER, None, sticker={"file_id": "s1", "file_unique_id": "u1", "type": "regular",
                                          "width": 512, "height": 512, "is_animated": False, "is_video": False})
        fake.message(OTHER, "phuong cham dan biet dan ban", edited=True)
        sticker_reply = (await fake.wait_messages(USER, 1))[0]
        edit_reply = (await fake.wait_messages(OTHER, 1))[0]
    assert sticker_reply.text == messages.NOT_TEXT
    assert "dân thụ hưởng" in edit_reply.text


async def test_hostile_text_gets_a_valid_reply(fake, tmp_path, assistant):
    texts = ["<b>5 không</b> & <script>alert(1)</script>", "a" * 10000, "\u200b\u202e\u0000 ???", "🙂" * 300,
             "/lenhla", "*_`[]()~>#+-=|{}.!"]
    async with running(make_app(fake, tmp_path, assistant)):
        for n, text in enumerate(texts):
            fake.message(USER + n, text)
        await probe(fake, *(USER + n for n in range(len(texts))))
    for n, _ in enumerate(texts):
        replies = before_probe(fake, USER + n)
        assert replies, f"no reply to text #{n}"
        assert all(html_error(m.text) is None for m in replies if m.params.get("parse_mode") == "HTML")
    assert not fake.messages_to(ADMIN)


async def test_a_restart_keeps_the_users_choices(fake, tmp_path, assistant):
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(USER, "/start")
        welcome = (await fake.wait_messages(USER, 1))[0]
        fake.press(USER, "role:official", fake.as_message(welcome))
        fake.press(USER, "loc:dongnai", fake.as_message(welcome))
        await fake.wait_for(lambda: [m for m in fake.sent(USER, "sendMessage") if m.text == messages.MAIN_MENU])
    async with running(make_app(fake, tmp_path, assistant)):
        fake.message(USER, "/thoihan")
        fake.message(USER, "/menu")
        deadlines, menu = await fake.wait_for(lambda: (m := fake.sent(USER, "sendMessage")) and len(m) >= 4 and m[-2:])
    assert "(Đồng Nai)" in deadlines.text and "Lai Châu" not in deadlines.text
    assert any(data == "m:reminders" for _, data in menu.buttons)


async def test_one_users_messages_are_answered_in_order_while_users_run_concurrently(fake, tmp_path, assistant):
    questions = ["5 khong la gi", "phuong cham dan biet dan ban", "xin chào", "hội nông dân có nhiệm vụ gì",
                 "phuong cham hanh dong cua dong nai"]
    expected = ["kênh rạch", "dân thụ hưởng", "Xin chào", "nông thôn mới", "SÂU SÁT"]
    async with running(make_app(fake, tmp_path, assistant, settings={"concurrent_updates": 4})):
        for question in questions:
            fake.message(USER, question)
            fake.message(OTHER, question)
        for chat in (USER, OTHER):  # the last question's answer: in order, nothing comes after it
            await fake.wait_for(lambda chat=chat: any(expected[-1] in m.text for m in fake.messages_to(chat)),
                                what=f"the answer to the last question in chat {chat}")
    for chat in (USER, OTHER):
        replies = [m.text for m in fake.messages_to(chat)]
        assert len(replies) == len(expected)
        for reply, phrase in zip(replies, expected):
            assert phrase in reply


async def test_random_texts_and_button_data_through_every_handler(fake, tmp_path, assistant):
    import random

    from tests.test_hostile import random_texts

    rng = random.Random(5)
    prefixes = ["a", "r", "v", "t", "m", "role", "loc", "fb", "rem", "pe", "pu", "pm", "pc", "ad", "zz"]
    async with running(make_app(fake, tmp_path, assistant, settings={"flood_burst": 1000})):
        for n, text in enumerate(random_texts(40)):
            fake.message(USER + n, text)
        for n in range(40):
            junk = ":".join(rng.choice(["", "1", "-1", "999999", "+", "x" * 30, "nam-khong", "🙂"]) for _ in range(3))
            fake.press(OTHER + 100 + n, f"{rng.choice(prefixes)}:{junk}"[:64])
        await probe(fake, *(USER + n for n in range(40)), *(OTHER + 100 + n for n in range(40)))
    for n in range(40):
        assert before_probe(fake, USER + n), f"no reply to random text #{n}"
    assert len(fake.sent(method="answerCallbackQuery")) == 40  # every press answered
    assert not fake.messages_to(ADMIN)  # no error reached the error handler
    async with Store(tmp_path / "bot.db") as store:  # and nothing stored that should not be
        for table in ("petitions", "outbox", "conversations", "subscriptions"):  # (a vote by a valid button is fine)
            assert await store.db.fetchval(f"SELECT COUNT(*) FROM {table}") == 0, table
        assert all(len(u.question) <= 1000 for u in await store.unanswered())


async def test_browsing_taps_at_a_tap_a_second_are_all_taken(fake, tmp_path, assistant):
    import asyncio

    async with running(make_app(fake, tmp_path, assistant)):  # the default gate: 8 at once, then 1 in 2 s
        for n in range(16):
            fake.press(USER, "m:topics" if n % 2 else "m:home")
            await asyncio.sleep(0.25)  # quicker than one a second, even
        await fake.wait_for(lambda: len(fake.sent(method="answerCallbackQuery")) == 16, what="16 taps answered")
    answers = [c.params.get("text") for c in fake.sent(method="answerCallbackQuery")]
    assert messages.TAP_NOT_TAKEN not in answers and messages.TOO_MANY not in [m.text for m in fake.messages_to(USER)]
