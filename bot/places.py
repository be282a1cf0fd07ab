"""The documents' own places, and an answer that speaks of several of them read for one.

Many answers give each locality's facts on a line of its own ("• Lai Châu (năm 2023): ...").
A question that names one place gets that place's lines (and the lines about none);
a user whose place is known gets it first.
"""

from __future__ import annotations

import re

NAMES = {"hcm": "TP. Hồ Chí Minh", "laichau": "TP. Lai Châu", "dongnai": "Đồng Nai"}
# Since 1 July 2025 (34 provinces, no district level): what merged into the documents' localities.
# The documents predate it: their figures are for the old boundaries.  Folded names.
MERGED_2025 = {
    "binh duong": "hcm", "thu dau mot": "hcm", "ba ria vung tau": "hcm", "ba ria": "hcm", "vung tau": "hcm",
    "binh phuoc": "dongnai", "dong xoai": "dongnai",
}
_MERGED = re.compile(r"\b(" + "|".join(sorted(MERGED_2025, key=len, reverse=True)) + r")\b")


def merged_area(folded: str) -> tuple[str, str] | None:
    """(folded name, locality code) of an area a folded question names that merged into one of the
    documents' localities in 2025, if it names one."""
    found = _MERGED.search(folded)
    return (found.group(1), MERGED_2025[found.group(1)]) if found else None
# How an answer line names the place it is about, after its bullet.
_LINE_PLACE = {
    "hcm": re.compile(r"^\s*(?:[•\-–]|\d+[.)])?\s*(?:TP\. ?Hồ Chí Minh|TP\.? ?HCM|Thành phố Hồ Chí Minh)\b"),
    "laichau": re.compile(r"^\s*(?:[•\-–]|\d+[.)])?\s*(?:TP\. )?(?:Thành ủy )?Lai Châu\b"),
    "dongnai": re.compile(r"^\s*(?:[•\-–]|\d+[.)])?\s*(?:Tỉnh )?Đồng Nai\b"),
}


def line_place(line: str) -> str | None:
    """The locality code a line of an answer is about, or None for a line about no one place."""
    return next((code for code, pattern in _LINE_PLACE.items() if pattern.match(line)), None)


def has_place_lines(answer: str) -> bool:
    return sum(1 for line in answer.split("\n") if line_place(line)) >= 2


def only(answer: str, place: str) -> str | None:
    """The answer with the lines about other places taken out; None when no line is about ``place``."""
    lines = answer.split("\n")
    if not any(line_place(line) == place for line in lines):
        return None
    return "\n".join(line for line in lines if line_place(line) in (None, place))


def first(answer: str, place: str) -> str:
    """The answer with the lines about ``place`` moved before the other places' lines."""
    lines = answer.split("\n")
    placed = [i for i, line in enumerate(lines) if line_place(line)]
    if not placed:
        return answer
    block = [lines[i] for i in placed]
    ordered = [l for l in block if line_place(l) == place] + [l for l in block if line_place(l) != place]
    for i, line in zip(placed, ordered):
        lines[i] = line
    return "\n".join(lines)
