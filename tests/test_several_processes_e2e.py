"""Several `danvan run` processes on one database, as deployed: two webhook processes on PostgreSQL
behind a load balancer (the fake Bot API sends each delivery to either), one SIGKILLed in the middle
of citizens' petitions; and a polling stand-by that takes over when the poller dies."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from bot import messages
from bot.testing.fake_telegram import TOKEN, FakeTelegram
from tests.test_petitions_e2e import texts
from tests.test_petitions_e2e import wait_text as wait_in_chat

ROOT = Path(__file__).resolve().parent.parent
UNIT_CHAT, STAFF, ADMIN = -100777, 1, 9001
SECRET = "bi-mat_123"
NEW = "📨 Phản ánh mới "


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(fake: FakeTelegram, folder: Path, name: str, database: str, **env: str) -> subprocess.Popen:
    config = folder / "units.yaml"
    config.write_text(f"admins: [{ADMIN}]\nunits:\n  - id: mt\n    name: Môi trường\n    chat_id: {UNIT_CHAT}\n"
                      f"    categories: [moi-truong, khac]\n    staff: [{STAFF}]\n", encoding="utf-8")
    where = {"DANVAN_DATABASE_URL": database} if database.startswith("postgresql") else {"DANVAN_DB": database}
    full = {k: v for k, v in os.environ.items() if not k.startswith("DANVAN_")}
    full.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=fake.base_url, DANVAN_CONFIG=str(config),
                DANVAN_PROCESS_NAME=name, **where, **env)
    log = open(folder / f"{name}.log", "w")
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=full, stdout=log, stderr=log)


def webhook_env(port: int) -> dict[str, str]:
    return {"DANVAN_WEBHOOK_URL": "https://danvan.example.org/telegram", "DANVAN_WEBHOOK_LISTEN": "127.0.0.1",
            "DANVAN_WEBHOOK_PORT": str(port), "DANVAN_WEBHOOK_SECRET": SECRET}


def health(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except OSError:
        return 0, {}


async def wait_text(fake: FakeTelegram, chat: int, needle: str, timeout: float = 45.0) -> str:
    """As in the in-process tests, with room for a process's start-up and a lease's takeover."""
    return await wait_in_chat(fake, chat, needle, timeout)


async def petition(fake: FakeTelegram, citizen: int) -> str:
    """The whole conversation; on failure, what the citizen saw."""
    try:
        return await _petition(fake, citizen)
    except AssertionError as failure:
        seen = [(c.method, c.text[:60], c.params.get("callback_query_id") and c.text) for c in fake.sent(citizen)]
        raise AssertionError(f"{failure}\ncitizen {citizen} saw: {seen}") from None


THINK = 1.0  # seconds a person takes to read a prompt and answer (Telegram's pace in a chat: about 1 a second)


async def _petition(fake: FakeTelegram, citizen: int) -> str:
    """The whole conversation, each step sent as the citizen would after reading the bot's prompt."""
    fake.message(citizen, "/phananh")
    await wait_text(fake, citizen, messages.PETITION_CATEGORY)
    await asyncio.sleep(THINK)
    fake.press(citizen, "pe:cat:moi-truong")
    await wait_text(fake, citizen, "mô tả sự việc")
    await asyncio.sleep(THINK)
    fake.message(citizen, f"Rác thải ứ đọng ở đầu hẻm {citizen} ba ngày nay")
    await wait_text(fake, citizen, "xảy ra ở đâu")
    await asyncio.sleep(THINK)
    fake.message(citizen, f"Hẻm {citizen} Lê Lợi")
    await wait_text(fake, citizen, "ảnh kèm theo")
    await asyncio.sleep(THINK)
    fake.press(citizen, "pe:next")
    await wait_text(fake, citizen, "số điện thoại")
    await asyncio.sleep(THINK)
    fake.message(citizen, messages.ANONYMOUS)
    await wait_text(fake, citizen, "kiểm tra lại phản ánh")
    await asyncio.sleep(THINK)
    fake.press(citizen, "pe:send")
    return (await wait_text(fake, citizen, "Mã theo dõi")).split("Mã theo dõi: ")[1].split()[0]


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


async def test_two_webhook_processes_on_postgresql_serve_one_bot_and_survive_one_killed(tmp_path, postgres):
    database = postgres.new_database()
    ports = [free_port(), free_port()]
    with FakeTelegram(webhooks=True) as fake:
        # Telegram's limits, strictly: a 429 is retried (replies once, the outbox until delivered). Not
        # asserted to be none: a chat's replies are paced per process, and a citizen's steps land on
        # both processes (bench/bench_scale.py measures the 429s of a burst; README, "Not built yet").
        fake.enforce_limits()
        fake.webhook_targets = [f"http://127.0.0.1:{port}" for port in ports]
        first, second = (start(fake, tmp_path, name, database, **webhook_env(port))
                         for name, port in zip(("one", "two"), ports))
        try:
            for port in ports:
                await fake.wait_for(lambda: health(port)[0] == 200, timeout=60, what="the process's health")
            assert health(ports[0])[1]["database"] and health(ports[0])[1]["process"] == "one"
            citizens = list(range(50_001, 50_009))
            started = [asyncio.create_task(petition(fake, c)) for c in citizens]
            await fake.wait_for(lambda: sum(t.done() for t in started) >= 3, timeout=90, what="three petitions")
            first.send_signal(signal.SIGKILL)  # the middle of the others' conversations
            first.wait(timeout=30)
            codes = await asyncio.gather(*started)

            def unit_codes() -> Counter:
                return Counter(t.split(NEW, 1)[1].split()[0] for t in texts(fake, UNIT_CHAT) if NEW in t)

            await fake.wait_for(lambda: set(unit_codes()) >= set(codes), timeout=60, what="every petition forwarded")
            for citizen, code in zip(citizens, codes):
                await wait_text(fake, citizen, messages.CITIZEN_STATUS.format(code=code, status="Đã chuyển đơn vị xử lý"))
            # the unit acts on each through the surviving process; each citizen hears of it
            cards = {c.text.split(NEW, 1)[1].split()[0]: c for c in fake.messages_to(UNIT_CHAT) if NEW in c.text}
            for code, card in cards.items():
                accept = next(data for _, data in card.buttons if data.startswith("pu:acc:"))
                fake.press(STAFF, accept, message=fake.as_message(card), chat_id=UNIT_CHAT)
            for citizen, code in zip(citizens, codes):
                await wait_text(fake, citizen, messages.CITIZEN_STATUS.format(code=code, status="Đơn vị đã nhận xử lý"))
        finally:
            for process in (first, second):
                stop(process)
        copies = [t for t in texts(fake, UNIT_CHAT) if NEW in t]
        served = Counter(d.url.split("/")[2] for d in fake.deliveries if d.ok)
    per_code = Counter(t.split(NEW, 1)[1].split()[0] for t in copies)
    assert sorted(per_code) == sorted(codes) and len(set(codes)) == len(citizens)  # none lost
    unmarked = [t for t in copies if not t.startswith(messages.RESENT_NOTE)]
    assert max(Counter(t.split(NEW, 1)[1].split()[0] for t in unmarked).values()) == 1  # a repeat says so
    assert len(served) == 2  # both processes took Telegram's deliveries
    assert "Traceback" not in (tmp_path / "two.log").read_text()


async def wait_log(path, text: str, timeout: float = 60.0) -> None:
    """Until a process's log says ``text``."""
    deadline = time.monotonic() + timeout
    while not (path.exists() and text in path.read_text()):
        assert time.monotonic() < deadline, f"{path.name} never said {text!r}"
        await asyncio.sleep(0.1)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
async def test_a_second_polling_process_stands_by_and_takes_over_when_the_first_dies(tmp_path, engine, request):
    database = str(tmp_path / "bot.db") if engine == "sqlite" else request.getfixturevalue("postgres").new_database()
    with FakeTelegram(strict_polling=True) as fake:
        first = start(fake, tmp_path, "one", database)
        fake.message(42, "/start")
        await wait_text(fake, 42, messages.WELCOME)
        second = start(fake, tmp_path, "two", database)
        try:
            # Up and found the first one leading (however slow the machine is to start it); then
            # long enough to have polled, had it not stood by.
            await wait_log(tmp_path / "two.log", "standing by")
            await asyncio.sleep(2)
            fake.message(43, "5 khong la gi")
            await wait_text(fake, 43, "kênh rạch")
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
            fake.message(44, "5 khong la gi")
            await wait_text(fake, 44, "kênh rạch", timeout=30)  # the stand-by took over
        finally:
            for process in (first, second):
                stop(process)
        assert fake.conflicts == 0  # never two pollers at once: no 409 from Telegram
    assert "standing by" in (tmp_path / "two.log").read_text()
    assert second.returncode == 0
