"""The web dashboard over real HTTP (aiohttp's test server), on both engines: signing in by a
one-time link, rights checked at every request, CSRF, the same acts as the unit's buttons with
what they store and queue for the citizen, filters and exports, the report, and the loop that
teaches the assistant what it could not answer.  (tests/test_web_browser.py drives it in Chromium.)"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings, Unit
from bot.petitions import NewPetition
from bot.store import Store
from bot.telegram.services import Services
from bot.testing.fake_telegram import TOKEN
from bot.web.app import COOKIE, Dashboard
from bot.web.auth import LINK_TTL

ADMIN, STAFF_ENV, STAFF_ROADS, CITIZEN, STRANGER = 9001, 3001, 3002, 5551, 7777
UNITS = (Unit("mt", "Phòng Tài nguyên và Môi trường", -100, ("moi-truong",), staff=(STAFF_ENV,)),
         Unit("gt", "Đội Quản lý giao thông", -200, ("giao-thong",), staff=(STAFF_ROADS,)))


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def desk(database, assistant):
    settings = Settings(token=TOKEN, db_path=database if not str(database).startswith("postgres") else None,
                        database_url=database if str(database).startswith("postgres") else None,
                        admins=frozenset({ADMIN}), units=UNITS, web_url="http://127.0.0.1")
    services = Services(settings=settings, assistant=assistant, deadlines={}, store=Store(settings.store_target))
    await services.store.open()
    clock = Clock()
    photos = {"photo-1": b"\x89PNG fake bytes"}

    async def fetch(file_id: str) -> bytes:
        return photos[file_id]

    dashboard = Dashboard(services, fetch, clock=clock)
    client = TestClient(TestServer(dashboard.app()))
    await client.start_server()
    client.services, client.dashboard, client.clock = services, dashboard, clock
    yield client
    await client.close()
    await services.store.close()


async def petition(client, category: str = "moi-truong", text: str = "Rác thải ứ đọng ở đầu hẻm 12 đường Lê Lợi",
                   **extra):
    return await client.services.petitions.create(NewPetition(
        user_id=CITIZEN, chat_id=CITIZEN, category=category, description=text, contact_phone="0901234567",
        photos=["photo-1"], **extra))


async def sign_in(client, user_id: int) -> None:
    token = await client.dashboard.auth.new_link(user_id)
    page = await client.get(f"/login/{token}")
    assert page.status == 200 and "Đăng nhập" in await page.text()
    response = await client.post("/login", data={"token": token}, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/phan-anh"
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


async def csrf(client, path: str = "/phan-anh") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', await (await client.get(path)).text())[1]


async def outbox_events(client, petition_id: int) -> list[tuple[str, str]]:
    rows = await client.services.store.db.fetchall(
        "SELECT audience, event FROM outbox WHERE petition_id = ? ORDER BY id", (petition_id,))
    return [(r[0], r[1]) for r in rows]


# signing in ---------------------------------------------------------------------------------

async def test_without_a_session_every_page_sends_to_the_sign_in_page(desk):
    p = await petition(desk)
    for path in ("/", "/phan-anh", f"/phan-anh/{p.code}", "/phan-anh.csv", "/bao-cao", "/cau-hoi"):
        response = await desk.get(path, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/dang-nhap", path
    page = await (await desk.get("/dang-nhap")).text()
    assert "/web" in page and "một lần" in page
    response = await desk.post(f"/phan-anh/{p.code}/xu-ly", data={"act": "accept"}, allow_redirects=False)
    assert response.status == 303
    assert (await desk.services.petitions.get(p.id)).status == "received"


async def test_a_link_opens_one_session_once_and_not_after_ten_minutes(desk):
    await sign_in(desk, ADMIN)
    assert (await desk.get("/phan-anh")).status == 200
    used = await desk.dashboard.auth.new_link(ADMIN)
    await desk.post("/login", data={"token": used}, allow_redirects=False)
    again = await desk.post("/login", data={"token": used}, allow_redirects=False)
    assert again.status == 403 and "đã được dùng" in await again.text()
    assert (await desk.get(f"/login/{used}")).status == 403
    forged = await desk.post("/login", data={"token": "x" * 43}, allow_redirects=False)
    assert forged.status == 403
    late = await desk.dashboard.auth.new_link(ADMIN)
    desk.clock.now += LINK_TTL + 1
    assert (await desk.post("/login", data={"token": late}, allow_redirects=False)).status == 403


async def test_a_link_for_someone_no_longer_staff_opens_nothing(desk):
    token = await desk.dashboard.auth.new_link(STRANGER)
    assert (await desk.post("/login", data={"token": token}, allow_redirects=False)).status == 403


async def test_signing_out_ends_the_session(desk):
    await sign_in(desk, ADMIN)
    response = await desk.post("/dang-xuat", data={"csrf": await csrf(desk)}, allow_redirects=False)
    assert response.status == 303
    assert (await desk.get("/phan-anh", allow_redirects=False)).status == 303


async def test_rights_follow_the_configuration_at_every_request(desk):
    from dataclasses import replace

    await sign_in(desk, STAFF_ENV)
    assert (await desk.get("/phan-anh")).status == 200
    desk.services.settings = replace(desk.services.settings, units=(replace(UNITS[0], staff=()), UNITS[1]))
    assert (await desk.get("/phan-anh", allow_redirects=False)).status == 303


# rights ---------------------------------------------------------------------------------------

async def test_unit_staff_see_and_act_on_their_own_unit_only(desk):
    ours = await petition(desk)
    theirs = await petition(desk, "giao-thong", "Đèn giao thông ngã tư Hai Bà Trưng hỏng hai ngày")
    await sign_in(desk, STAFF_ENV)
    listing = await (await desk.get("/phan-anh")).text()
    assert ours.code in listing and theirs.code not in listing
    assert "Đèn giao thông" not in listing
    assert (await desk.get(f"/phan-anh/{ours.code}")).status == 200
    page = await desk.get(f"/phan-anh/{theirs.code}")
    assert page.status == 404 and "Đèn giao thông" not in await page.text()
    assert (await desk.get(f"/phan-anh/{theirs.code}/anh/1")).status == 404
    token = await csrf(desk)
    await desk.post(f"/phan-anh/{theirs.code}/xu-ly", data={"csrf": token, "act": "accept"})
    assert (await desk.services.petitions.get(theirs.id)).status == "received"
    exported = await (await desk.get("/phan-anh.csv")).text()
    assert ours.code in exported and theirs.code not in exported
    for admin_only in ("/bao-cao", "/cau-hoi", "/cau-hoi.csv"):
        assert (await desk.get(admin_only)).status == 404, admin_only
    assert "Báo cáo" not in listing  # not offered either


async def test_an_admin_sees_every_unit_with_personal_data(desk):
    ours = await petition(desk)
    theirs = await petition(desk, "giao-thong", "Đèn giao thông ngã tư Hai Bà Trưng hỏng hai ngày")
    await sign_in(desk, ADMIN)
    listing = await (await desk.get("/phan-anh")).text()
    assert ours.code in listing and theirs.code in listing
    page = await (await desk.get(f"/phan-anh/{theirs.code}")).text()
    assert "0901234567" in page and "Đội Quản lý giao thông" in page
    photo = await desk.get(f"/phan-anh/{theirs.code}/anh/1")
    assert photo.status == 200 and await photo.read() == b"\x89PNG fake bytes"


async def test_a_form_without_the_sessions_csrf_token_does_nothing(desk):
    p = await petition(desk)
    await sign_in(desk, STAFF_ENV)
    for token in (None, "forged"):
        data = {"act": "accept", **({"csrf": token} if token else {})}
        response = await desk.post(f"/phan-anh/{p.code}/xu-ly", data=data)
        assert response.status == 403
    assert (await desk.services.petitions.get(p.id)).status == "received"


# acts -----------------------------------------------------------------------------------------

async def test_the_units_acts_change_the_status_audit_who_and_tell_the_citizen(desk):
    p = await petition(desk)
    await sign_in(desk, STAFF_ENV)
    token = await csrf(desk)
    page = await (await desk.get(f"/phan-anh/{p.code}")).text()
    for label in ("Tiếp nhận", "Đang xử lý", "Đã giải quyết", "Từ chối", "Chuyển đơn vị"):
        assert label in page
    response = await desk.post(f"/phan-anh/{p.code}/xu-ly", data={"csrf": token, "act": "accept"})
    assert "Đơn vị đã nhận xử lý phản ánh" in await response.text()
    assert (await desk.services.petitions.get(p.id)).status == "accepted"
    empty = await desk.post(f"/phan-anh/{p.code}/xu-ly", data={"csrf": token, "act": "resolve", "text": " "})
    assert "cần nhập nội dung" in await empty.text()
    await desk.post(f"/phan-anh/{p.code}/xu-ly", data={"csrf": token, "act": "resolve",
                                                       "text": "Đã thu gom rác sáng nay, cảm ơn Anh/Chị."})
    done = await desk.services.petitions.get(p.id)
    assert done.status == "resolved"
    events = await desk.services.petitions.events(p.id)
    assert [e["actor"] for e in events if e["action"] in ("accepted", "resolved")] == [f"user:{STAFF_ENV}"] * 2
    assert ("citizen", "answer") in await outbox_events(desk, p.id)
    stale = await desk.post(f"/phan-anh/{p.code}/xu-ly", data={"csrf": token, "act": "reject", "text": "thôi"})
    assert "không làm được nữa" in await stale.text()
    history = await (await desk.get(f"/phan-anh/{p.code}")).text()
    assert "Cán bộ Phòng Tài nguyên và Môi trường" in history


async def test_an_answer_with_a_photo_keeps_the_file_for_the_outbox(desk):
    from aiohttp import FormData

    p = await petition(desk)
    await sign_in(desk, STAFF_ENV)
    form = FormData()
    form.add_field("csrf", await csrf(desk))
    form.add_field("act", "resolve")
    form.add_field("text", "Đã xử lý xong, ảnh hiện trường kèm theo.")
    form.add_field("tep", b"\xff\xd8\xff photo bytes", filename="hien truong.jpg", content_type="image/jpeg")
    await desk.post(f"/phan-anh/{p.code}/xu-ly", data=form)
    assert (await desk.services.petitions.get(p.id)).status == "resolved"
    upload = await desk.services.store.upload(1)
    assert upload.petition_id == p.id and upload.kind == "photo" and upload.data == b"\xff\xd8\xff photo bytes"
    detail = await desk.services.store.db.fetchval(
        "SELECT detail FROM outbox WHERE petition_id = ? AND event = 'evidence'", (p.id,))
    assert '"upload_id": 1' in detail
    bad = FormData()
    bad.add_field("csrf", await csrf(desk))
    bad.add_field("act", "reject")
    bad.add_field("text", "Không thuộc thẩm quyền.")
    bad.add_field("tep", b"MZ...", filename="virus.exe", content_type="application/octet-stream")
    other = await petition(desk, text="Rác cháy âm ỉ ở bãi đất trống cạnh chợ Bến Thành")
    response = await desk.post(f"/phan-anh/{other.code}/xu-ly", data=bad)
    assert "Tệp đính kèm không dùng được" in await response.text()
    assert (await desk.services.petitions.get(other.id)).status == "received"


async def test_an_admin_reassigns_and_replies_without_changing_the_status(desk):
    p = await petition(desk)
    await sign_in(desk, ADMIN)
    token = await csrf(desk)
    await desk.post(f"/phan-anh/{p.code}/chuyen", data={"csrf": token, "unit": "gt"})
    moved = await desk.services.petitions.get(p.id)
    assert moved.unit_id == "gt" and moved.status == "redirected"
    await desk.post(f"/phan-anh/{p.code}/tra-loi", data={"csrf": token, "text": "Phản ánh đã được chuyển đúng đơn vị."})
    assert (await desk.services.petitions.get(p.id)).status == "redirected"
    assert ("citizen", "moved") in await outbox_events(desk, p.id)
    assert ("citizen", "answer") in await outbox_events(desk, p.id)
    events = [e["action"] for e in await desk.services.petitions.events(p.id)]
    assert "redirected" in events and "replied" in events


async def test_staff_cannot_use_the_desks_reply(desk):
    p = await petition(desk)
    await sign_in(desk, STAFF_ENV)
    response = await desk.post(f"/phan-anh/{p.code}/tra-loi", data={"csrf": await csrf(desk), "text": "xin chào bà con"})
    assert "không có quyền" in await response.text()
    assert ("citizen", "answer") not in await outbox_events(desk, p.id)


# finding ---------------------------------------------------------------------------------------

async def test_filters_text_search_overdue_and_export(desk):
    late = await petition(desk, text="Cống thoát nước bị tắc ở hẻm 45 Nguyễn Trãi")
    fresh = await petition(desk, text="Bãi rác tự phát ở chân cầu Kênh Tẻ")
    await desk.services.store.db.execute("UPDATE petitions SET due_on = ? WHERE id = ?",
                                         ((dt.date.today() - dt.timedelta(days=3)).isoformat(), late.id))
    await sign_in(desk, ADMIN)
    overdue = await (await desk.get("/phan-anh?qua_han=1")).text()
    assert late.code in overdue and fresh.code not in overdue and "Quá hạn" in overdue
    found = await (await desk.get("/phan-anh?q=cong+thoat+nuoc")).text()  # typed without diacritics
    assert late.code in found and fresh.code not in found
    assert fresh.code in await (await desk.get("/phan-anh?linh_vuc=moi-truong&trang_thai=open")).text()
    assert fresh.code not in await (await desk.get("/phan-anh?trang_thai=resolved")).text()
    exported = await desk.get("/phan-anh.csv?q=kenh+te")
    text = (await exported.read()).decode("utf-8-sig")
    assert fresh.code in text and late.code not in text and "Nội dung" in text.splitlines()[0]


# the report -------------------------------------------------------------------------------------

async def test_the_report_shows_vietnamese_charts(desk):
    await petition(desk)
    await sign_in(desk, ADMIN)
    page = await (await desk.get("/bao-cao")).text()
    images = re.findall(r'src="(/bao-cao/bieu-do/[a-z_]+\.png\?[^"]+)"', page)
    assert len(images) >= 5 and "1</strong> phản ánh" in page
    chart = await desk.get(images[0].replace("&amp;", "&"))
    assert chart.status == 200 and (await chart.read()).startswith(b"\x89PNG")


# teaching the assistant ------------------------------------------------------------------------

async def test_an_unanswered_question_attached_to_an_intent_is_answered_after_reload(desk, monkeypatch):
    question = "ủy ban mặt trận có hỗ trợ gì cho bà con xóm trọ nghèo hông vậy"
    store = desk.services.store
    first = await store.log_unanswered(CITIZEN, question)
    again = await store.log_unanswered(CITIZEN + 1, question + " ạ")
    await store.log_unanswered(CITIZEN, "giá vé xe buýt tuyến 19 bao nhiêu")
    await sign_in(desk, ADMIN)
    page = await (await desk.get("/cau-hoi")).text()
    assert "2 lần hỏi" in page and "giá vé xe buýt" in page
    token = await csrf(desk, "/cau-hoi")
    before = desk.services.assistant.ask(question)
    await desk.post("/cau-hoi/gan", data=[("csrf", token), ("id", str(first)), ("id", str(again)),
                                          ("intent", "khong-nguoi-ngheo")])
    assert [l.intent for l in await store.learned()] == ["khong-nguoi-ngheo", "khong-nguoi-ngheo"]
    bus = next(u.id for u in await store.unanswered(open_only=True))
    await desk.post("/cau-hoi/gan", data={"csrf": token, "id": str(bus), "out_of_scope": "1"})
    assert await store.unanswered(open_only=True) == []
    response = await desk.post("/cau-hoi/tai-lai", data={"csrf": token})
    assert "Đã tải lại kiến thức" in await response.text()
    after = desk.services.assistant.ask(question)
    assert after.kind == "answer" and after.intent == "khong-nguoi-ngheo", (before, after)
    assert desk.services.assistant.ask("giá vé xe buýt tuyến 19 bao nhiêu").kind == "fallback"
    exported = (await (await desk.get("/cau-hoi.csv")).read()).decode("utf-8-sig")
    assert exported.splitlines()[0].startswith("Nhóm")


async def test_attaching_to_a_forged_intent_is_refused(desk):
    item = await desk.services.store.log_unanswered(CITIZEN, "câu hỏi lạ về thuế đất")
    await sign_in(desk, ADMIN)
    response = await desk.post("/cau-hoi/gan", data={"csrf": await csrf(desk), "id": str(item), "intent": "../../etc"})
    assert "chọn một chủ đề có trong danh sách" in await response.text()
    assert await desk.services.store.learned() == []


async def test_odd_input_gets_a_polite_page_never_a_trace(desk):
    p = await petition(desk)
    anonymous = await desk.post("/dang-nhap", data={"x": "1"})
    assert anonymous.status == 403 and "Phiên làm việc" in await anonymous.text()
    await sign_in(desk, ADMIN)
    for path in ("/phan-anh?trang=²", "/phan-anh?trang=" + "9" * 5000, "/phan-anh?den=9999-12-31&tu=0001-01-01",
                 "/bao-cao?tu=9999-12-31", f"/phan-anh/{p.code}?err=reload&e=Gọi+số+0900"):
        response = await desk.get(path)
        assert response.status == 200, path
        assert "0900" not in await response.text()
    token = await csrf(desk)
    odd = await desk.post("/cau-hoi/gan", data=[("csrf", token), ("id", "²"), ("id", "9" * 40), ("intent", "nam-khong")])
    assert "chưa chọn câu hỏi" in await odd.text()
    big = await desk.post(f"/phan-anh/{p.code}/tra-loi", data={"csrf": token, "text": "x" * 20_000_000})
    assert big.status == 413 and "Tệp" in await big.text()


async def test_exports_never_hand_excel_a_formula(desk):
    await petition(desk, text="=HYPERLINK(\"http://x.example\",\"bấm vào đây\") rác ở hẻm 5")
    await desk.services.store.log_unanswered(CITIZEN, "@SUM(1+1) hỏi gì đó về dân vận")
    await sign_in(desk, ADMIN)
    petitions = (await (await desk.get("/phan-anh.csv")).read()).decode("utf-8-sig")
    assert "\"'=HYPERLINK" in petitions
    questions = (await (await desk.get("/cau-hoi.csv")).read()).decode("utf-8-sig")
    assert ",'@SUM" in questions


def test_a_short_question_does_not_swallow_others_into_its_group():
    from bot.learning import group
    from bot.store import Unanswered

    items = [Unanswered(1, 1, "cho hỏi", False, ""), Unanswered(2, 2, "cho hỏi thủ tục làm căn cước ở đâu", False, ""),
             Unanswered(3, 3, "cho hoi thu tuc lam can cuoc o dau vay", False, "")]
    groups = group(items)
    assert sorted(sorted(g.ids) for g in groups) == [[1], [2, 3]]
    assert next(g for g in groups if len(g.ids) == 2).title == "cho hỏi thủ tục làm căn cước ở đâu"  # the readable one
