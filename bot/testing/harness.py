"""Running a real Application in-process the way ``run_polling`` does, for tests and benchmarks."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from telegram import Update
from telegram.ext import Application


@asynccontextmanager
async def running(application: Application, poll_timeout: float = 0.5) -> AsyncIterator[Application]:
    """initialize, post_init, poll, start ... then stop, post_stop, shutdown, post_shutdown."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.updater.start_polling(poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES)
    await application.start()
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        if application.post_stop:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


def start_bot_process(base_url: str, token: str, folder: Path, unit_chat: int, admin: int,
                      stderr: int | None = subprocess.DEVNULL) -> subprocess.Popen:
    """`python -m bot run` as its own process, with one unit (environment and "khác") and one admin,
    its database in ``folder``: for the crash tests and bench/bench_kill.py."""
    config = folder / "units.yaml"
    config.write_text(
        f"admins: [{admin}]\nunits:\n  - id: mt\n    name: Môi trường\n    chat_id: {unit_chat}\n"
        "    categories: [moi-truong, khac]\n    staff: [1]\n", encoding="utf-8")
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_BASE_URL": base_url,
           "DANVAN_DB": str(folder / "bot.db"), "DANVAN_CONFIG": str(config)}
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=Path(__file__).resolve().parents[2], env=env,
                            stdout=subprocess.DEVNULL, stderr=stderr, text=True)
