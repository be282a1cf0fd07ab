"""content/ loses nothing of the documents: every word of each seed's body is there, as often.

The seeds are the documents as received (../shared/seeds); content/ is what the assistant
quotes.  Headings keep their text, OCR slips are fixed only through the logged fix lists of
tools/seed_to_content.py, and what is moved (the header, the signature, the recipients) is
outside the bodies compared here.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
_spec = importlib.util.spec_from_file_location("seed_to_content", ROOT / "tools" / "seed_to_content.py")
tool = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = tool  # its dataclasses look their module up
_spec.loader.exec_module(tool)


def _words(text: str) -> Counter:
    text = re.sub(r"<sup>\d+</sup>", " ", unicodedata.normalize("NFC", text).lower().replace("*", ""))
    # Roman list numbers ("II-") become our section labels ("## II."): the same numbers, in other places.
    # Every figure, date and document number is counted.
    return Counter(w for w in re.findall(r"\w+", text) if not re.fullmatch(r"[ivx]+", w))


def _seed_body(doc) -> str:
    text = unicodedata.normalize("NFC", (SEEDS / doc.seed).read_text(encoding="utf-8"))
    if doc.cut:
        start = text.index(doc.cut[0])
        text = text[start:text.index(doc.cut[1], start + 1) if doc.cut[1] else len(text)]
    for old, new in doc.fixes + tool.COMMON_FIXES:  # the logged OCR fixes, and only those
        text = re.sub(old[3:], new, text, flags=re.S) if old.startswith("re:") else text.replace(old, new)
    lines = [tool.plain(line) for line in text.split("\n")]
    begin = next(i for i, line in enumerate(lines) if line.startswith(doc.start))
    end = next(i for i, line in enumerate(lines) if i > begin and line.startswith(doc.end))
    return "\n".join(lines[begin:end])


def test_the_seeds_are_beside_the_project():
    assert SEEDS.is_dir(), f"the documents as received are expected in {SEEDS} (see README)"


@pytest.mark.parametrize("doc", tool.DOCS, ids=lambda d: d.out)
def test_every_word_of_a_documents_body_is_in_content(doc):
    content = (ROOT / "content" / doc.out).read_text(encoding="utf-8").split("\n---\n", 1)[1]
    seed, kept = _words(_seed_body(doc)), _words(content)
    lost = {word: count - kept[word] for word, count in seed.items() if kept[word] < count}
    assert not lost, f"{doc.out} lacks words of {doc.seed}: {lost}"


def test_a_heading_shortened_by_hand_would_be_found(tmp_path):
    doc = next(d for d in tool.DOCS if d.out == "hcm-danvan.md")
    content = (ROOT / "content" / doc.out).read_text(encoding="utf-8")
    shortened = content.replace(", đảm bảo không phát sinh điểm nóng, phức tạp kéo dài trên địa bàn thành phố {#nv-4}",
                                " {#nv-4}")
    assert shortened != content
    seed, kept = _words(_seed_body(doc)), _words(shortened.split("\n---\n", 1)[1])
    assert kept["nóng"] < seed["nóng"]
