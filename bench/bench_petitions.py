"""Petition intake under load: simulated citizens completing the whole conversation concurrently.

    python bench/bench_petitions.py [--citizens 1000]

The real Application and a fake Bot API (in this process; its strict checks
off).  Each citizen: /phananh, category, description, place, skip the photo,
anonymous, confirm; all citizens at once.  Prints petitions per second (from
the first /phananh to the last confirmation), the time from each confirmation
to the petition in the unit's chat (p50, p99), and peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.assistant import Assistant  # noqa: E402
from bot.config import Settings, Unit  # noqa: E402
from bot.deadlines import load_deadlines  # noqa: E402
from bot.outbox import UNLIMITED  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402
from bot.testing.fake_telegram import TOKEN, FakeTelegram  # noqa: E402
from bot.testing.harness import running  # noqa: E402

UNIT_CHAT = -100900
UNITS = (Unit("mt", "Môi trường", UNIT_CHAT, ("moi-truong",), staff=(1,)),)


class Watcher:
    """One coroutine reads the fake's calls as they come and wakes the citizen each one is for."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.waiting: dict[int, tuple[str, asyncio.Future]] = {}
        self.seen = 0

    def expect(self, user: int, needle: str) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.waiting[user] = (needle, future)
        return future

    async def run(self) -> None:
        while True:
            calls = self.fake.calls[self.seen:]
            self.seen += len(calls)
            for call in calls:
                wanted = self.waiting.get(call.params.get("chat_id"))
                if wanted and wanted[0] in call.text and not wanted[1].done():
                    wanted[1].set_result(call)
            await asyncio.sleep(0.005)


async def citizen(fake: FakeTelegram, watcher: Watcher, user: int, confirmed: dict[int, float]) -> None:
    async def step(send, needle: str) -> None:
        future = watcher.expect(user, needle)
        send()
        await future

    await step(lambda: fake.message(user, "/phananh"), "chọn lĩnh vực")
    await step(lambda: fake.press(user, "pe:cat:moi-truong"), "mô tả sự việc")
    await step(lambda: fake.message(user, f"Rác thải ứ đọng ở hẻm số {user}, đã ba ngày chưa thu gom"), "ở đâu")
    await step(lambda: fake.message(user, f"Hẻm {user} đường Lê Lợi"), "ảnh kèm theo")
    await step(lambda: fake.press(user, "pe:next"), "số điện thoại")
    await step(lambda: fake.press(user, "pe:anon"), "kiểm tra lại")
    await step(lambda: fake.press(user, "pe:send"), "Mã theo dõi")
    confirmed[user] = time.perf_counter()


async def main(citizens: int) -> None:
    assistant = Assistant.load(ROOT / "content", ROOT / "intents")
    with FakeTelegram(strict=False) as fake, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(token=TOKEN, api_base_url=fake.base_url, db_path=Path(tmp) / "load.db",
                            admins=frozenset({9}), units=UNITS, flood_burst=1000, concurrent_updates=8)
        app = build_application(settings, assistant,
                                 load_deadlines(ROOT / "content" / "deadlines.yaml", assistant.library),
                                 outbox_interval=0.05, pace=UNLIMITED)  # capacity; bench_scale.py: Telegram's pace
        confirmed: dict[int, float] = {}
        async with running(app, poll_timeout=1):
            watcher = Watcher(fake)
            watching = asyncio.create_task(watcher.run())
            started = time.perf_counter()
            await asyncio.gather(*(citizen(fake, watcher, 700_000 + n, confirmed) for n in range(citizens)))
            intake = time.perf_counter() - started
            watching.cancel()
            arrived: dict[int, float] = {}
            while len(arrived) < citizens:
                for call in fake.messages_to(UNIT_CHAT):
                    if call.text.startswith("📨") and "hẻm số " in call.text:
                        user = int(call.text.split("hẻm số ")[1].split(",")[0])
                        arrived.setdefault(user, call.at)
                await asyncio.sleep(0.05)
        # call.at is time.monotonic(); convert the confirmations to the same clock
        offset = time.monotonic() - time.perf_counter()
        delays = sorted(max(0.0, arrived[u] - (confirmed[u] + offset)) * 1000 for u in confirmed)
    p = lambda q: delays[min(len(delays) - 1, int(q / 100 * (len(delays) - 1)))]  # noqa: E731
    print(f"citizens: {citizens}, each through the 7 steps of the conversation, all at once")
    print(f"intake: {citizens / intake:.1f} petitions/s ({intake:.1f} s for all)")
    print(f"confirmation to the unit's chat: p50 {p(50):.0f} ms, p99 {p(99):.0f} ms, max {delays[-1]:.0f} ms, "
          f"mean {statistics.fmean(delays):.0f} ms")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--citizens", type=int, default=1000)
    asyncio.run(main(parser.parse_args().citizens))
