"""Start-up time and memory of the bot with all content loaded.

    python bench/bench_startup.py [--runs 5]

Starts `danvan run` against the fake Bot API, measures the time from the
process start to its first getUpdates (it is then ready), and reads its
resident memory then.  Prints the median and the worst of the runs, last.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.testing.fake_telegram import TOKEN, FakeTelegram  # noqa: E402


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_run() -> tuple[float, float]:
    with FakeTelegram() as fake, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url,
               "DANVAN_DB": str(Path(tmp) / "s.db")}
        env.pop("DANVAN_CONFIG", None)
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while not fake.polled and time.monotonic() - started < 60:
                time.sleep(0.005)
            ready = fake.polled_at - started
            memory = rss_mib(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    return ready, memory


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = [one_run() for _ in range(parser.parse_args().runs)]
    times, memory = [r[0] for r in runs], [r[1] for r in runs]
    print(f"start-up to first getUpdates: median {statistics.median(times):.2f} s, worst {max(times):.2f} s")
    print(f"resident memory when ready: median {statistics.median(memory):.0f} MiB, worst {max(memory):.0f} MiB")


if __name__ == "__main__":
    main()
