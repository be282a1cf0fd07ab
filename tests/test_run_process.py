"""`danvan run` as its own process, the way it is deployed, against the fake Bot API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
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
    assert len(lines) == 1 and "admins" in lines[0] and "numeric ids" in lines[0]


def test_a_missing_token_says_what_to_do():
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env=env)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "danvan chat" in result.stderr


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
