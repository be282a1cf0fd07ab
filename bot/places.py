"""The places: one table of the documents' three localities and of the places they do not speak for,
used by matching, answers and the bot alike; and an answer that speaks of several read for one.

Many answers give each locality's facts on a line of its own ("• TP. Lai Châu (năm 2023): ...").
A question that names one place gets that place's lines (and the lines about none);
a user whose place is known gets it first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text import fold


@dataclass(frozen=True)
class Place:
    code: str
    name: str  # as answers name it: Lai Châu's document is the city's
    choice: str  # on the buttons where a user picks a place
    said: tuple[str, ...]  # how questions name it (folded)
    # Since 1 July 2025 (34 provinces, no district level): what merged into it, folded.  The documents
    # predate it: their figures are for the old boundaries.
    merged_2025: tuple[str, ...] = ()


PLACES = (
    Place("hcm", "TP. Hồ Chí Minh", "TP. Hồ Chí Minh", ("ho chi minh", "sai gon", "thu duc", "thanh pho mang ten bac"),
          ("binh duong", "thu dau mot", "ba ria vung tau", "ba ria", "vung tau")),
    Place("laichau", "TP. Lai Châu", "Lai Châu", ("lai chau",)),
    Place("dongnai", "Đồng Nai", "Đồng Nai", ("dong nai", "bien hoa"), ("binh phuoc", "dong xoai")),
)
CODES = tuple(p.code for p in PLACES)
NAMES = {p.code: p.name for p in PLACES}
CHOICES = {p.code: p.choice for p in PLACES}
MERGED_2025 = {area: p.code for p in PLACES for area in p.merged_2025}
# Provinces and cities the documents do not speak for, as written (matched folded).
OTHER_PLACE_NAMES = (
    "Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Thừa Thiên Huế", "An Giang", "Bà Rịa", "Vũng Tàu",
    "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định", "Bình Dương", "Bình Phước",
    "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Tháp", "Gia Lai",
    "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa",
    "Kiên Giang", "Kon Tum", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An",
    "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh",
    "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Tiền Giang",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái", "Nha Trang", "Đà Lạt",
)
OTHER_PLACES = tuple(dict.fromkeys(fold(name) for name in OTHER_PLACE_NAMES))
_WRITTEN = {fold(name): name for name in OTHER_PLACE_NAMES}
_MERGED = re.compile(r"\b(" + "|".join(sorted(MERGED_2025, key=len, reverse=True)) + r")\b")


def written(folded: str) -> str | None:
    """How a place the documents do not speak for is written ("ha noi" -> "Hà Nội")."""
    return _WRITTEN.get(folded)


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
