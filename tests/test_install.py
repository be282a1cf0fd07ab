"""`pip install .` (not -e) gives a danvan that finds its knowledge, run from any folder."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

from bot.testing.fake_telegram import TOKEN, FakeTelegram

ROOT = Path(__file__).resolve().parent.parent


def test_the_built_package_carries_its_knowledge_and_answers_from_anywhere(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(wheels.glob("danvan-*.whl"))
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:  # what pip install puts in site-packages
        archive.extractall(installed)
    assert (installed / "bot" / "_content" / "hcm-danvan.md").is_file()
    assert (installed / "bot" / "_intents").is_dir() and (installed / "bot" / "_content" / "deadlines.yaml").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANVAN_")} | {"PYTHONPATH": str(installed)}
    run = subprocess.run([sys.executable, "-m", "bot", "ask", "5 không là gì"], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Không xả rác" in run.stdout and "Hướng dẫn số 11-HD/BDVTU" in run.stdout
    validate = subprocess.run([sys.executable, "-m", "bot", "validate"], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=300)
    assert "0 error(s)" in validate.stdout, validate.stdout[-500:]
    chat = subprocess.run([sys.executable, "-m", "bot", "chat"], cwd=elsewhere, env=env, input="5 khong la gi\n/thoat\n",
                          capture_output=True, text=True, timeout=120)
    assert chat.returncode == 0 and "Không xả rác" in chat.stdout, chat.stderr
    asyncio.run(_a_petition_through_the_installed_bot(env, elsewhere))


async def _a_petition_through_the_installed_bot(env: dict[str, str], folder: Path) -> None:
    """`danvan run` from the installed package: a question answered, a petition reaching its unit."""
    config = folder / "units.yaml"
    config.write_text("admins: [9001]\nunits:\n  - id: mt\n    name: Môi trường\n    chat_id: -100777\n"
                      "    categories: [moi-truong]\n    staff: [1]\n", encoding="utf-8")
    with FakeTelegram() as fake:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, env=env | {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url,
                                  "DANVAN_DB": str(folder / "bot.db"), "DANVAN_CONFIG": str(config)})
        try:
            fake.message(42, "5 khong la gi")
            await fake.wait_for(lambda: [m for m in fake.messages_to(42) if "kênh rạch" in m.text], timeout=60)
            fake.message(42, "/phananh")
            await fake.wait_for(lambda: fake.messages_to(42)[-1].buttons, timeout=30)
            fake.press(42, "pe:cat:moi-truong")
            await fake.wait_for(lambda: [m for m in fake.messages_to(42) if "mô tả sự việc" in m.text], timeout=30)
            fake.message(42, "Rác thải ứ đọng ở đầu hẻm ba ngày nay")
            await fake.wait_for(lambda: [m for m in fake.messages_to(42) if "xảy ra ở đâu" in m.text], timeout=30)
            fake.press(42, "pe:skip")
            await fake.wait_for(lambda: [m for m in fake.messages_to(42) if "ảnh kèm theo" in m.text], timeout=30)
            fake.press(42, "pe:next")
            await fake.wait_for(lambda: [m for m in fake.messages_to(42) if "số điện thoại" in m.text], timeout=30)
            fake.message(42, "🙈 Gửi ẩn danh")
            await fake.wait_for(lambda: [m for m in fake.messages_to(42) if "kiểm tra lại" in m.text], timeout=30)
            fake.press(42, "pe:send")
            await fake.wait_for(lambda: [m for m in fake.messages_to(-100777) if "Rác thải ứ đọng" in m.text],
                                timeout=30, what="the petition in its unit's chat")
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=30)
    assert "Traceback" not in stderr
