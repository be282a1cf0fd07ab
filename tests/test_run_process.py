"""`danvan run` as its own process, the way it is deployed, against the fake Bot API."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bot import messages
from bot.testing.fake_telegram import TOKEN, FakeTelegram

ROOT = Path(__file__).resolve().parent.parent


def start_bot(fake: FakeTelegram, tmp_path: Path, **env: str) -> subprocess.Popen:
    full_env = {k: v for k, v in os.environ.items() if k != "DANVAN_CONFIG"}
    full_env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=fake.base_url,
                    DANVAN_DB=str(tmp_path / "bot.db"), **env)
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=full_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


async def test_the_bot_process_answers_and_stops_cleanly(tmp_path):
    with FakeTelegram() as fake:
        process = start_bot(fake, tmp_path)
        try:
            fake.message(42, "/start")
            fake.message(42, "5 khong la gi")
            replies = await fake.wait_messages(42, 2, timeout=30)
            assert replies[0].text == messages.WELCOME
            assert "kênh rạch" in replies[1].text
            assert fake.sent(method="setMyCommands")
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert TOKEN not in stderr  # the token never reaches the logs
    assert "5 khong la gi" not in stderr  # nor what users write


def test_a_bad_setting_stops_start_up_with_one_clear_line(tmp_path):
    config = tmp_path / "danvan.yaml"
    config.write_text("admins: [abc]\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "DANVAN_CONFIG": str(config)},
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "'admins'" in lines[0] and "danh sách mã số Telegram" in lines[0]


def test_a_missing_token_says_what_to_do():
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env=env)
    assert result.returncode == 2
    assert "Chưa đặt TELEGRAM_BOT_TOKEN" in result.stderr and "@BotFather" in result.stderr
    assert "danvan chat" in result.stderr


async def test_petitions_through_the_process_leave_no_personal_data_in_the_logs(tmp_path):
    from tests.test_petitions_e2e import CITIZEN, ENV_CHAT, wait_text, write_petition

    config = tmp_path / "units.yaml"
    config.write_text(f"admins: [9001]\nunits:\n  - id: mt\n    name: Môi trường\n    chat_id: {ENV_CHAT}\n"
                      "    categories: [moi-truong]\n    staff: [3001]\n", encoding="utf-8")
    with FakeTelegram() as fake:
        process = start_bot(fake, tmp_path, DANVAN_CONFIG=str(config), DANVAN_FLOOD_BURST="50")
        try:
            code = await write_petition(fake, CITIZEN, "Rác thải ứ đọng ở đầu hẻm ba ngày nay, bốc mùi")
            await wait_text(fake, ENV_CHAT, f"Phản ánh mới {code}")
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    for private in ("+84901234567", "Rác thải ứ đọng", "Hẻm 12 Lê Lợi", "Lan"):
        assert private not in stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post_update(port: int, update: dict, secret: str | None) -> int:
    """What Telegram does in webhook mode: POST the update, with the secret in a header."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(f"http://127.0.0.1:{port}/telegram", data=json.dumps(update).encode(),
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def text_update(update_id: int, user_id: int, text: str) -> dict:
    person = {"id": user_id, "is_bot": False, "first_name": "Lan"}
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": int(time.time()), "text": text, "from": person,
        "chat": {"id": user_id, "type": "private", "first_name": "Lan"},
    }}


async def test_webhook_mode_registers_the_hook_and_answers_only_telegram(tmp_path):
    port, secret = free_port(), "bi-mat_123"
    with FakeTelegram() as fake:
        process = start_bot(fake, tmp_path, DANVAN_WEBHOOK_URL="https://danvan.example.org/telegram",
                            DANVAN_WEBHOOK_LISTEN="127.0.0.1", DANVAN_WEBHOOK_PORT=str(port),
                            DANVAN_WEBHOOK_SECRET=secret)
        try:
            hook = (await fake.wait_for(lambda: fake.sent(method="setWebhook"), timeout=30))[0]
            assert hook.params["url"] == "https://danvan.example.org/telegram"
            assert hook.params["secret_token"] == secret
            assert not fake.polled  # no polling beside the webhook

            # a forged update (no secret, or a wrong one) is refused and never handled
            assert await asyncio.to_thread(post_update, port, text_update(1, 77, "/start"), None) == 403
            assert await asyncio.to_thread(post_update, port, text_update(2, 77, "/start"), "doan-mo") == 403
            assert await asyncio.to_thread(post_update, port, text_update(3, 42, "5 khong la gi"), secret) == 200
            reply = (await fake.wait_messages(42, 1, timeout=30))[0]
            assert "kênh rạch" in reply.text
            await asyncio.sleep(0.5)
            assert not fake.messages_to(77)
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr


def test_webhook_mode_without_a_secret_does_not_start(tmp_path):
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "DANVAN_DB": str(tmp_path / "bot.db"),
           "DANVAN_WEBHOOK_URL": "https://danvan.example.org/telegram"}
    env.pop("DANVAN_WEBHOOK_SECRET", None)
    result = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env=env)
    assert result.returncode == 2
    assert "Chưa đặt DANVAN_WEBHOOK_SECRET" in result.stderr and len(result.stderr.strip().splitlines()) == 1
