"""The dashboard's speed on a desk's worth of petitions: pages and exports over real HTTP.

    .venv/bin/python bench/bench_web.py [--petitions 2000] [--repeat 30]

A SQLite database is filled with petitions across units and statuses (some overdue), an admin
signs in, and each page is fetched ``--repeat`` times; the figures are latency percentiles per
page, the report's charts drawn cold, and the process's memory.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from bot.assistant import Assistant  # noqa: E402
from bot.config import Settings, Unit  # noqa: E402
from bot.paths import content_dir, intents_dir  # noqa: E402
from bot.petitions import CATEGORIES, NewPetition  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.telegram.services import Services  # noqa: E402
from bot.testing.fake_telegram import TOKEN  # noqa: E402
from bot.web.app import Dashboard  # noqa: E402

ADMIN = 9001
WORDS = ("rác thải ứ đọng", "đèn đường hỏng", "cống thoát nước tắc", "lấn chiếm vỉa hè", "tiếng ồn công trình",
         "cán bộ gây phiền hà", "ngập nước sau mưa", "cây xanh đổ")


async def fill(services: Services, count: int) -> None:
    rng = random.Random(7)
    categories = list(CATEGORIES)
    for n in range(count):
        p = await services.petitions.create(NewPetition(
            user_id=10_000 + n, chat_id=10_000 + n, category=rng.choice(categories),
            description=f"{rng.choice(WORDS)} ở hẻm {rng.randint(1, 300)} đường số {rng.randint(1, 40)}",
            contact_phone="0901234567"))
        if rng.random() < 0.3:
            await services.store.db.execute("UPDATE petitions SET due_on = '2020-01-01' WHERE id = ?", (p.id,))
        if rng.random() < 0.4:
            await services.store.db.execute("UPDATE petitions SET status = 'resolved' WHERE id = ?", (p.id,))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main(count: int, repeat: int) -> None:
    folder = Path(tempfile.mkdtemp())
    units = tuple(Unit(f"u{i}", f"Đơn vị {i}", -100 - i, (c,), staff=(3000 + i,)) for i, c in enumerate(CATEGORIES))
    settings = Settings(token=TOKEN, db_path=folder / "bench.db", admins=frozenset({ADMIN}), units=units,
                        web_url="http://127.0.0.1")
    services = Services(settings=settings, assistant=Assistant.load(content_dir(), intents_dir()), deadlines={},
                        store=Store(settings.store_target))
    await services.store.open()
    await fill(services, count)
    for n in range(300):
        await services.store.log_unanswered(n, f"câu hỏi chưa có trong văn bản số {n % 60} về thủ tục {n % 7}")
    dashboard = Dashboard(services)
    client = TestClient(TestServer(dashboard.app()))
    await client.start_server()
    token = await dashboard.auth.new_link(ADMIN)
    await client.post("/login", data={"token": token}, allow_redirects=False)
    code = (await services.petitions.all())[count // 2].code
    pages = {"list": "/phan-anh", "list overdue": "/phan-anh?qua_han=1", "search": "/phan-anh?q=cong+thoat+nuoc",
             "list page 20": "/phan-anh?trang=20", "petition": f"/phan-anh/{code}", "CSV (all)": "/phan-anh.csv",
             "questions": "/cau-hoi", "report page": "/bao-cao"}
    print(f"petitions: {count}, unanswered questions: 300, repeats: {repeat}")
    for name, path in pages.items():
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = await client.get(path)
            await response.read()
            assert response.status == 200, (path, response.status)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{name:14} p50 {statistics.median(times):7.1f} ms   p99 {percentile(times, 0.99):7.1f} ms")
    start = time.perf_counter()
    chart = await client.get("/bao-cao/bieu-do/category.png?tu=2000-01-01&den=2100-01-01")
    await chart.read()
    print(f"report charts (six, drawn cold): {(time.perf_counter() - start) * 1000:.0f} ms")
    print(f"memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    await client.close()
    await services.store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--petitions", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(main(args.petitions, args.repeat))
