"""Deadlines as the documents give them: their words, once or within their period, quarters as quarters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.content import load_library
from bot.deadlines import DeadlineError, load_deadlines

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def library():
    return load_library(ROOT / "content")


def _one(tmp_path: Path, library, body: str):
    path = tmp_path / "deadlines.yaml"
    path.write_text("deadlines:\n  - id: x\n    title: X\n    locality: hcm\n" + body, encoding="utf-8")
    return load_deadlines(path, library)


def test_the_shipped_deadlines_are_each_place_s_as_written(library):
    deadlines = {d.id: d for d in load_deadlines(ROOT / "content" / "deadlines.yaml", library)}
    assert {d.locality for d in deadlines.values()} == {"hcm", "laichau", "dongnai"}
    quarters = [d.quarter for d in deadlines.values() if d.locality == "dongnai" and d.quarter]
    assert quarters == ["II/2021", "III/2021", "IV/2021", "II/2025", "IV/2025"]
    five = deadlines["hcm-5khong-6thang"]
    assert five.next_due(dt.date(2023, 5, 1)) == dt.date(2023, 5, 18)
    assert five.next_due(dt.date(2023, 5, 19)) is None  # Hướng dẫn 11 is for 2023: it does not come again
    november = deadlines["hcm-danvan-thang11"]
    assert november.next_due(dt.date(2024, 11, 2)) == dt.date(2025, 11, 1)
    assert november.next_due(dt.date(2025, 11, 2)) is None  # past the 2020-2025 programme
    assert november.status(dt.date(2024, 12, 1)) == "lần tới: tháng 11/2025"  # a month, not a day it never gives
    assert deadlines["hcm-nq43-quy1-2024"].status(dt.date(2026, 12, 1)) == "đã qua"


@pytest.mark.parametrize(("body", "error"), [
    ("    written: \"trước ngày 18 tháng 5\"\n    date: 2023-05-18\n    source: hcm-hd11-5khong#tc-3\n", "not the words"),
    ("    written: \"ngày 18 tháng 5\"\n    date: 2023-05-18\n    month: 5\n    source: hcm-hd11-5khong#tc-3\n",
     "exactly one"),
    ("    written: \"quý I năm 2024\"\n    quarter: Q1-2024\n    source: hcm-nq43#tc-1\n", "II/2021"),
    ("    written: \"quý I năm 2024\"\n    quarter: I/2024\n    source: hcm-nq43#khong-co\n", "unknown source"),
    ("    written: \"ngày 18 tháng 5\"\n    date: 2023-05-18 10:00:00\n    source: hcm-hd11-5khong#tc-3\n", "a day"),
])
def test_a_deadline_not_as_its_document_gives_it_is_refused(tmp_path, library, body, error):
    with pytest.raises(DeadlineError, match=error):
        _one(tmp_path, library, body)


def test_a_deadline_for_a_place_that_is_not_one_of_ours_is_refused(tmp_path, library):
    path = tmp_path / "deadlines.yaml"
    path.write_text("deadlines:\n  - id: x\n    title: X\n    locality: hanoi\n    written: \"quý I năm 2024\"\n"
                    "    quarter: I/2024\n    source: hcm-nq43#tc-1\n", encoding="utf-8")
    with pytest.raises(DeadlineError, match="locality"):
        load_deadlines(path, library)
