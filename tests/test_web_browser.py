"""The dashboard in a real browser (Debian's Chromium, driven by Playwright) against the real
`danvan run` and the fake Bot API: what an admin and a unit's staff member do with it, and what
the citizen then sees on Telegram."""

from __future__ import annotations

import asyncio
import io
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot import messages
from bot.testing.fake_telegram import FakeTelegram
from tests.test_petitions_e2e import ENV_CHAT, OTHER_CHAT, wait_text, write_petition
from tests.test_run_process import ROOT, start_bot

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
async_api = pytest.importorskip("playwright.async_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (test.sh installs it as root)")

ADMIN, ENV_STAFF, ROAD_STAFF, CITIZEN, NEIGHBOUR = 9001, 3001, 3002, 2001, 2002
# what the machine's closed network needs (see ../shared/PRODUCT.md): no calls home, no sandbox as root
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]
UNANSWERED = "ủy ban mặt trận có hỗ trợ gì cho bà con xóm trọ nghèo hông vậy"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "#3a7bd5").save(out, format="PNG")
    return out.getvalue()


async def web_link(fake: FakeTelegram, user_id: int) -> str:
    fake.message(user_id, "/web")
    said = await wait_text(fake, user_id, "Liên kết đăng nhập")
    return re.search(r"(http://\S+/login/\S+)", said)[1]


async def seed(db: Path) -> dict[str, str]:
    """Petitions a neighbour confirmed before this start (written through Telegram they would take
    the pace of a chat, a second a step): one for each unit; their codes by unit."""
    from bot.config import Unit
    from bot.petitions import NewPetition, Petitions
    from bot.store import Store

    units = (Unit("mt", "Phòng Tài nguyên và Môi trường", ENV_CHAT, ("moi-truong",), staff=(ENV_STAFF,)),
             Unit("gt", "Đội Quản lý giao thông", OTHER_CHAT, ("giao-thong",), staff=(ROAD_STAFF,)))
    async with Store(db) as store:
        petitions = Petitions(store, units, frozenset({ADMIN}))
        env = await petitions.create(NewPetition(NEIGHBOUR, NEIGHBOUR, "moi-truong",
                                                 "Rác thải ứ đọng ở chân cầu Kênh Tẻ cả tuần nay"))
        roads = await petitions.create(NewPetition(NEIGHBOUR, NEIGHBOUR, "giao-thong",
                                                   "Đèn tín hiệu ngã tư Hai Bà Trưng hỏng hai ngày"))
    return {"mt": env.code, "gt": roads.code}


@pytest.fixture
async def running(tmp_path):
    config = tmp_path / "units.yaml"
    config.write_text(
        f"admins: [{ADMIN}]\nunits:\n"
        f"  - id: mt\n    name: Phòng Tài nguyên và Môi trường\n    chat_id: {ENV_CHAT}\n"
        f"    categories: [moi-truong]\n    staff: [{ENV_STAFF}]\n"
        f"  - id: gt\n    name: Đội Quản lý giao thông\n    chat_id: {OTHER_CHAT}\n"
        f"    categories: [giao-thong]\n    staff: [{ROAD_STAFF}]\n", encoding="utf-8")
    port = free_port()
    seeded = await seed(tmp_path / "bot.db")
    with FakeTelegram() as fake:
        fake.add_file("PHOTO-1", png())
        process = start_bot(fake, tmp_path, DANVAN_CONFIG=str(config), DANVAN_FLOOD_BURST="50",
                            DANVAN_WEB_LISTEN=f"127.0.0.1:{port}", DANVAN_WEB_URL=f"http://127.0.0.1:{port}")
        async with async_api.async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            try:
                yield fake, browser, f"http://127.0.0.1:{port}", tmp_path / "bot.db", seeded
            finally:
                await browser.close()
                process.terminate()
                _, stderr = process.communicate(timeout=30)
                assert "Traceback" not in stderr, stderr[-3000:]


async def test_an_admin_finds_an_overdue_petition_reassigns_it_and_replies_to_the_citizen(running):
    fake, browser, base, db, seeded = running
    code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
    await wait_text(fake, ENV_CHAT, code)
    fresh = seeded["mt"]
    with sqlite3.connect(db) as connection:  # ten working days have passed
        connection.execute("UPDATE petitions SET due_on = '2020-01-02' WHERE code = ?", (code,))

    page = await (await browser.new_context()).new_page()
    await page.goto(f"{base}/phan-anh")
    assert "/web" in await page.text_content("main")  # not signed in: told how to
    link = await web_link(fake, ADMIN)
    await page.goto(link)
    await page.click("button:has-text('Đăng nhập')")
    await page.wait_for_url(f"{base}/phan-anh")
    assert code in await page.text_content("table") and fresh in await page.text_content("table")
    await page.check("input[name=qua_han]")
    await page.click("button:has-text('Lọc')")
    await page.wait_for_url(re.compile(r".*qua_han=1.*"))
    listed = await page.text_content("table")
    assert code in listed and fresh not in listed and "Quá hạn" in listed
    await page.click(f"a:has-text('{code}')")
    await page.wait_for_url(f"{base}/phan-anh/{code}")
    assert "+84901234567" in await page.text_content("main")
    assert await page.eval_on_selector(".photos img", "img => img.complete && img.naturalWidth") == 40

    await page.select_option("select[name=unit]", "gt")
    await page.click("button:has-text('Chuyển đơn vị')")
    await page.wait_for_selector("text=Đã chuyển phản ánh sang đơn vị mới")
    await wait_text(fake, OTHER_CHAT, code)  # the new unit gets it
    await wait_text(fake, CITIZEN, "Đội Quản lý giao thông")  # the citizen is told where it went

    reply = "Bộ phận tiếp nhận đã đề nghị Đội Quản lý giao thông thu dọn trong hôm nay."
    await page.fill("form[action$='/tra-loi'] textarea", reply)
    await page.click("button:has-text('Gửi trả lời')")
    await page.wait_for_selector("text=Đã gửi câu trả lời cho người dân")
    said = await wait_text(fake, CITIZEN, "thu dọn trong hôm nay")
    assert code in said
    assert "trả lời người dân" in await page.text_content("ol.history")

    again = await (await browser.new_context()).new_page()  # the same link, in another browser
    await again.goto(link)
    assert "không còn dùng được" in await again.text_content("main")
    await again.goto(f"{base}/login/{'A' * 43}")
    assert "không còn dùng được" in await again.text_content("main")

    await page.goto(f"{base}/bao-cao")
    charts = await page.query_selector_all(".charts img")
    assert len(charts) >= 5
    for chart in charts:
        await chart.scroll_into_view_if_needed()
        assert await chart.evaluate("img => img.decode().then(() => img.naturalWidth)") >= 400


async def test_a_unit_member_sees_only_their_unit_even_by_url(running):
    fake, browser, base, _, seeded = running
    ours, theirs = seeded["gt"], seeded["mt"]
    page = await (await browser.new_context()).new_page()
    await page.goto(await web_link(fake, ROAD_STAFF))
    await page.click("button:has-text('Đăng nhập')")
    await page.wait_for_url(f"{base}/phan-anh")
    listed = await page.text_content("main")
    assert ours in listed and theirs not in listed and "Báo cáo" not in await page.text_content("header")
    response = await page.goto(f"{base}/phan-anh/{theirs}")
    assert response.status == 404 and "Kênh Tẻ" not in await page.text_content("body")
    assert (await page.goto(f"{base}/cau-hoi")).status == 404

    await page.goto(f"{base}/phan-anh/{ours}")
    await page.click("button:has-text('Tiếp nhận')")
    await page.wait_for_selector("text=Đơn vị đã nhận xử lý phản ánh")
    await wait_text(fake, NEIGHBOUR, "Đơn vị đã nhận xử lý")

    fake.message(CITIZEN, "/web")  # a citizen asking for a link is refused
    assert "không có trong danh sách" in await wait_text(fake, CITIZEN, "/web")


async def test_an_unanswered_question_attached_on_the_dashboard_is_answered_after_reload(running, tmp_path):
    fake, browser, base, db, _ = running
    fake.message(CITIZEN, UNANSWERED)
    await wait_text(fake, CITIZEN, "chưa tìm thấy")
    page = await (await browser.new_context()).new_page()
    await page.goto(await web_link(fake, ADMIN))
    await page.click("button:has-text('Đăng nhập')")
    await page.goto(f"{base}/cau-hoi")
    group = page.locator("section.question", has_text="xóm trọ nghèo")
    await group.locator("select[name=intent]").select_option("khong-nguoi-ngheo")
    await group.locator("button:has-text('Gắn vào chủ đề')").click()
    await page.wait_for_selector("text=Đã gắn câu hỏi vào chủ đề")
    await page.click("button:has-text('Tải lại kiến thức')")
    await page.wait_for_selector("text=Đã tải lại kiến thức")
    assert "xóm trọ nghèo" not in await page.text_content("main")

    fake.message(CITIZEN, UNANSWERED)
    answer = await wait_text(fake, CITIZEN, "người nghèo")
    assert messages.SOURCE_HEADER in answer  # cited, as every answer is
    checked = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "bot", "validate", "--db", str(db)], cwd=ROOT,
        capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout[-2000:]
