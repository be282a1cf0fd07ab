"""Choose the answer-or-fall-back thresholds on data, with cross-validation.

    python bench/fit_decision.py [--folds 5]

Every development question we have is used: ../shared/eval/field_qa.jsonl (when it
is there) and bench/data/{dev,probe,probe2,probe3,probe5,...,probe10}_qa.jsonl.  The held-out
probe set (probe4) is never used here.  For each fold, the grid point with
the best worst-side accuracy (in scope vs out of scope, then the mean) on the
other folds is scored on the fold; the mean of those is the honest figure.  The
grid point best on all the data is printed last: its values go into
``bot.matcher.Thresholds`` with the figures beside them.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import random
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.assistant import Assistant  # noqa: E402
from bot.evaluation import Row, is_right, load_rows  # noqa: E402
from bot.matcher import Thresholds  # noqa: E402

SETS = [ROOT.parent / "shared" / "eval" / "field_qa.jsonl"] + [
    ROOT / "bench" / "data" / f"{name}_qa.jsonl"
    for name in ("dev", "probe", "probe2", "probe3", "probe5", "probe6", "probe7", "probe8", "probe9", "probe10")
]
GRID = {
    "answer": (0.33, 0.36, 0.39),
    "coverage": (0.35, 0.45, 0.55),
    "passage_coverage": (0.2, 0.3, 0.4),
    "passage_score": (12.0, 16.0, 20.0, 25.0),
    "quote_coverage": (0.1, 0.2),
}


def objective(rows: list[Row], results: dict[str, bool]) -> tuple[float, float, float, float]:
    ins = [results[r.id] for r in rows if r.expect == "answer"]
    outs = [results[r.id] for r in rows if r.expect != "answer"]
    a, b = sum(ins) / max(len(ins), 1), sum(outs) / max(len(outs), 1)
    return min(a, b), (a + b) / 2, a, b


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    rows: list[Row] = []
    for path in SETS:
        if path.exists():
            rows += [replace(r, id=f"{path.stem}:{r.id}") for r in load_rows(path)]
    assistant = Assistant.load(ROOT / "content", ROOT / "intents")
    # Scoring does not depend on the thresholds: compute it once per question.
    assistant.matcher.candidates = functools.lru_cache(maxsize=None)(assistant.matcher.candidates)
    original = assistant.passages.search
    search = functools.lru_cache(maxsize=None)(
        lambda text, limit, areas, max_chars, excerpts, documents: original(
            text, limit, set(areas) if areas else None, max_chars, excerpts, set(documents) if documents else None))
    assistant.passages.search = lambda text, limit=5, areas=None, max_chars=700, excerpts=True, documents=None: search(
        text, limit, tuple(sorted(areas)) if areas else None, max_chars, excerpts,
        tuple(sorted(documents)) if documents else None)
    points = [dict(zip(GRID, values)) for values in itertools.product(*GRID.values())]
    table: list[dict[str, bool]] = []
    for point in points:
        assistant.matcher.t = replace(Thresholds(), **point)
        assistant._recent.clear()
        results = {}
        for row in rows:
            reply = assistant.ask(row.q)
            results[row.id] = is_right(row, reply.kind, reply.answer)
        table.append(results)
    order = list(range(len(rows)))
    random.Random(1).shuffle(order)
    folds = [[rows[i] for i in order[k:: args.folds]] for k in range(args.folds)]
    cv = []
    for k, fold in enumerate(folds):
        train = [r for j, f in enumerate(folds) if j != k for r in f]
        best = max(range(len(points)), key=lambda i: objective(train, table[i])[:2])
        cv.append(objective(fold, table[best]))
        print(f"fold {k + 1}: {points[best]} -> in {cv[-1][2]:.3f} out {cv[-1][3]:.3f}")
    n = len(cv)
    print(f"cross-validated: in scope {sum(c[2] for c in cv) / n:.3f}, out of scope {sum(c[3] for c in cv) / n:.3f}"
          f" ({len(rows)} questions, {args.folds} folds, {len(points)} grid points)")
    ranked = sorted(range(len(points)), key=lambda i: objective(rows, table[i])[:2], reverse=True)
    for i in ranked[:5]:
        _, _, a, b = objective(rows, table[i])
        print(f"all data: in {a:.3f} out {b:.3f} {points[i]}")


if __name__ == "__main__":
    main()
