"""Checks of the shipped knowledge: intents against content, and intents against each other.

Each problem is a :class:`Problem` naming the file and line to fix.  Errors make
``danvan validate`` fail; warnings are printed but do not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot import messages
from bot.assistant import Assistant
from bot.content import (
    CARD_ANCHOR, RECIPIENTS_ANCHOR, ContentError, Library, Section, footnotes, load_library, note_markers,
)
from bot.intents import Intent, IntentError, load_intents
from bot.learning import LEARNED_FILE, out_of_scope, with_learned
from bot.store import Learned
from bot.paraphrase import FILE_NAME, ParaphraseError, load_paraphrases
from bot.text import fold, lower, utf16_len

TELEGRAM_LIMIT = 4096  # UTF-16 code units in one message
PHONE_SCREEN = 1600  # characters: longer answers are hard to read on a phone
MISPLACED_GAP = 0.15  # left out, an example another intent beats by this much is misplaced
# What an answer must take from the sections it cites: document numbers ("124-KH/TU"), shares ("trên 85%"),
# numbers of two digits and more (dates, years, counts: one-digit ones are mostly list numbers), quoted titles.
_DOCUMENT_NUMBER = re.compile(r"\b\d{1,4}(?:/\d{2,4})?-[A-ZĐa-zđ]+(?:/[A-ZĐa-zđ0-9]+)*")
_SHARE = re.compile(r"\d+(?:[.,]\d+)?\s?%")
_NUMBER = re.compile(r"\d+(?:[.,]\d{3})*")
_QUOTED = re.compile(r"“([^”]{4,})”")


@dataclass(frozen=True)
class Problem:
    level: str  # "error" | "warning" | "info"
    where: str  # "file:line"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: {self.message}"


def validate(content_dir: Path, intents_dir: Path, strict: bool = False,
             learned: Sequence[Learned] = ()) -> list[Problem]:
    """All problems found; ``strict`` also lists every lonely example (see below); ``learned``, what
    admins taught the assistant from the dashboard (the database's), is checked too."""
    try:
        library = load_library(content_dir)
    except ContentError as exc:
        return [Problem("error", str(content_dir), str(exc))]
    try:
        intents = load_intents(intents_dir)
    except IntentError as exc:
        where, _, message = str(exc).partition(": ")
        return [Problem("error", where, message)]
    problems: list[Problem] = []
    ids = {intent.id for intent in intents}
    seen_examples: dict[str, tuple[str, str]] = {}
    cited: set[str] = set()
    for intent in intents:
        at = f"{intent.file}:{intent.line}"
        for source in intent.sources:
            if source not in library.sections:
                problems.append(Problem("error", at, f"intent '{intent.id}' cites unknown section '{source}'"))
            cited.add(source)
        for related in intent.related:
            if related not in ids:
                problems.append(Problem("error", at, f"intent '{intent.id}' relates to unknown intent '{related}'"))
        for example, line in zip(intent.examples, intent.example_lines):
            key = fold(example)
            if key in seen_examples and seen_examples[key][0] != intent.id:
                other, other_at = seen_examples[key]
                problems.append(Problem(
                    "error", f"{intent.file}:{line}",
                    f"example “{example}” of '{intent.id}' is also an example of '{other}' ({other_at})",
                ))
            seen_examples.setdefault(key, (intent.id, f"{intent.file}:{line}"))
    problems.extend(_learned_problems_before(learned, intents))
    if any(p.level == "error" for p in problems):
        return problems
    assistant = Assistant(library, with_learned(intents, learned), out_of_scope=out_of_scope(learned))
    problems.extend(_learned_problems(assistant, learned))
    lonely: list[Problem] = []
    for intent in intents:
        at = f"{intent.file}:{intent.line}"
        text = assistant.answer_intent(intent.id).answer
        if utf16_len(text) > TELEGRAM_LIMIT:
            problems.append(Problem("error", at, f"answer of '{intent.id}' is {utf16_len(text)} UTF-16 units with its sources; Telegram allows {TELEGRAM_LIMIT}"))
        elif len(body := text.split(messages.SOURCE_HEADER)[0].rstrip()) > PHONE_SCREEN:
            problems.append(Problem("warning", at, f"answer of '{intent.id}' is {len(body)} characters before its sources; over {PHONE_SCREEN} is long on a phone"))
        if len(intent.title) > 90:
            problems.append(Problem("warning", at, f"title of '{intent.id}' is {len(intent.title)} characters; buttons cut titles over 90"))
        indexes = assistant.matcher.example_indexes(intent.id)
        for example, line, index in zip(intent.examples, intent.example_lines, indexes):
            if intent.kind != "answer":
                continue
            reply = assistant.ask(example)
            if reply.kind == "answer" and reply.intent not in (intent.id, None):
                problems.append(Problem(
                    "error", f"{intent.file}:{line}",
                    f"example “{example}” of '{intent.id}' is answered by '{reply.intent}': reword it or move it",
                ))
            # Left out, as if a user had typed it: does its intent still win?  An
            # example no other example of its intent backs up is a phrasing the
            # intent only knows by heart.
            _, cands = assistant.matcher.candidates(example, exclude=index)
            if not cands or cands[0].intent.id == intent.id:
                continue
            top3 = [c.intent.id for c in cands[:3]]
            own = next((c.score for c in cands if c.intent.id == intent.id), 0.0)
            if intent.id not in top3 and cands[0].score >= assistant.t.answer and cands[0].score - own >= MISPLACED_GAP:
                problems.append(Problem(
                    "error", f"{intent.file}:{line}",
                    f"example “{example}” of '{intent.id}' reads like '{cands[0].intent.id}' "
                    f"({cands[0].score:.2f} against {own:.2f} when left out): move it, or back it up with similar examples",
                ))
            else:
                lonely.append(Problem(
                    "warning", f"{intent.file}:{line}",
                    f"left out, example “{example}” of '{intent.id}' would go to '{cands[0].intent.id}': "
                    "add examples phrased like it",
                ))
    for section in library.sections.values():
        if not section.paragraphs and not _has_children(section, library):
            problems.append(Problem(
                "error", f"{section.doc.path}:{section.line}",
                f"section '{section.id}' has no text and no subsections: nothing can reach it",
            ))
    if strict:
        problems.extend(lonely)
    elif lonely:
        problems.append(Problem(
            "warning", str(intents_dir),
            f"{len(lonely)} examples have no other example of their intent phrased like them "
            "(run 'danvan validate --strict' to list them)",
        ))
    problems.extend(_paraphrase_problems(content_dir, library))
    problems.extend(_fact_problems(intents, library))
    problems.extend(_coverage_problems(assistant, cited, content_dir))
    return problems


def _learned_at(item: Learned) -> str:
    return f"{LEARNED_FILE} #{item.id}"


def _learned_problems_before(learned: Sequence[Learned], intents: Sequence[Intent]) -> list[Problem]:
    """A learned example of an intent that is gone, or that is already another intent's example."""
    owners = {fold(example): intent.id for intent in intents for example in intent.examples}
    ids = {intent.id for intent in intents}
    problems = []
    for item in learned:
        owner = owners.get(fold(item.question))
        if item.intent is not None and item.intent not in ids:
            problems.append(Problem("error", _learned_at(item),
                                    f"“{item.question}” was attached to unknown intent '{item.intent}'"))
        elif owner is not None and owner != item.intent:
            taught = f"attached to '{item.intent}'" if item.intent else "marked out of scope"
            problems.append(Problem("error", _learned_at(item),
                                    f"“{item.question}” is {taught} but is an example of '{owner}'"))
    return problems


def _learned_problems(assistant: Assistant, learned: Sequence[Learned]) -> list[Problem]:
    """Once learned, the question is answered by its intent (or falls back when out of scope)."""
    problems = []
    for item in learned:
        reply = assistant.ask(item.question)
        if item.intent is not None and reply.intent != item.intent:
            problems.append(Problem("error", _learned_at(item), f"“{item.question}” was attached to '{item.intent}' "
                                    f"but is answered by {reply.intent or reply.kind!r}"))
        elif item.intent is None and reply.kind == "answer":
            problems.append(Problem("error", _learned_at(item), f"“{item.question}” was marked out of scope "
                                    f"but is answered by '{reply.intent}'"))
    return problems


def coverage_questions(section: Section) -> list[str]:
    """Questions an official would ask of a section no intent cites: its particulars, its recipients,
    or its heading, alone and with the document's name."""
    name = section.doc.names[-1] if section.doc.names else section.doc.short
    if section.anchor == CARD_ANCHOR:
        return [f"{name} do ai ký, ban hành ngày nào"]
    if section.anchor == RECIPIENTS_ANCHOR:
        return [f"{name} gửi cho những nơi nào"]
    return [section.title, f"{name} {section.title}", f"{name} giao {section.title} những nhiệm vụ gì"]


def _coverage_problems(assistant: Assistant, cited: set[str], content_dir: Path) -> list[Problem]:
    """Every section with text is reached: cited by an intent, or answered from when asked about."""
    library = assistant.library
    uncited = [s for s in library.sections.values() if s.paragraphs and s.id not in cited]
    unreached = [s for s in uncited if not any(s.id in assistant.ask(q).sources for q in coverage_questions(s))]
    with_text = sum(1 for s in library.sections.values() if s.paragraphs)
    problems = [Problem(
        "warning", f"{s.doc.path}:{s.line}",
        f"section '{s.id}' is cited by no intent and no question about it ({coverage_questions(s)[0]!r}) is answered from it",
    ) for s in unreached]
    problems.append(Problem(
        "info", str(content_dir),
        f"coverage: {with_text - len(unreached)} of {with_text} sections with text are reached "
        f"({with_text - len(uncited)} cited by intents, {len(uncited) - len(unreached)} by passage answers)",
    ))
    return problems


def _fact_problems(intents, library: Library) -> list[Problem]:
    """Every document number, share, number and quoted title of an answer occurs in the sections it cites
    (with their subsections, the footnotes they refer to and the document's particulars): a claim cited
    to a section that does not state it is an error, whether the figure is wrong or the citation is."""
    notes = footnotes(library)
    problems: list[Problem] = []
    for intent in intents:
        if intent.kind != "answer":
            continue
        cited = [s for source in intent.sources if source in library.sections
                 for s in _with_subsections(library.sections[source], library)]
        texts = [p for s in cited for p in (s.title, *s.paragraphs)]
        texts += [notes[s.doc.id, m] for s in cited for p in s.paragraphs for m in note_markers(p) if (s.doc.id, m) in notes]
        texts += list({s.doc.id: f"{s.doc.cited}. {s.doc.card()}" for s in cited}.values())
        corpus = " ".join(lower(t) for t in texts)
        squeezed = corpus.replace(" ", "")
        numbers = {n.lstrip("0") for n in _NUMBER.findall(corpus)}
        missing = [m for m in _DOCUMENT_NUMBER.findall(intent.answer) if lower(m) not in corpus]
        missing += [m for m in _SHARE.findall(intent.answer) if lower(m).replace(" ", "") not in squeezed]
        missing += [m for m in _NUMBER.findall(intent.answer) if len(m) > 1 and m.lstrip("0") not in numbers]
        missing += [f"“{m}”" for m in _QUOTED.findall(intent.answer) if " ".join(lower(m).split()) not in corpus]
        for claim in dict.fromkeys(missing):
            problems.append(Problem(
                "error", f"{intent.file}:{intent.line}",
                f"answer of '{intent.id}' says {claim}, which none of its cited sections does: "
                "correct it, or cite the section that says it",
            ))
    return problems


def _with_subsections(section: Section, library: Library) -> list[Section]:
    """A section and those under it (citing "mục II" cites II.1, II.2 ...)."""
    doc_sections = sorted((s for s in library.sections.values() if s.doc.id == section.doc.id), key=lambda s: s.line)
    out = [section]
    for following in doc_sections[doc_sections.index(section) + 1:]:
        if following.level <= section.level:
            break
        out.append(following)
    return out


def _paraphrase_problems(content_dir: Path, library) -> list[Problem]:
    """Every documents' phrase of content/paraphrases.yaml must occur in the documents: else it leads nowhere."""
    where = str(content_dir / FILE_NAME)
    try:
        paraphrases = load_paraphrases(content_dir)
    except ParaphraseError as exc:
        return [Problem("error", where, str(exc).split(": ", 1)[-1])]
    corpus = " ".join(fold(p) for section in library.sections.values() for p in (section.title, *section.paragraphs))
    return [
        Problem("error", f"{where}: entry {entry.line}", f"“{phrase}” does not occur in the documents")
        for entry in paraphrases.entries for phrase in entry.docs if f" {fold(phrase)} " not in f" {corpus} "
    ]


def _has_children(section, library) -> bool:
    return len(_with_subsections(section, library)) > 1
