"""A thousand citizens confirming their petitions at once, to fifty units, against the fake Bot API
with Telegram's limits on (1 message a second to a chat with short bursts, 20 a minute to a group,
30 a second in all; past them it answers 429): the bot as deployed, side by side

- SQLite, one `danvan run` process, polling;
- PostgreSQL, two `danvan run` processes in webhook mode behind the fake's load balancer.

Each citizen's conversation is at its last step (the review) and all press "Gửi" together.  Prints,
per set-up: petitions confirmed per second (first press to last code shown), the time from a
citizen's confirmation to the petition in its unit's chat (p50, p99), the time until every notice
was delivered, the 429s provoked (the goal is none), and each process's peak memory.

    .venv/bin/python bench/bench_scale.py            # --citizens 1000 --units 50
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.store import Store  # noqa: E402
from bot.testing.fake_telegram import TOKEN, FakeTelegram  # noqa: E402
from bot.testing.postgres import PostgresServer  # noqa: E402

ADMIN, FIRST_CITIZEN = 9001, 700_000
NEW = "📨 Phản ánh mới "


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unit_chat(n: int) -> int:
    return -1_000_000 - n


def write_config(folder: Path, units: int) -> Path:
    lines = [f"admins: [{ADMIN}]", "units:"]
    for n in range(units):
        lines += [f"  - id: u{n}", f"    name: Đơn vị {n}", f"    chat_id: {unit_chat(n)}",
                  "    categories: [moi-truong]", f"    areas: [Phường {n}]", "    staff: [1]"]
    path = folder / "units.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def seed(target: str | Path, citizens: int, units: int) -> None:
    """Every citizen's petition written up to the review (as if typed over the last minutes)."""
    async with Store(target) as store:
        async with store.transaction():
            for n in range(citizens):
                user = FIRST_CITIZEN + n
                data = {"category": "moi-truong", "area": f"Phường {n % units}",
                        "description": f"Rác thải ứ đọng ở đầu hẻm {n}, ba ngày chưa được thu gom",
                        "place": f"Hẻm {n} đường Lê Lợi"}
                await store.db.execute(
                    "INSERT INTO conversations (user_id, name, chat_id, step, data, updated_at) "
                    "VALUES (?, 'petition', ?, 'review', ?, ?)", (user, user, json.dumps(data), time.time()))
                await store.db.execute(
                    "INSERT INTO users (user_id, chat_id, created_at, updated_at) VALUES (?, ?, 'x', 'x')",
                    (user, user))


def start(fake: FakeTelegram, folder: Path, name: str, config: Path, where: dict[str, str]) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANVAN_")}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=fake.base_url, DANVAN_CONFIG=str(config),
               DANVAN_PROCESS_NAME=name, DANVAN_LOG_LEVEL="WARNING", DANVAN_CONCURRENT_UPDATES="16", **where)
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=open(folder / f"{name}.log", "w"))


def peak_mib(process: subprocess.Popen) -> float:
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(label: str, citizens: int, units: int, webhook_processes: int, database: str | None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="danvan-scale-"))
    config = write_config(folder, units)
    target: str | Path = database or folder / "bot.db"
    await seed(target, citizens, units)
    where = {"DANVAN_DATABASE_URL": database} if database else {"DANVAN_DB": str(target)}
    with FakeTelegram(webhooks=bool(webhook_processes)) as fake:
        fake.enforce_limits()
        processes = []
        if webhook_processes:
            ports = [free_port() for _ in range(webhook_processes)]
            fake.webhook_targets = [f"http://127.0.0.1:{p}" for p in ports]
            for n, port in enumerate(ports):
                processes.append(start(fake, folder, f"p{n}", config, {
                    **where, "DANVAN_WEBHOOK_URL": "https://bench.example/telegram",
                    "DANVAN_WEBHOOK_LISTEN": "127.0.0.1", "DANVAN_WEBHOOK_PORT": str(port),
                    "DANVAN_WEBHOOK_SECRET": "bench-secret"}))
            await fake.wait_for(lambda: fake.webhook is not None, timeout=60, what="the webhook")
        else:
            processes.append(start(fake, folder, "p0", config, where))
        await fake.wait_for(lambda: fake.sent(method="setMyCommands"), timeout=60, what="start-up")
        await asyncio.sleep(2)
        began = time.monotonic()
        for n in range(citizens):
            fake.press(FIRST_CITIZEN + n, "pe:send")

        def codes_shown() -> dict[int, tuple[str, float]]:
            shown = {}
            for c in fake.calls:
                if c.method == "sendMessage" and c.status == 200 and "Mã theo dõi: " in c.text:
                    shown[c.params["chat_id"]] = (c.text.split("Mã theo dõi: ")[1].split()[0], c.at)
            return shown

        await fake.wait_for(lambda: len(codes_shown()) >= citizens, timeout=1800, what="every code shown")
        confirmed_in = max(at for _, at in codes_shown().values()) - began

        def arrivals() -> dict[str, float]:
            return {c.text.split(NEW, 1)[1].split()[0]: c.at for c in fake.calls
                    if c.method == "sendMessage" and c.status == 200 and NEW in c.text}

        await fake.wait_for(lambda: len(arrivals()) >= citizens, timeout=1800, what="every petition forwarded")
        await fake.wait_for(lambda: sum(1 for c in fake.calls if c.status == 200 and "Đã chuyển đơn vị xử lý" in c.text)
                            >= citizens, timeout=1800, what="every citizen told")
        all_in = time.monotonic() - began
        shown, arrived = codes_shown(), arrivals()
        delays = [arrived[code] - at for code, at in shown.values() if code in arrived]
        memory = [peak_mib(p) for p in processes]
        for process in processes:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        print(f"{label}: {citizens} petitions to {units} units: {citizens / confirmed_in:.0f} petitions/s "
              f"confirmed ({confirmed_in:.1f} s); confirmation to the unit's chat p50 {statistics.median(delays):.1f} s, "
              f"p99 {percentile(delays, 0.99):.1f} s; everything delivered in {all_in:.0f} s; "
              f"429s provoked: {fake.too_many} {dict(fake.too_many_by_chat.most_common(3))}; peak memory per process: "
              + ", ".join(f"{m:.0f} MiB" for m in memory), flush=True)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=1000)
    parser.add_argument("--units", type=int, default=50)
    args = parser.parse_args()
    await run("SQLite, 1 process, polling", args.citizens, args.units, 0, None)
    with PostgresServer() as pg:
        await run("PostgreSQL, 2 processes, webhook", args.citizens, args.units, 2, pg.new_database())


if __name__ == "__main__":
    asyncio.run(main())
