"""Grid search of the matcher's thresholds and weights on the development set.

    python bench/tune.py            # prints the best settings, best first

The development set (bench/data/dev_qa.jsonl) is scored as written, without
diacritics and with one typo per question; a setting is ranked by the lower of
its in-scope and out-of-scope accuracy (both must hold), then by the mean.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.assistant import Assistant  # noqa: E402
from bot.evaluation import load_rows, score, with_typos, without_diacritics  # noqa: E402
from bot.matcher import Thresholds  # noqa: E402


def main() -> None:
    assistant = Assistant.load(ROOT / "content", ROOT / "intents")
    rows = load_rows(ROOT / "bench" / "data" / "dev_qa.jsonl")
    rows = rows + without_diacritics(rows) + with_typos(rows)
    base = Thresholds()
    results = []
    grid = itertools.product(
        (0.30, 0.33, 0.36, 0.39),  # answer
        (0.45, 0.55, 0.65),  # coverage
        (0.005, 0.01, 0.015),  # clarify margin (0 would never ask)
        ((0.45, 0.30, 0.25), (0.35, 0.40, 0.25), (0.40, 0.30, 0.30)),
    )
    for answer, coverage, margin, (we, wb, wf) in grid:
        t = replace(base, answer=answer, coverage=coverage, clarify_margin=margin, w_example=we, w_bag=wb, w_fuzzy=wf)
        assistant.matcher.t = t
        assistant._recent.clear()  # replies depend on the thresholds being tried
        s, _ = score(rows, lambda q: (lambda r: (r.kind, r.answer))(assistant.ask(q)))
        results.append((min(s.in_scope_accuracy, s.out_scope_accuracy), s.accuracy, s.in_scope_accuracy, s.out_scope_accuracy, t))
    results.sort(key=lambda r: (r[0], r[1]), reverse=True)
    for worst, acc, ins, outs, t in results[:10]:
        print(f"in={ins:.3f} out={outs:.3f} answer={t.answer} coverage={t.coverage} margin={t.clarify_margin} "
              f"weights=({t.w_example}, {t.w_bag}, {t.w_fuzzy})")


if __name__ == "__main__":
    main()
