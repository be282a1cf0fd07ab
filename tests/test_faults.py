"""Fault injection: the bot as its own process, killed with SIGKILL at random moments while it
forwards petitions, against a fake Bot API that fails a fifth of its calls (429, 500, 502).

Every confirmed petition must reach its unit; a kill can leave a message in doubt (sent, but not
yet recorded as sent): it is sent again, marked as a resend, so that no repeat goes unmarked.
bench/bench_kill.py does the same fifty times and prints the counts.
"""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
from pathlib import Path

from bot import messages
from bot.config import Unit
from bot.petitions import NewPetition, Petitions
from bot.store import Store
from bot.testing.fake_telegram import TOKEN, FakeTelegram
from bot.testing.harness import start_bot_process

ROOT = Path(__file__).resolve().parent.parent
UNIT_CHAT, ADMIN = -100777, 9001
UNITS = (Unit(id="mt", name="Môi trường", chat_id=UNIT_CHAT, categories=("moi-truong", "khac"), staff=(1,)),)
PETITIONS = 15  # within what a group takes in a minute (19, bot/outbox.py): the kills, not the pace, are tested
KILLS = 4


async def confirmed_petitions(db: Path) -> list[str]:
    async with Store(db) as store:
        petitions = Petitions(store, UNITS, frozenset({ADMIN}))
        codes = []
        for n in range(PETITIONS):
            petition = await petitions.create(
                NewPetition(5000 + n, 5000 + n, "moi-truong", f"Phản ánh số {n}: rác thải ở hẻm {n}")
            )
            codes.append(petition.code)
        return codes


def start(fake: FakeTelegram, tmp_path: Path) -> subprocess.Popen:
    return start_bot_process(fake.base_url, TOKEN, tmp_path, UNIT_CHAT, ADMIN, stderr=subprocess.PIPE)


def copies(fake: FakeTelegram, code: str) -> list[str]:
    return [c.text for c in fake.messages_to(UNIT_CHAT) if f"📨 Phản ánh mới {code}" in c.text]


def delivered(fake: FakeTelegram, code: str) -> int:
    return len(copies(fake, code))


async def test_sigkill_during_forwarding_and_flaky_telegram_lose_nothing(tmp_path):
    codes = await confirmed_petitions(tmp_path / "bot.db")
    rng = random.Random(2026)
    with FakeTelegram() as fake:
        fake.fail_randomly(0.2, seed=7)
        for _ in range(KILLS):
            process = start(fake, tmp_path)
            await asyncio.sleep(rng.uniform(1.0, 2.5))  # start-up, then part of the forwarding
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        process = start(fake, tmp_path)
        try:
            await fake.wait_for(lambda: all(delivered(fake, c) for c in codes), timeout=120,
                                what="every petition in the unit's chat")
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=30)
        counts = {code: delivered(fake, code) for code in codes}
        refused = [c for c in fake.calls if c.status not in (200, 429, 500, 502)]
        unmarked = {code: [t for t in copies(fake, code) if not t.startswith(messages.RESENT_NOTE)]
                    for code in codes}
    assert all(n >= 1 for n in counts.values()), counts
    assert all(len(plain) <= 1 for plain in unmarked.values()), unmarked  # every repeat says it is one
    assert not refused
    assert "Traceback" not in stderr
