"""The question-answering core: a question in, a reply (answer, clarify, smalltalk or fallback) out.

It knows nothing of Telegram or the terminal: the CLI, the chat mode and the
bot all call :meth:`Assistant.ask` and render the :class:`Reply` it returns.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from bot import messages
from bot.content import Library, load_library
from bot.intents import Intent, load_intents
from bot.features import is_filler
from bot.matcher import (
    OWN_LOCALITIES, Candidate, Matcher, Thresholds, asks_about_fines, asks_office_holder, localities_in,
    without_localities, years_in,
)
from bot.search import Hit, PassageIndex
from bot.text import fold, tokens

MAX_QUESTION_CHARS = 1000  # longer messages are matched on their beginning
RECENT_REPLIES = 4096  # replies kept for questions asked again
LOCALITY_BONUS = 0.04
LOCALITY_PENALTY = 0.06
LOCALITY_CODES = ("hcm", "laichau", "dongnai")
FOLLOW_UP_FIT = 0.85  # share of the answer threshold a same-theme answer must reach for the previous topic
# Words every title shares: "Nhiệm vụ của Hội Nông dân" and "Nhiệm vụ của Ủy ban nhân dân" are not one subject.
_GENERIC = frozenset("nhiem vu cong tac dan van cac cap hoi cua ve trong nam ke hoach ban nhan la gi".split())
# Words of "còn ở Lai Châu thì sao?": a question that names a place and nothing else.
_FOLLOW_UP_WORDS = frozenset("con the thi sao vay nhi nua o tai cua tinh thanh pho tp ben nhu the nao".split())
PASSAGE_COVERAGE = 0.7
PASSAGE_MIN_SCORE = 6.0
PASSAGE_MIN_PHRASES = 2  # a passage must share wording with the question, not just words


@dataclass(frozen=True)
class Reply:
    kind: str  # "answer" | "clarify" | "smalltalk" | "fallback"
    answer: str
    intent: str | None = None
    score: float = 0.0
    sources: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    related: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "kind": self.kind, "answer": self.answer, "intent": self.intent, "score": round(self.score, 4),
            "sources": list(self.sources), "options": list(self.options),
        }


def _as_typed(text: str, folded_name: str) -> str:
    """A place name as the user wrote it ('hà nội' -> 'Hà Nội'), found from its folded form."""
    words = text.split()
    size = len(folded_name.split())
    for start in range(len(words) - size + 1):
        span = " ".join(words[start:start + size])
        if fold(span) == folded_name:
            return span.strip(".,;:!?\"'()").title()
    return folded_name.title()


# Words that make a message a question ("nhà tôi bị ngập" reports; "nhà tôi bị ngập thì báo ai?" asks);
# "không" asks only at the end ("có ... không"), "ai" only at the start ("không ai sửa" tells).
_QUESTION_WORDS = frozenset("gi j sao nao dau bao may ntn hoi biet".split())  # "cho hỏi", "muốn biết" ask too
_QUESTION_ENDS = frozenset("khong ko chua hok hong hem ai a".split())


def reads_like_a_report(text: str) -> bool:
    """Whether a message tells of something (to be sent as a petition) rather than asks."""
    words = tokens(text)
    return ("?" not in text and len(words) >= 4 and not _QUESTION_WORDS & set(words)
            and words[-1] not in _QUESTION_ENDS and words[0] != "ai")


def _subject(title: str) -> set[str]:
    """What a title is about: its words less places, fillers and the words every title has."""
    return {w for w in without_localities(fold(title)).split() if w not in _GENERIC and not is_filler(w) and not w.isdigit()}


def _years_text(years: set[int]) -> str:
    """{2020, ..., 2025} -> "2020 - 2025"; {2022, 2024} -> "2022, 2024"."""
    ordered = sorted(years)
    if len(ordered) > 2 and ordered[-1] - ordered[0] == len(ordered) - 1:
        return f"{ordered[0]} - {ordered[-1]}"
    return ", ".join(str(y) for y in ordered)


class Assistant:
    def __init__(self, library: Library, intents: list[Intent], thresholds: Thresholds | None = None) -> None:
        self.library = library
        self.intents = {intent.id: intent for intent in intents}
        self.matcher = Matcher(intents, thresholds)
        self.passages = PassageIndex(library)
        self._recent: OrderedDict[tuple[str, str | None], Reply] = OrderedDict()
        # The numbers each intent says (answer and examples), for _numbers_not_in, once.
        self._numbers_said = {
            intent.id: {t for text in (intent.answer, *intent.examples) for t in tokens(text) if t.isdigit()}
            for intent in intents
        }

    @classmethod
    def load(cls, content_dir: Path, intents_dir: Path, thresholds: Thresholds | None = None) -> "Assistant":
        return cls(load_library(content_dir), load_intents(intents_dir), thresholds)

    @property
    def t(self) -> Thresholds:
        return self.matcher.t

    def ask(self, question: str, locality: str | None = None, previous: str | None = None) -> Reply:
        """The reply to a question; ``locality`` (the user's own, if known) is preferred
        when the question names none; ``previous`` is the intent the user was last answered
        with, for "còn ở Lai Châu thì sao?".  Replies are deterministic, so recent ones are
        kept: the questions people ask most are answered without matching again."""
        key = (question, locality)
        cached = self._recent.get(key)  # follow-ups are never kept, so a question found here is none
        if cached is not None:
            self._recent.move_to_end(key)
            return cached
        place = self.follow_up_place(question)
        if place is not None:
            return self._follow_up(place, previous, locality)
        reply = self._ask(question, locality)
        self._recent[key] = reply
        if len(self._recent) > RECENT_REPLIES:
            self._recent.popitem(last=False)
        return reply

    def _ask(self, question: str, locality: str | None) -> Reply:
        text = question.strip()[:MAX_QUESTION_CHARS]
        if not any(len(word) >= 2 and not word.isdigit() for word in fold(text).split()):
            # Nothing but numbers or stray letters ("1", "?", "a b") is not yet a question.
            return Reply("fallback", messages.FALLBACK_EMPTY)
        _, cands = self.matcher.candidates(text)
        own, others = localities_in(fold(text))
        if own:
            cands = self._prefer_localities(cands, own)
        elif locality in LOCALITY_CODES and not others:
            cands = self._prefer_localities(cands, {locality}, weight=0.5)
        fitting = [c for c in cands if self._fits(c)]
        if fitting and fitting[0].intent.kind == "smalltalk":
            best = fitting[0]
            return Reply("smalltalk", best.intent.answer, best.intent.id, best.score)
        if asks_office_holder(fold(text)):
            return Reply("fallback", messages.FALLBACK_PERSON, None, cands[0].score if cands else 0.0)
        if asks_about_fines(text):
            return Reply("fallback", messages.FALLBACK, None, cands[0].score if cands else 0.0)
        if others and not own:
            # Never answer for a place with another place's documents.
            place = _as_typed(text, others[0])
            top = cands[0].score if cands else 0.0
            return Reply("fallback", messages.FALLBACK_OTHER_PLACE.format(place=place), None, top)
        if not fitting:
            return self._passage_or_fallback(text, cands)
        best = fitting[0]
        numbers = self._numbers_not_in(best.intent, text)
        if numbers:  # "kế hoạch 41-KH/ThU": an intent that never says 41 is not the answer
            hits = self.passages.search(text, limit=1)
            if hits and self._passage_fits(hits[0], text) and all(n in tokens(hits[0].passage.text) for n in numbers):
                return self.passage_reply(hits[0])
        wrong_year = self._other_year(best.intent, years_in(text), own)
        if wrong_year:
            return Reply("fallback", wrong_year, None, best.score)
        close = [c for c in fitting[1:3] if best.score - c.score < self.t.clarify_margin and c.intent.kind == "answer"]
        if close:
            return self.clarify([best, *close])
        return self.answer_intent(best.intent.id, best.score)

    @staticmethod
    def follow_up_place(question: str) -> str | None:
        """The locality code when a question names one of the documents' places and nothing else."""
        folded = fold(question[:MAX_QUESTION_CHARS])
        own, others = localities_in(folded)
        if len(own) != 1 or others:
            return None
        rest = [w for w in without_localities(folded).split() if w not in _FOLLOW_UP_WORDS and not is_filler(w)]
        return None if rest else next(iter(own))

    def _follow_up(self, place: str, previous: str | None, locality: str | None) -> Reply:
        """The previous topic again, for ``place``: the same answer when it covers that place,
        else the closest answer of the same theme written for it; without a topic, what to ask."""
        name = messages.LOCALITY_NAMES[place]
        topic = self.intents.get(previous) if previous else None
        if topic is None or topic.kind != "answer":
            return Reply("fallback", messages.FOLLOW_UP_WHAT.format(place=name))
        if topic.locality == place or (topic.locality == "all" and fold(name) in fold(topic.answer)):
            return self.answer_intent(topic.id)
        theirs = {  # the same theme, written for that place or covering it
            i.id for i in self.intents.values() if i.theme == topic.theme and i.kind == "answer" and i.id != topic.id
            and (i.locality == place or (i.locality == "all" and fold(name) in fold(i.answer)))
        }
        about = without_localities(fold(" ".join((topic.title, *topic.examples[:2]))))
        _, cands = self.matcher.candidates(about, limit=len(self.intents)) if theirs else (None, [])
        best = next((c for c in cands if c.intent.id in theirs), None)
        if (best is not None and best.score >= self.t.answer * FOLLOW_UP_FIT and best.coverage >= self.t.coverage
                and _subject(topic.title) & _subject(best.intent.title)):
            return self.answer_intent(best.intent.id, best.score)
        return Reply("fallback", messages.FOLLOW_UP_NOTHING.format(place=name, topic=topic.title))

    def answer_intent(self, intent_id: str, score: float = 1.0) -> Reply:
        intent = self.intents[intent_id]
        if intent.kind == "smalltalk":
            return Reply("smalltalk", intent.answer, intent.id, score)
        return Reply(
            "answer", self.with_citations(intent.answer, intent.sources), intent.id, score,
            tuple(intent.sources), related=tuple(r for r in intent.related if r in self.intents),
        )

    def clarify(self, options: list[Candidate]) -> Reply:
        lines = [messages.CLARIFY]
        lines += [f"{n}. {c.intent.title}" for n, c in enumerate(options, 1)]
        lines.append(messages.CLARIFY_HINT)
        return Reply("clarify", "\n".join(lines), None, options[0].score, options=tuple(c.intent.id for c in options))

    def with_citations(self, text: str, section_ids: tuple[str, ...] | list[str]) -> str:
        cites = [self.library.sections[s].citation for s in section_ids if s in self.library.sections]
        unique = list(dict.fromkeys(cites))
        if not unique:
            return text
        return f"{text}\n\n{messages.SOURCE_HEADER}\n" + "\n".join(f"• {c}" for c in unique)

    def _other_year(self, intent: Intent, asked: set[int], own: set[str]) -> str | None:
        """The honest reply when a question asks for figures of a year the answer is not for."""
        if not asked or not (intent.years or intent.dated):
            return None
        if intent.years:
            have = set(intent.years)
        else:
            docs = [self.library.sections[s].doc for s in intent.sources if s in self.library.sections]
            docs = [d for d in docs if d.area in own] or docs
            have = {year for doc in docs for year in doc.years}
        if not have or asked & have:
            return None
        return messages.FALLBACK_OTHER_YEAR.format(have=_years_text(have), asked=_years_text(asked))

    def _fits(self, c: Candidate) -> bool:
        return c.score >= self.t.answer and c.coverage >= self.t.coverage

    def _prefer_localities(self, cands: list[Candidate], own: set[str], weight: float = 1.0) -> list[Candidate]:
        """Nudge intents of the locality the question names (or the user's own) above the others."""
        adjusted = []
        for c in cands:
            delta = 0.0
            if c.intent.locality in own:
                delta = LOCALITY_BONUS * weight
            elif c.intent.locality != "all":
                delta = -LOCALITY_PENALTY * weight
            adjusted.append(Candidate(c.intent, c.score + delta, c.coverage, c.example, c.bag, c.fuzzy))
        return sorted(adjusted, key=lambda c: c.score, reverse=True)

    def _passage_or_fallback(self, text: str, cands: list[Candidate]) -> Reply:
        hits = self.passages.search(text, limit=1)
        score = cands[0].score if cands else 0.0
        if hits and self._passage_fits(hits[0], text):
            return self.passage_reply(hits[0])
        return Reply("fallback", messages.FALLBACK_REPORT if reads_like_a_report(text) else messages.FALLBACK, None, score)

    def _passage_fits(self, hit: Hit, text: str) -> bool:
        if hit.coverage < PASSAGE_COVERAGE or hit.phrases < PASSAGE_MIN_PHRASES or hit.score < PASSAGE_MIN_SCORE:
            return False
        asked = years_in(text)  # a passage about 2021 does not answer a question about 2026
        return not asked or bool(asked & set(hit.passage.section.doc.years)) or any(
            str(year) in hit.passage.text for year in asked)

    def _numbers_not_in(self, intent: Intent, text: str) -> list[str]:
        """Numbers the question names (document numbers, figures) that the intent's answer never says."""
        said = self._numbers_said[intent.id]
        return [t for t in tokens(text) if t.isdigit() and t not in said and len(t) < 5]

    def passage_reply(self, hit: Hit) -> Reply:
        section = hit.passage.section
        text = f"{messages.PASSAGE_INTRO}\n\n«{hit.excerpt}»"
        return Reply("answer", self.with_citations(text, [section.id]), None, hit.score, (section.id,))

    def search(self, query: str, limit: int = 5) -> list[Hit]:
        return self.passages.search(query, limit)
