"""End-to-end throughput: questions through the real Application and a fake Bot API,
beside a bare python-telegram-bot echo bot on the same harness, in the same run.

The echo bot runs twice: as PTB comes (httpx), and on the assistant's own
transport (aiohttp, see bot/telegram/request.py).  The first ratio is the
assistant against the bare echo bot; the second, against the echo bot on the
same transport, is what the assistant's own work (matching, SQLite, rich
replies, per-user ordering) costs.

    python bench/bench_bot.py [--updates N]

Each bot runs in its own process (so memory figures are its own) against a fake
Bot API in a third process on 127.0.0.1 (as Telegram is elsewhere), holding N
queued private messages from 500 users: the development questions as written,
without diacritics and with a typo (597 distinct questions), in order, so that
a question comes again as often as in a run of N/597 rounds.  Throughput counts from the start of polling to the last reply
delivered.  Figures are printed last.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


KINDS = ("echo", "echo-aiohttp", "assistant")


def control(base_url: str, path: str, payload: object = None) -> object:
    request = urllib.request.Request(f"{base_url}/_control/{path}", data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read()).get("result")


async def measure(kind: str, updates: int, base_url: str) -> dict:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    from bot.evaluation import load_rows, with_typos, without_diacritics
    from bot.testing.fake_telegram import TOKEN
    from bot.testing.harness import running

    dev = load_rows(ROOT / "bench" / "data" / "dev_qa.jsonl")
    questions = list(dict.fromkeys(row.q for row in dev + without_diacritics(dev) + with_typos(dev)))
    with tempfile.TemporaryDirectory() as tmp:
        if kind.startswith("echo"):
            async def echo(update: Update, context) -> None:
                await update.effective_message.reply_text(update.effective_message.text)

            builder = ApplicationBuilder().token(TOKEN).base_url(f"{base_url}/bot")
            if kind == "echo-aiohttp":
                from bot.telegram.request import AiohttpRequest

                builder = builder.request(AiohttpRequest()).get_updates_request(AiohttpRequest(connection_pool_size=1))
            app = builder.build()
            app.add_handler(MessageHandler(filters.TEXT, echo))
        else:
            from bot.assistant import Assistant
            from bot.config import Settings
            from bot.deadlines import load_deadlines
            from bot.outbox import UNLIMITED
            from bot.telegram.app import build_application

            assistant = Assistant.load(ROOT / "content", ROOT / "intents")
            settings = Settings(token=TOKEN, api_base_url=base_url, db_path=Path(tmp) / "bench.db")
            # A short unanswerable message waits 3 s for the rest of its question (bot/dialogue.py): a
            # deliberate pause, not work, which would only stretch the clock here.
            app = build_application(settings, assistant, load_deadlines(ROOT / "content" / "deadlines.yaml", assistant.library),
                                    fragment_hold=0.0, pace=UNLIMITED)  # capacity; bench_scale.py: Telegram's pace
        control(base_url, "messages", [(10_000 + n % 500, questions[n % len(questions)]) for n in range(updates)])
        async with running(app, poll_timeout=1):
            started = time.perf_counter()
            # the fake answers once every reply is in: waiting costs the bot's process nothing
            await asyncio.to_thread(control, base_url, f"wait/sendMessage/{updates}")
            elapsed = time.perf_counter() - started
    return {"kind": kind, "updates": updates, "seconds": elapsed, "per_second": updates / elapsed,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--one", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(asyncio.run(measure(args.one, args.updates, args.base_url))))
        return
    results = {}
    for kind in KINDS + KINDS:  # interleaved, best of two each
        server = subprocess.Popen([sys.executable, "-m", "bot.testing.fake_telegram", "--lenient"], cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True)
        try:
            base_url = server.stdout.readline().strip()
            out = subprocess.run([sys.executable, __file__, "--one", kind, "--updates", str(args.updates),
                                  "--base-url", base_url], capture_output=True, text=True, check=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        if kind not in results or result["per_second"] > results[kind]["per_second"]:
            results[kind] = result
    echo, same, ours = results["echo"], results["echo-aiohttp"], results["assistant"]
    for r in (echo, same, ours):
        print(f"{r['kind']:<13} {r['updates']} updates in {r['seconds']:.2f} s: {r['per_second']:.0f} updates/s, "
              f"peak RSS {r['peak_rss_mib']:.0f} MiB")
    print(f"assistant / echo throughput ratio: {ours['per_second'] / echo['per_second']:.2f}")
    print(f"assistant / echo on the same transport (aiohttp): {ours['per_second'] / same['per_second']:.2f}")


if __name__ == "__main__":
    main()
