"""Exactly once, as near as Telegram allows: the bot, as its own process, killed with SIGKILL at
random moments of forwarding, restarted each time, against a fake Bot API that answers a send in
a few milliseconds and fails some of them (429, 500, 502).

Prints, over all kills: petitions lost (confirmed but never in the unit's chat), copies sent twice,
and of those how many were not marked as a resend (the figure that must be 0).  Telegram has no
idempotency key: a kill between Telegram's answer and the 'sent' mark can only be made rare and
visible, not impossible.

    .venv/bin/python bench/bench_kill.py            # --kills 50 --latency 0.02 --fail 0.1
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import messages  # noqa: E402
from bot.config import Unit  # noqa: E402
from bot.petitions import NewPetition, Petitions  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.testing.fake_telegram import TOKEN, FakeTelegram
from bot.testing.harness import start_bot_process  # noqa: E402

UNIT_CHAT, ADMIN = -100777, 9001
UNITS = (Unit(id="mt", name="Môi trường", chat_id=UNIT_CHAT, categories=("moi-truong", "khac"), staff=(1,)),)
NEW_PREFIX = "📨 Phản ánh mới "


async def add_petitions(db: Path, first: int, count: int) -> list[str]:
    async with Store(db) as store:
        petitions = Petitions(store, UNITS, frozenset({ADMIN}))
        return [(await petitions.create(NewPetition(10_000 + n, 10_000 + n, "moi-truong",
                                                    f"Phản ánh số {n}: rác thải ở hẻm {n}"))).code
                for n in range(first, first + count)]


async def pending(db: Path, audience: str = "%") -> int:
    async with Store(db) as store:
        return int(await store.db.fetchval("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending') "
                                           "AND audience LIKE ?", (audience,)))


def sends(fake: FakeTelegram) -> int:
    return sum(1 for c in fake.calls if c.method.startswith("send") and c.status == 200)


def start(fake: FakeTelegram, workdir: Path) -> subprocess.Popen:
    return start_bot_process(fake.base_url, TOKEN, workdir, UNIT_CHAT, ADMIN, stderr=subprocess.DEVNULL)


def unit_copies(fake: FakeTelegram) -> list[str]:
    return [c.text for c in fake.messages_to(UNIT_CHAT) if NEW_PREFIX in c.text]


def code_of(text: str) -> str:
    return text.split(NEW_PREFIX, 1)[1].split()[0]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.02, help="seconds the fake takes to answer a send")
    parser.add_argument("--fail", type=float, default=0.1, help="share of calls the fake fails")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="danvan-kill-"))
    db = workdir / "bot.db"
    codes: list[str] = []
    began = time.monotonic()
    with FakeTelegram(strict=False) as fake:
        fake.latency = args.latency
        fake.fail_randomly(args.fail, seed=args.seed)
        for _ in range(args.kills):
            if await pending(db, "unit") < 60:  # keep forwarding going for the next kill
                codes += await add_petitions(db, len(codes), 120)
            before = sends(fake)
            process = start(fake, workdir)
            await fake.wait_for(lambda: sends(fake) > before, timeout=60, what="forwarding to begin")
            await asyncio.sleep(rng.uniform(0.0, 0.6))  # a random moment of forwarding
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        process = start(fake, workdir)
        try:
            await fake.wait_for(lambda: {code_of(t) for t in unit_copies(fake)} >= set(codes), timeout=600,
                                what="every petition in the unit's chat")
            while await pending(db):  # the citizens' notices too
                await asyncio.sleep(0.2)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        copies = unit_copies(fake)
        citizen_notes = [c.text for c in fake.calls if c.status == 200 and c.method == "sendMessage"
                         and isinstance(c.params.get("chat_id"), int) and c.params["chat_id"] >= 10_000]
    per_code = Counter(code_of(t) for t in copies)
    lost = [c for c in codes if per_code[c] == 0]
    twice = sum(n - 1 for n in per_code.values())
    unmarked = 0
    for code in per_code:
        plain = [t for t in copies if code_of(t) == code and not t.startswith(messages.RESENT_NOTE)]
        unmarked += max(0, len(plain) - 1)
    notes = Counter(citizen_notes)
    notes_twice = sum(n - 1 for n in notes.values())
    notes_unmarked = sum(max(0, n - 1) for t, n in notes.items() if not t.startswith(messages.RESENT_NOTE))
    resent = sum(1 for t in copies if t.startswith(messages.RESENT_NOTE))
    print(f"kills: {args.kills}, petitions: {len(codes)}, unit copies delivered: {len(copies)}, "
          f"Telegram latency {args.latency * 1000:.0f} ms, {args.fail:.0%} of calls failed, "
          f"{time.monotonic() - began:.0f} s")
    print(f"petitions lost: {len(lost)}")
    print(f"petitions forwarded twice: {twice} (not marked as a resend: {unmarked}); "
          f"copies marked as a resend: {resent}")
    print(f"citizens' notices sent twice: {notes_twice} (not marked as a resend: {notes_unmarked})")


if __name__ == "__main__":
    asyncio.run(main())
