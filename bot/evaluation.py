"""Judging replies against a question set in the format of ``eval/sample_qa.jsonl``.

A row is ``{"id", "q", "expect": "answer"|"fallback", "must": [phrases]}``.  An
in-scope row is right when the reply is an answer containing every phrase
(case-insensitive, as the documents write them); an out-of-scope row is right
when the reply is a fallback or small talk.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.text import lower, strip_accents


@dataclass(frozen=True)
class Row:
    id: str
    q: str
    expect: str
    must: tuple[str, ...]
    style: str = ""


def load_rows(path: Path) -> list[Row]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        data = json.loads(line)
        if data.get("expect") not in ("answer", "fallback"):
            raise ValueError(f"{path}:{number}: 'expect' must be 'answer' or 'fallback'")
        rows.append(Row(str(data["id"]), data["q"], data["expect"], tuple(data.get("must", [])), data.get("style", "")))
    return rows


def spellings(phrase: str) -> set[str]:
    """A key phrase and the equivalent ways an answer may write it ("18 tháng 5" is "18/5"; "7.593" is "7593")."""
    out = {lower(phrase)}
    day_month = re.fullmatch(r"(\d{1,2}) tháng (\d{1,2})", phrase)
    if day_month:
        d, m = int(day_month[1]), int(day_month[2])
        out |= {f"{d}/{m}", f"{d:02d}/{m:02d}", f"{d}/{m:02d}", f"{d:02d}/{m}"}
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", phrase):
        out |= {phrase.replace(".", ""), phrase.replace(".", ",")}
    return out


def is_right(row: Row, kind: str, answer: str) -> bool:
    """As the held-out sets are graded: an answer holding every key phrase, or an honest fallback."""
    if row.expect == "fallback":
        return kind in ("fallback", "smalltalk")
    text = " ".join(lower(answer).split())
    return kind == "answer" and all(any(s in text for s in spellings(phrase)) for phrase in row.must)


def without_diacritics(rows: Iterable[Row]) -> list[Row]:
    return [Row(f"{r.id}-nd", strip_accents(r.q), r.expect, r.must) for r in rows]


def with_typos(rows: Iterable[Row], seed: int = 7) -> list[Row]:
    """One slip per question (a dropped, doubled or swapped letter in a long word), as thumbs make."""
    rng = random.Random(seed)
    out = []
    for r in rows:
        words = r.q.split()
        long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if long_words:
            i = rng.choice(long_words)
            w = words[i]
            j = rng.randrange(1, len(w) - 1)
            slip = rng.choice(("drop", "double", "swap"))
            if slip == "drop":
                w = w[:j] + w[j + 1 :]
            elif slip == "double":
                w = w[:j] + w[j] + w[j:]
            else:
                w = w[: j - 1] + w[j] + w[j - 1] + w[j + 1 :]
            words[i] = w
        out.append(Row(f"{r.id}-typo", " ".join(words), r.expect, r.must))
    return out


@dataclass(frozen=True)
class Score:
    total: int
    right: int
    in_scope: int
    in_scope_right: int
    out_scope: int
    out_scope_right: int
    fallback_precision: float  # of the replies that fell back, the share that should have
    fallback_recall: float  # of the out-of-scope questions, the share that fell back

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    @property
    def in_scope_accuracy(self) -> float:
        return self.in_scope_right / self.in_scope if self.in_scope else 0.0

    @property
    def out_scope_accuracy(self) -> float:
        return self.out_scope_right / self.out_scope if self.out_scope else 0.0


def score(rows: list[Row], ask: Callable[[str], tuple[str, str]]) -> tuple[Score, list[tuple[Row, str, str]]]:
    """Run every row through ``ask(q) -> (kind, answer)``; the score and the rows gotten wrong."""
    wrong: list[tuple[Row, str, str]] = []
    fell_back = fell_back_rightly = 0
    counts = {"answer": [0, 0], "fallback": [0, 0]}
    for row in rows:
        kind, answer = ask(row.q)
        right = is_right(row, kind, answer)
        counts[row.expect][0] += 1
        counts[row.expect][1] += right
        if kind in ("fallback", "smalltalk"):
            fell_back += 1
            fell_back_rightly += row.expect == "fallback"
        if not right:
            wrong.append((row, kind, answer))
    out_total, out_right = counts["fallback"]
    in_total, in_right = counts["answer"]
    return (
        Score(
            total=len(rows), right=in_right + out_right, in_scope=in_total, in_scope_right=in_right,
            out_scope=out_total, out_scope_right=out_right,
            fallback_precision=fell_back_rightly / fell_back if fell_back else 1.0,
            fallback_recall=out_right / out_total if out_total else 1.0,
        ),
        wrong,
    )
