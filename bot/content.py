"""Source documents and their sections, loaded from ``content/*.md``.

Each file starts with YAML front matter (id, title, short, issuer, number,
date, locality, period, kind, and the names
people call it by) and is cut into sections by headings of the form
``## II.3. Title {#anchor}``.  A section's id is ``doc-id#anchor``; that id is
what intents cite and what answers show as "document, section".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

_HEADING = re.compile(r"^(#{2,6})\s+(.*?)\s*\{#([a-z0-9-]+)\}\s*$")
_LABEL = re.compile(r"^((?:[IVX]+|\d+)(?:\.\d+)*)\.\s+")
REQUIRED_META = ("id", "area", "title", "short", "issuer", "locality", "kind", "cited")


CARD_ANCHOR = "thong-tin"
RECIPIENTS_ANCHOR = "noi-nhan"  # "Kính gửi", "Nơi nhận": whom a document was sent to
# A footnote: "Chú thích ⁵: Số 386-KL/TU ..." or "¹ Quyết định số 935-QĐ/TU ..."; its marker in the text: "⁵".
_NOTE = re.compile(r"^(?:Chú thích:?\s*)?([¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*:?\s*(.+)$", re.S)
_MARKER = re.compile(r"(?<=\w)[¹²³⁴⁵⁶⁷⁸⁹⁰]+|(?<=[”\"\)])[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
CARD_TITLE = "Thông tin văn bản"


class ContentError(ValueError):
    """A content file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Document:
    id: str
    area: str  # locality code: hcm | laichau | dongnai
    title: str
    short: str
    issuer: str
    number: str
    date: str
    locality: str
    kind: str
    period: str
    path: Path
    signer: str = ""
    received: str = ""
    names: tuple[str, ...] = ()  # how people name the document, to tell which one is asked
    # How people name what it implements ("Nghị quyết 43" for the city's programme for it): the question
    # is about this document's content, but its particulars are not this document's.
    implements: tuple[str, ...] = ()
    cited: str = ""  # how a citation names it: kind, number, date and issuer, as far as the document gives them

    def card(self) -> str:
        """What the front matter says of the document itself, as text to search and quote: particulars first."""
        named = f"{self.kind} số {self.number}" if self.number else self.kind
        parts = [f"{named} của {self.issuer}"]
        if self.date:  # as the document writes it, then as a date
            day, month, year = self.date.split("/")
            parts.append(f"ban hành ngày {day} tháng {month} năm {year} ({self.date})")
        if self.signer:
            parts.append(f"người ký: {self.signer}")
        if self.received:
            parts.append(f"đóng dấu công văn đến: {self.received}")
        if self.period:
            parts.append(f"giai đoạn {self.period}" if "-" in self.period else f"năm {self.period}")
        return "; ".join(parts) + f". Tên văn bản: “{self.title}”."

    @property
    def years(self) -> range:
        """Years the document speaks for ("2020-2025" -> 2020..2025)."""
        found = [int(y) for y in re.findall(r"\d{4}", self.period)]
        return range(min(found), max(found) + 1) if found else range(0)


@dataclass(frozen=True)
class Section:
    id: str  # "doc#anchor"
    doc: Document
    anchor: str
    title: str
    label: str  # "II.3" or "" when the heading has no number
    level: int
    line: int
    paragraphs: tuple[str, ...] = field(default=())

    @property
    def citation(self) -> str:
        """Where an official finds it: the document (kind, number, date, issuer) and the section, with its heading."""
        return f"{self.doc.cited}, {self.where}"

    @property
    def where(self) -> str:
        return f"mục {self.label} “{self.title}”" if self.label else f"phần “{self.title}”"

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Library:
    documents: dict[str, Document]
    sections: dict[str, Section]

    def section(self, section_id: str) -> Section:
        return self.sections[section_id]


def is_footnote(paragraph: str) -> bool:
    return _NOTE.match(paragraph) is not None


def footnote(paragraph: str) -> str:
    """A footnote paragraph as shown beside the text that refers to it: "⁵ Số 386-KL/TU ..." ("" if not one)."""
    found = _NOTE.match(paragraph)
    return f"{found.group(1)} {found.group(2).strip()}" if found else ""


def note_markers(paragraph: str) -> list[str]:
    """The footnote markers a paragraph of text carries ("… Thành ủy⁵ về …" -> ["⁵"])."""
    return [] if is_footnote(paragraph) else _MARKER.findall(paragraph)


def footnotes(library: Library) -> dict[tuple[str, str], str]:
    """(document, marker) -> its footnote, as :func:`footnote` shows it (markers restart in each document)."""
    return {
        (section.doc.id, _NOTE.match(text).group(1)): footnote(text)
        for section in library.sections.values() for text in section.paragraphs if is_footnote(text)
    }


def _front_matter(path: Path, text: str) -> tuple[dict[str, str], list[str], int]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(f"{path}:1: missing front matter (a first line '---')")
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise ContentError(f"{path}:1: front matter is not closed by '---'") from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: front matter is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise ContentError(f"{path}:2: front matter must be a mapping")
    for key in REQUIRED_META:
        if not str(meta.get(key) or "").strip():
            raise ContentError(f"{path}: front matter lacks '{key}'")
    return {k: v if isinstance(v, list) else str(v or "") for k, v in meta.items()}, lines[end + 1 :], end + 2


def _phrases(meta: dict, key: str, path: Path) -> tuple[str, ...]:
    given = meta.get(key, [])
    if not isinstance(given, list) or not all(isinstance(p, str) and p.strip() for p in given):
        raise ContentError(f"{path}: '{key}' must be a list of phrases")
    return tuple(given)


def load_document(path: Path) -> tuple[Document, list[Section]]:
    meta, body, first_line = _front_matter(path, path.read_text(encoding="utf-8"))
    doc = Document(
        id=meta["id"], area=meta["area"], title=meta["title"], short=meta["short"], issuer=meta["issuer"],
        number=meta.get("number", ""), date=meta.get("date", ""), locality=meta["locality"],
        kind=meta["kind"], period=meta.get("period", ""), path=path,
        signer=meta.get("signer", ""), received=meta.get("received", ""),
        names=_phrases(meta, "names", path), implements=_phrases(meta, "implements", path), cited=meta["cited"],
    )
    for given in (doc.number, doc.date):  # a citation names what the document gives, and nothing else
        if given and given not in doc.cited:
            raise ContentError(f"{path}: 'cited' lacks the document's own {given!r}")
    # The document's own particulars (number, date, signer) are a section too: "ai ký", "ban hành ngày nào".
    sections: list[Section] = [Section(
        id=f"{doc.id}#{CARD_ANCHOR}", doc=doc, anchor=CARD_ANCHOR, title=CARD_TITLE, label="", level=2,
        line=2, paragraphs=(doc.card(),),
    )]
    current: dict | None = None
    paragraphs: list[str] = []

    def close() -> None:
        if current is not None:
            sections.append(Section(doc=doc, paragraphs=tuple(paragraphs), **current))

    for offset, line in enumerate(body):
        line = line.strip()
        match = _HEADING.match(line)
        if match:
            close()
            hashes, title, anchor = match.groups()
            label_match = _LABEL.match(title)
            current = {
                "id": f"{doc.id}#{anchor}", "anchor": anchor, "level": len(hashes),
                "label": label_match.group(1) if label_match else "",
                "title": title[label_match.end():] if label_match else title,
                "line": first_line + offset,
            }
            paragraphs = []
        elif line.startswith("#"):
            raise ContentError(f"{path}:{first_line + offset}: heading without an id {{#...}}: {line[:60]}")
        elif line:
            if current is None:
                raise ContentError(f"{path}:{first_line + offset}: text before the first heading")
            paragraphs.append(line)
    close()
    return doc, sections


def load_library(directory: Path) -> Library:
    documents: dict[str, Document] = {}
    sections: dict[str, Section] = {}
    files = sorted(directory.glob("*.md"))
    if not files:
        raise ContentError(f"{directory}: no content files (*.md)")
    for path in files:
        doc, doc_sections = load_document(path)
        if doc.id in documents:
            raise ContentError(f"{path}: document id '{doc.id}' is also used by {documents[doc.id].path}")
        documents[doc.id] = doc
        for section in doc_sections:
            if section.id in sections:
                raise ContentError(f"{path}:{section.line}: section id '{section.id}' is used twice")
            sections[section.id] = section
    return Library(documents=documents, sections=sections)
