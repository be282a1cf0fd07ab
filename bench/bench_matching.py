"""Matching quality and speed, beside a plain baseline, on the development set.

    python bench/bench_matching.py [--repeat N]

Question sets: bench/data/dev_qa.jsonl as written, without diacritics, with one
typo per question; bench/data/probe_qa.jsonl and probe2_qa.jsonl (85 and 45
questions written after the thresholds were tuned, in other styles, to check
how far the tuning carries); probe3_qa.jsonl (82 questions written in a later
session before looking at the matcher again: its first run gave 60/64 in scope
and 16/18 out of scope; fixes followed (bench/README.md), so it is no longer unseen);
and ../shared/eval/sample_qa.jsonl when it is there.  The
baseline is rapidfuzz WRatio against the raw (unnormalised) intent examples,
with its threshold chosen on the same data (its best case).  Figures are
printed last, as plain numbers.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from bot.assistant import Assistant  # noqa: E402
from bot.evaluation import Row, is_right, load_rows, score, with_typos, without_diacritics  # noqa: E402


class Baseline:
    """rapidfuzz on raw text: the closest example by WRatio, or a fallback under a threshold."""

    def __init__(self, assistant: Assistant, threshold: float) -> None:
        self.assistant = assistant
        self.threshold = threshold
        self.examples: list[str] = []
        self.owner: list[str] = []
        for intent in assistant.intents.values():
            for example in intent.examples:
                self.examples.append(example)
                self.owner.append(intent.id)

    def ask(self, question: str) -> tuple[str, str]:
        found = process.extractOne(question, self.examples, scorer=fuzz.WRatio)
        if not found or found[1] < self.threshold:
            return "fallback", ""
        reply = self.assistant.answer_intent(self.owner[found[2]])
        return reply.kind, reply.answer


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5, help="timing passes over every question")
    args = parser.parse_args()

    started = time.perf_counter()
    assistant = Assistant.load(ROOT / "content", ROOT / "intents")
    load_seconds = time.perf_counter() - started
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    dev = load_rows(ROOT / "bench" / "data" / "dev_qa.jsonl")
    sets: dict[str, list[Row]] = {
        "dev (as written)": dev,
        "dev without diacritics": without_diacritics(dev),
        "dev with a typo each": with_typos(dev),
    }
    probe = load_rows(ROOT / "bench" / "data" / "probe_qa.jsonl")
    sets["probe (after tuning)"] = probe
    sets["probe without diacritics"] = without_diacritics(probe)
    probe2 = load_rows(ROOT / "bench" / "data" / "probe2_qa.jsonl")
    sets["probe 2 (after tuning)"] = probe2
    sets["probe 2 without diacritics"] = without_diacritics(probe2)
    probe3 = load_rows(ROOT / "bench" / "data" / "probe3_qa.jsonl")
    sets["probe 3 (after tuning)"] = probe3
    sets["probe 3 without diacritics"] = without_diacritics(probe3)
    # probe 4: written by a helper from the seeds alone, never shown the intents; first run 57.8% / 80.0%
    # on the code before the passage ranking (bench/README.md); not looked at question by question until the
    # eighth session listed its misses with every other set's.
    sets["probe 4 (read once)"] = load_rows(ROOT / "bench" / "data" / "probe4_qa.jsonl")
    # probe 5: a second helper's 120, written later; first run 71.1% / 56.7%, then its out-of-scope
    # misses were read for kinds of failure, so it is development data now.
    sets["probe 5 (read once)"] = load_rows(ROOT / "bench" / "data" / "probe5_qa.jsonl")
    # probe 6: a third helper's 90 (fourth session); first run, on that session's starting code, 81.8% / 75.0%;
    # then read for kinds of failure (tempting out-of-scope questions, a named document's own date).
    sets["probe 6 (read once)"] = load_rows(ROOT / "bench" / "data" / "probe6_qa.jsonl")
    # probe 7: a fourth helper's 90 from the seeds alone (fifth session); first run, on that session's
    # code before its one round of guard changes, 84.8% / 70.8%; its out-of-scope misses then read for kinds.
    sets["probe 7 (read once)"] = load_rows(ROOT / "bench" / "data" / "probe7_qa.jsonl")
    # probe 8: a fifth helper's 90 from the seeds alone (seventh session); first run, on that session's
    # starting code, 87.9% / 79.2%; its out-of-scope misses then read for kinds.
    sets["probe 8 (read once)"] = load_rows(ROOT / "bench" / "data" / "probe8_qa.jsonl")
    # probe 9: a sixth helper's 96 from the seeds alone (eighth session); first run, on that session's
    # starting code, 83.3% / 91.7%; its misses then read for kinds.
    sets["probe 9 (read once)"] = load_rows(ROOT / "bench" / "data" / "probe9_qa.jsonl")
    # probe 10: a seventh helper's 96 (eighth session, written mid-session); first run, on 7d05fa7
    # (after the session's first round, which it never saw), 81.9% / 66.7%; then read for kinds.
    sets["probe 10 (read once)"] = load_rows(ROOT / "bench" / "data" / "probe10_qa.jsonl")
    sample = ROOT.parent / "shared" / "eval" / "sample_qa.jsonl"
    if sample.exists():
        sets["shared sample"] = load_rows(sample)
    field = ROOT.parent / "shared" / "eval" / "field_qa.jsonl"
    if field.exists():
        sets["field_qa"] = load_rows(field)
    everything = [row for rows in sets.values() for row in rows]

    def ours(question: str) -> tuple[str, str]:
        reply = assistant.ask(question)
        return reply.kind, reply.answer

    best_threshold, best = 0.0, -1.0
    for threshold in range(50, 100, 5):
        s, _ = score(everything, Baseline(assistant, threshold).ask)
        if min(s.in_scope_accuracy, s.out_scope_accuracy) > best:
            best_threshold, best = threshold, min(s.in_scope_accuracy, s.out_scope_accuracy)
    baseline = Baseline(assistant, best_threshold)

    lines = []
    for name, rows in sets.items():
        for label, ask in (("assistant", ours), (f"baseline (WRatio >= {best_threshold})", baseline.ask)):
            s, _ = score(rows, ask)
            lines.append(
                f"{name:<24} {label:<26} in-scope {s.in_scope_accuracy:6.1%} ({s.in_scope_right}/{s.in_scope})  "
                f"out-of-scope {s.out_scope_accuracy:6.1%} ({s.out_scope_right}/{s.out_scope})  "
                f"fallback precision {s.fallback_precision:6.1%} recall {s.fallback_recall:6.1%}"
            )

    by_style = []
    for name in ("field_qa", "probe 4 (read once)", "probe 5 (read once)", "probe 6 (read once)", "probe 7 (read once)",
                 "probe 8 (read once)", "probe 9 (read once)", "probe 10 (read once)"):
        for side in ("answer", "fallback"):
            tally: dict[str, list[bool]] = {}
            for row in sets.get(name, []):
                if row.expect == side:
                    kind, answer = ours(row.q)
                    tally.setdefault(row.style or "?", []).append(is_right(row, kind, answer))
            by_style.append(f"{name:<20} {'in scope' if side == 'answer' else 'out of scope':<13} " + "  ".join(
                f"{style} {sum(v)}/{len(v)}" for style, v in sorted(tally.items())))

    questions = [row.q for row in everything]
    for question in questions:  # warm the caches a running bot would have warm
        assistant.ask(question)
    timings: dict[str, list[float]] = {"ask (full reply)": [], "match (intent scoring only)": [], "baseline": []}
    for _ in range(args.repeat):
        for question in questions:
            assistant._recent.clear()  # time matching itself, not the cache of recent replies
            t0 = time.perf_counter()
            assistant.ask(question)
            t1 = time.perf_counter()
            assistant.matcher.candidates(question)
            t2 = time.perf_counter()
            baseline.ask(question)
            t3 = time.perf_counter()
            timings["ask (full reply)"].append(t1 - t0)
            timings["match (intent scoring only)"].append(t2 - t1)
            timings["baseline"].append(t3 - t2)

    print(f"questions: {len(everything)} ({', '.join(f'{k}: {len(v)}' for k, v in sets.items())})")
    print(f"intents: {len(assistant.intents)}, examples: {len(assistant.matcher._examples)}, "
          f"passages: {len(assistant.passages.passages)}")
    for line in lines:
        print(line)
    for line in by_style:
        print(line)
    for name, values in timings.items():
        ms = [v * 1000 for v in values]
        print(f"latency {name:<28} p50 {percentile(ms, 50):.3f} ms  p95 {percentile(ms, 95):.3f} ms  "
              f"p99 {percentile(ms, 99):.3f} ms  mean {statistics.fmean(ms):.3f} ms")
    print(f"load time {load_seconds:.2f} s, peak RSS {rss_mib:.0f} MiB")


if __name__ == "__main__":
    main()
