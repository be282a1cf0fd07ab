"""The question-answering core: a question in, a reply (answer, clarify, smalltalk or fallback) out.

It knows nothing of Telegram or the terminal: the CLI, the chat mode and the
bot all call :meth:`Assistant.ask` and render the :class:`Reply` it returns.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from bot import messages, places
from bot.content import CARD_ANCHOR, RECIPIENTS_ANCHOR, Library, load_library
from bot.intents import Intent, load_intents
from bot.learning import is_out_of_scope, out_of_scope, with_learned
from bot.features import PLACE_WORDS, features, is_accent, is_filler
from bot.guards import (
    DocumentIndex, asks_about_fines, asks_after_reorganisation, asks_law_details, asks_office_holder, asks_own_particulars, asks_particulars, asks_procedure, asks_recipients,
    asks_results, asks_today, document_numbers, local_committee, localities_in, without_localities,
    years_asked,
    years_in,
)
from bot.matcher import Candidate, Matcher, Thresholds
from bot.paraphrase import Paraphrases, load_paraphrases
from bot.scope import DocumentNames, Scope
from bot.search import Hit, PassageIndex, passage_excerpt, sentences
from bot.store import Learned
from bot.text import accented_words, fold, lower, tokens

MAX_QUESTION_CHARS = 1000  # longer messages are matched on their beginning and, mostly, their end
_HEAD_CHARS = 300  # of a longer message: its first words (who and where) and its end (what is asked)
RECENT_REPLIES = 4096  # replies kept for questions asked again
LOCALITY_BONUS = 0.04
LOCALITY_PENALTY = 0.06
LOCALITY_CODES = places.CODES
FOLLOW_UP_FIT = 0.85  # share of the answer threshold a same-theme answer must reach for the previous topic
# Words every title shares: "Nhiệm vụ của Hội Nông dân" and "Nhiệm vụ của Ủy ban nhân dân" are not one subject.
_GENERIC = frozenset("nhiem vu cong tac dan van cac cap hoi cua ve trong nam ke hoach ban nhan la gi".split())
# Words of "còn ở Lai Châu thì sao?": a question that names a place and nothing else.
_FOLLOW_UP_WORDS = frozenset("con the thi sao vay nhi nua o tai cua tinh thanh pho tp ben nhu the nao".split())
PASSAGE_MIN_PHRASES = 2  # a passage must share wording with the question, not just words
# Small talk is a few short words, some of which fold onto others ("vàng" and "vâng"): it must fit all but a little.
SMALLTALK_COVERAGE = 0.6
REPORT_COVERAGE = 0.75
REPORT_WORDS = 6  # shorter, a message names a subject ("cái vụ 5 không đó") rather than tells of something  # a message that tells rather than asks is answered only by an intent that fits it this well
QUOTE_CHARS = 450  # the quoted sentences added under an intent's answer
QUOTE_REDUNDANT = 0.8
KIND_BOOST = 2.0  # a passage holding the kind of specific asked, against one that does not
QUOTE_MISSING = 0.1  # share of the question's weight a quote must hold that the answer lacks  # share of a quote's words already in the answer: nothing new to show
# "câu 6: 5 không là gì": a question copied from a list keeps its number, which is not content.
_NUMBERING = re.compile(r"^\s*(?:câu|cau|c|bài|bai|số|so)?\s*\d{1,3}\s*[:.)/-]\s+", re.IGNORECASE)
# Openers alone ("em ơi", "cho chị hỏi", "ad ơi"): the question is still to come.
_OPENER_WORDS = frozenset(
    "em oi cho chi hoi anh a ad admin da xin ban minh toi tui voi co the giup gium dum duoc khong "
    "hello alo chao bot tro ly ly oi muon hoi chut xiu nhe nha voi ah a ak".split()
)
_OPENER_ASKS = frozenset({"hoi", "oi", "ad", "admin", "giup", "gium", "dum"})
# Rudeness gets one calm line, never an offer to forward it.
# Matched as typed (with diacritics): folded, "chó" and "cho", "ngủ" and "ngu" would be one word.
_RUDE_WORDS = frozenset("dm đm dmm đmm dcm đcm dkm vl vcl vkl clgt cmm địt đéo ngu cút đần".split())
_SPECIFIC = re.compile(
    r"\b(?:bao nhieu|may|ngay nao|nam nao|thang nao|khi nao|luc nao|bao gio|so may|so hieu|so nao|"
    r"ai ky|nguoi ky|la ai|nhung ai|ai|co quan nao|ban nao|to chuc nao|don vi nao|nao|"
    r"nhung gi|gom nhung|viec gi|nhiem vu gi|yeu cau gi|noi gi|de ra gi|muc tieu gi|chi tieu gi|huong nao)\b"
)


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
_QUESTION_ENDS = frozenset("khong ko chua hok hong hem ai a vay ta nhi ha chu the".split())


_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
NAMES_ITS_TOPIC = 0.75  # an intent accounting for this share of a thin asking sentence: it needs nothing before it
THIN_QUESTION_WORDS = 5  # content words of an asking sentence that needs the sentence before it
STORY_WORDS = 25  # a message this long, in several sentences, may tell a story before it asks
_ASKS_SHARE = re.compile(r"\b(?:ty le|phan tram)\b|%")
_SHARE = re.compile(r"\d+(?:[.,]\d+)?\s?%")
# "bao nhiêu", "có mấy": a count; but "mấy cái", "mấy vụ" is spoken plural, and "lần thứ mấy" asks which.
_EVERY = re.compile(r"\b\w+ nao cung\b")
_ASKS_UNITS = re.compile(
    r"\b(?:bao nhieu|may) (mo hinh|tap the|ca nhan|nguoi|gia dinh|cong trinh|dien hinh|lan|don vi|to chuc|"
    r"doan vien|hoi vien|dang vien|ho|xa|phuong|nam|thang|ngay|cuoc|hoi nghi|lop|van ban|quan diem)\b"
    r"(?! nay| qua| truoc| gan day| roi)"  # "mấy năm nay" says "these years"
)
_ASKS_TARGET = re.compile(r"\b(?:chi tieu|muc tieu|phan dau)\b")
_ASKS_WHAT = re.compile(r"\b(?:gi|nao|sao|ntn|ai)\b")
_COUNT_WORD = r"(?:\d[\d.]*|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi)"
_ASKS_NUMBER = re.compile(r"\bbao nhieu\b|\b(?:co|gom|duoc|la) may\b(?! cai| vu| chuyen)")
# A share ("80%") is no count, nor the number of a name ("“5 không”").
_QUANTITY = re.compile(r"(?<![\d/.,“\"-])\d+(?:\.\d{3})*(?![\d/-]|[.,]\d|\s?%)")
_YEARLIKE = re.compile(r"(?:19|20)\d\d")
_ASKS_WHEN = re.compile(r"\b(?:ngay nao|ngay may|khi nao|bao gio|thang nao|luc nao|hoi nao|thoi diem nao)\b")
_ASKS_YEAR = re.compile(r"\bnam nao\b")
_ASKS_ISSUED = re.compile(r"\bngay (?:ban hanh|ky)\b")  # "ngày ban hành kế hoạch": its date
_ASKS_DOCNUM = re.compile(r"\b(?:so hieu|ky hieu|so may|so nao|so bao nhieu)\b")
# ("năm" is also a year: "hàng năm", "năm 2023", "nhiệm kỳ 5 năm" are no count of five)
_NUMBER_WORDS = re.compile(
    r"\b(?:hai|ba|bốn|(?<!hàng )(?<!hằng )(?<!mỗi )(?<!các )(?<!trong )năm(?! \d| nay| qua| tới| học)|"
    r"sáu|bảy|tám|chín|mười|mươi|trăm|nghìn|ngàn)\b"
)
# When: a date, a month, a quarter, or a period ("hàng năm", "định kỳ 6 tháng").
_WHEN = re.compile(
    r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{1,2} tháng \d{1,2}\b|\btháng \d{1,2}\b|\bquý [IVX]+\b|"
    r"\b(?:hàng|hằng) (?:năm|quý|tháng)\b|\bđịnh kỳ\b|\b\d{2,4}\s?-\s?\d{2,4}\b",
    re.IGNORECASE,
)
_DOCNUM = re.compile(r"\b\d{1,4}(?:/\d{2,4})*-[A-ZĐ][A-Za-zĐđ]*|\bsố \d{1,4}\b|\b[A-ZĐ]{1,3}\d{1,3}\b")
# Document 002 is the plan of Thành ủy Lai Châu, the city; "tỉnh Lai Châu" asks about the province.
_LAI_CHAU_PROVINCE = re.compile(r"\btinh (?:uy )?lai chau\b")
# "việc này", "chuyện đó", "loại bài đó": a question that leans on the sentence before it
# (typed with diacritics, any pointer; without, only after the nouns that usually carry one).
_POINTERS = frozenset("đó này ấy kia".split())
_ANAPHOR = re.compile(r"\b(?:viec|chuyen|cai|van de|dieu|vu|truong hop) (?:nay|do|ay|kia)\b")


# What makes a sentence of a story ask, read on the folded phrase or on the word as typed: folded alone,
# "bao" is also "bảo" (bảo hiểm), "hoi" also "Hội", "dau" also "đầu".
_ASKING = re.compile(
    r"\b(?:bao nhieu|la gi|nhu the nao|the nao|o dau|khi nao|bao gio|vi sao|tai sao|lam sao|ra sao|"
    r"cho hoi|xin hoi|muon biet|muon hoi|co phai|phai khong|duoc khong|co khong|hay khong|"
    r"cho biet|liet ke|neu ro|neu day du|neu cac|trinh bay|giai thich|tom tat|de nghi (?:neu|cung cap|huong dan))\b"
)
_ASKING_TYPED = frozenset("gì nào đâu mấy sao hỏi j".split())


def _leans_back(sentence: str) -> bool:
    """Whether a sentence points back at the one before ("loại bài đó", "việc này", "chuyện ấy")."""
    return bool(_POINTERS & set(accented_words(sentence))) or _ANAPHOR.search(fold(sentence)) is not None


def _asks(sentence: str) -> bool:
    """Whether one sentence of a message asks something."""
    toks = tokens(sentence)
    typed = accented_words(sentence)
    # "sáng nào cũng đi chợ" says "every morning": a "nào" followed by "cũng" does not ask.
    asking = {w for i, w in enumerate(typed) if w in _ASKING_TYPED and not (w == "nào" and typed[i + 1:i + 2] == ("cũng",))}
    return ("?" in sentence or _ASKING.search(" ".join(toks)) is not None
            or bool(asking) or bool(toks and toks[-1] in _QUESTION_ENDS))


def _thin(sentence: str) -> bool:
    """Whether an asking sentence says too little to name its subject ("Chương trình của thành phố nêu
    những tinh thần nào?"): the sentence before it may say what (5 or 7 words gave the same on every set)."""
    return sum(1 for t in tokens(sentence) if not is_filler(t) and t not in PLACE_WORDS) <= THIN_QUESTION_WORDS


def asked_part(text: str, widen: bool = False) -> str | None:
    """Of a message that tells a story and then asks, the sentences that ask; None for a plain question.
    ``widen``: an asking sentence too thin to name its subject takes the sentence before it too."""
    sentences = [s for s in _SENTENCE.split(text) if s.strip()]
    if len(sentences) < 2 or len(tokens(text)) < STORY_WORDS:
        return None
    asking = [i for i, s in enumerate(sentences) if _asks(s)]
    asking = asking or [len(sentences) - 1]
    if asking[0] > 0 and (_leans_back(sentences[asking[0]]) or widen and _thin(sentences[asking[0]])):
        asking.insert(0, asking[0] - 1)  # "Kế hoạch nói thế nào về việc này?": the sentence before says what
    return " ".join(sentences[i] for i in asking) if len(asking) < len(sentences) else None


# Someone telling of what happens to them: "nhà tôi bị ngập", "lâu rồi không ai sửa".
_TELLING = re.compile(r"\b(?:toi|tui|em|minh|chung toi|nha toi|bi|dang|da|roi|van con|khong ai|suot|hoai|mai ma)\b")


def reads_like_a_report(text: str) -> bool:
    """Whether a message tells of something (to be sent as a petition) rather than asks."""
    words = tokens(text)
    asks_who = any(w == "ai" and (i == 0 or words[i - 1] != "khong") for i, w in enumerate(words))
    return ("?" not in text and len(words) >= REPORT_WORDS and not _QUESTION_WORDS & set(words)
            and _TELLING.search(" ".join(words)) is not None
            and words[-1] not in _QUESTION_ENDS and not asks_who and not _ASKING.search(" ".join(words)))


def _quantities(text: str) -> set[str]:
    """Counts a text says ("7.593 tập thể", "01 - 02 điển hình"), not dates, years or document numbers."""
    return {n.replace(".", "") for n in _QUANTITY.findall(text) if not _YEARLIKE.fullmatch(n)}


@lru_cache(maxsize=1024)
def _asked_kind(folded: str) -> str | None:
    """The kind of specific a folded question asks for: a share, a count, a date, a year, a document number."""
    folded = _EVERY.sub(" ", folded)  # "năm nào cũng về quê" says "every year", it asks no year
    if _ASKS_SHARE.search(folded):
        return "share"
    if _ASKS_DOCNUM.search(folded):
        return "docnum"
    if _ASKS_YEAR.search(folded):
        return "year"
    if _ASKS_WHEN.search(folded):
        return "date"
    units = _ASKS_UNITS.search(folded)
    # "mấy lần một năm" asks how many; "mấy mô hình điểm ... làm về lĩnh vực gì" asks what they are.
    if _ASKS_NUMBER.search(folded) or (units and not _ASKS_WHAT.search(folded, units.end())):
        # "bao nhiêu mô hình" counts things, which a share ("trên 80%") does not answer; a bare
        # "chỉ tiêu ... bao nhiêu" is answered by one.
        return "units" if units and not _ASKS_TARGET.search(folded) else "count"  # a target may be a share
    return None


def _thing_counted(folded: str) -> str:
    """The thing a question of kind "units" counts ("bao nhiêu mô hình" -> "mo hinh")."""
    return _ASKS_UNITS.search(_EVERY.sub(" ", folded)).group(1)


@lru_cache(maxsize=8192)
def _specifics(text: str, kind: str) -> frozenset[str]:
    """The specifics of ``kind`` a text says (asked of the same answers and passages again and again)."""
    if kind == "share":
        found = {m.replace(" ", "") for m in _SHARE.findall(text)}
    elif kind == "units":
        found = _quantities(text) | set(_NUMBER_WORDS.findall(text))
    elif kind == "count":
        found = _quantities(text) | set(_NUMBER_WORDS.findall(text)) | {m.replace(" ", "") for m in _SHARE.findall(text)}
    elif kind == "year":
        found = {str(y) for y in years_in(text)}
    elif kind == "docnum":
        found = set(_DOCNUM.findall(text))
    else:
        found = {m.lower() for m in _WHEN.findall(text)}
    return frozenset(found)


def _holds_asked_kind(text: str, besides: str, question: str) -> bool:
    """Whether ``text`` holds a specific of the kind the question asks (a share for "phần trăm", a count
    for "bao nhiêu", a date for "khi nào"...) that neither ``besides`` nor the question itself says;
    true when the question asks for no such specific (who, which body, what)."""
    kind = _asked_kind(fold(question))
    if kind is None:
        return True
    if not _specifics(text, kind) - _specifics(besides, kind) - _specifics(question, kind):
        return False
    # "Bao nhiêu mô hình", "mấy lần": a count of the thing asked ("6.213 mô hình"), not any number.
    return kind != "units" or _counts_thing(text, _thing_counted(fold(question)))


@lru_cache(maxsize=4096)
def _counts_thing(text: str, thing: str) -> bool:
    """Whether ``text`` gives a number of ``thing`` (folded): "01 - 02 điển hình", "một lần"."""
    return re.search(rf"\b{_COUNT_WORD}(?:\s+-\s+{_COUNT_WORD})?\s+(?:\w+\s+){{0,2}}{thing}\b", fold(text)) is not None


_QUOTE_CITATION = re.compile(r"»\s*\((?:[^()]|\([^()]*\))*\)")


def _for_years(text: str, years: set[int]) -> str:
    """The sentences of a reply that may speak of ``years``: those naming one of them or no year at all.
    A sentence naming none speaks of the year the one before it named, and a bullet of the year its
    heading line named: "Trong năm 2022 ... 7.593 tập thể ... Toàn thành phố tuyên dương 409 gia đình"
    does not count for 2023."""
    kept: list[str] = []
    heading: set[int] = set()
    for line in text.splitlines():
        line = _QUOTE_CITATION.sub("»", line)  # "«…» (Hướng dẫn … ngày 28/02/2023 …)": the source's date, not the figures'
        bullet = line.lstrip().startswith("•")
        named = heading if bullet else set()
        for sentence in _SENTENCE.split(line):
            named = years_in(sentence) or named
            if not named or named & years:
                kept.append(sentence)
        if not bullet:
            heading = named
    return "\n".join(kept)


def _not_yet_a_question(text: str, folded: str) -> Reply | None:
    """The reply to a message that is not a question yet (stray letters, an opener, fillers) or is rude."""
    words = folded.split()
    if not any(len(word) >= 2 and not word.isdigit() for word in words):
        # Nothing but numbers or stray letters ("1", "?", "a b") is not yet a question.
        return Reply("fallback", messages.FALLBACK_EMPTY)
    if set(words) <= _OPENER_WORDS and set(words) & _OPENER_ASKS:
        return Reply("smalltalk", messages.OPENER)
    if len(words) <= 8 and set(accented_words(text)) & _RUDE_WORDS:
        return Reply("smalltalk", messages.RUDE)
    if all(is_filler(word) or word in PLACE_WORDS for word in words):  # "là gì vậy": the subject is still to come
        return Reply("fallback", messages.FALLBACK_EMPTY)
    return None


def _trimmed(question: str) -> str:
    """A message cut to what matching reads: all of a short one; of a long one, its start and its end."""
    text = question.strip()
    if len(text) <= MAX_QUESTION_CHARS:
        return text
    head = text[:_HEAD_CHARS].rsplit(" ", 1)[0]
    tail = text[-(MAX_QUESTION_CHARS - _HEAD_CHARS):].split(" ", 1)[-1]
    return f"{head} … {tail}"


def _shorter(text: str, limit: int) -> str:
    """``text`` cut at a word before ``limit`` characters, marked with an ellipsis."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _subject(title: str) -> set[str]:
    """What a title is about: its words less places, fillers and the words every title has."""
    return {w for w in without_localities(fold(title)).split() if w not in _GENERIC and not is_filler(w) and not w.isdigit()}


def _years_text(years: set[int]) -> str:
    """{2020, ..., 2025} -> "2020 - 2025"; {2022, 2024} -> "2022, 2024"."""
    ordered = sorted(years)
    if len(ordered) > 2 and ordered[-1] - ordered[0] == len(ordered) - 1:
        return f"{ordered[0]} - {ordered[-1]}"
    return ", ".join(str(y) for y in ordered)



def _own_part(text: str, rest: str) -> str | None:
    """The section of a named document that answers a question about the document itself: its particulars
    ("ký ngày nào") or its recipients ("gửi cho những đơn vị nào"); ``rest``: the question without its names."""
    if asks_recipients(rest):
        return RECIPIENTS_ANCHOR
    return CARD_ANCHOR if asks_own_particulars(text, rest) else None


class Assistant:
    def __init__(
        self, library: Library, intents: list[Intent], thresholds: Thresholds | None = None,
        paraphrases: Paraphrases | None = None, out_of_scope: tuple[str, ...] = (),
    ) -> None:
        self.library = library
        self.out_of_scope = out_of_scope  # folded questions admins marked as beyond the documents (bot/learning.py)
        self.paraphrases = paraphrases or Paraphrases([])
        self.documents = DocumentIndex([p for section in library.sections.values() for p in section.paragraphs])
        self._years_named = {y for section in library.sections.values() for p in section.paragraphs for y in years_in(p)}
        self.intents = {intent.id: intent for intent in intents}
        self.matcher = Matcher(intents, thresholds)
        self.passages = PassageIndex(library)
        self.sentences = PassageIndex(library, by_sentence=True)
        self.names = DocumentNames(library)
        self._recent: OrderedDict[tuple[str, str | None], Reply] = OrderedDict()
        # For _quote, once: the words each intent's answer says, and the documents it cites.
        self._said = {intent.id: frozenset(features(tokens(intent.answer))) for intent in intents}
        self._cited_documents = {
            intent.id: frozenset(library.sections[s].doc.id for s in intent.sources if s in library.sections)
            for intent in intents
        }
        # The numbers each intent says (answer and examples), for _numbers_not_in, once.
        self._numbers_said = {
            intent.id: {t for text in (intent.answer, *intent.examples) for t in tokens(text) if t.isdigit()}
            for intent in intents
        }

    @classmethod
    def load(cls, content_dir: Path, intents_dir: Path, thresholds: Thresholds | None = None,
             learned: Sequence[Learned] = ()) -> "Assistant":
        """The shipped knowledge, with what admins taught it from unanswered questions (``learned``)."""
        intents = with_learned(load_intents(intents_dir), learned)
        return cls(load_library(content_dir), intents, thresholds, load_paraphrases(content_dir), out_of_scope(learned))

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
        text = _NUMBERING.sub("", _trimmed(question))
        folded = fold(text)
        early = _not_yet_a_question(text, folded)
        if early is not None:
            return early
        if self.out_of_scope and is_out_of_scope(folded, self.out_of_scope):
            return Reply("fallback", messages.FALLBACK, None, 0.0)
        expanded = self.paraphrases.expand(text)
        # A story before the question: intents are matched on what is asked, passages ranked on all of it
        # (the story names the subject), and neither loses for the story's words the documents never use.
        asked = asked_part(text)
        asked_expanded = self.paraphrases.expand(asked) if asked else expanded
        _, cands = self.matcher.candidates(asked_expanded)
        wider = asked_part(text, widen=True) if asked else None
        if wider and wider != asked and not any(self._fits(c) and c.coverage >= NAMES_ITS_TOPIC for c in cands):
            # "... các giá trị truyền thống. Chương trình nêu những tinh thần nào?": a thin asking sentence
            # is read with the one before it, unless alone it names a topic outright ("Cho tôi hỏi 5 không
            # là gì?" after a story about the neighbours)
            asked = wider
            asked_expanded = self.paraphrases.expand(wider)
            _, cands = self.matcher.candidates(asked_expanded)
        own, others = localities_in(folded)
        if own:
            cands = self._prefer_localities(cands, own)
        elif locality in LOCALITY_CODES and not others:
            cands = self._prefer_localities(cands, {locality}, weight=0.5)
        fitting = [c for c in cands if self._fits(c)]
        top = cands[0].score if cands else 0.0
        if fitting and fitting[0].intent.kind == "smalltalk" and fitting[0].coverage >= SMALLTALK_COVERAGE:
            best = fitting[0]
            return Reply("smalltalk", best.intent.answer, best.intent.id, best.score)
        refusal = self._refusal(text, folded, own, others)
        if refusal:
            return Reply("fallback", refusal, None, top)
        fitting = [c for c in fitting if c.intent.kind == "answer"]
        # A question that names a place is answered with that place's facts: another place's intent
        # only when nothing of its own fits, and then labelled as such (see _other_place).
        elsewhere = [c for c in fitting if own and c.intent.locality not in own | {"all"}]
        fitting = [c for c in fitting if c not in elsewhere]
        if reads_like_a_report(text) and not (fitting and fitting[0].coverage >= REPORT_COVERAGE):
            return Reply("fallback", messages.FALLBACK_REPORT, None, top)  # told, not asked: a matter for a petition
        # Within the documents and places the question names, for what it asks of them (see bot/scope.py).
        scope = self.names.scope(fold(expanded), own or None)
        own_part = _own_part(text, scope.rest) if scope.itself else None
        hits, hit = self._passages(text, scope, asked_expanded if asked else None, own, own_part)
        if own_part and hits and hits[0].passage.section.anchor == own_part:
            # "Kế hoạch 109 ký ngày nào", "... gửi cho những ai": the document's own part is the answer
            reply = self.passage_reply(replace(hits[0], excerpt=hits[0].passage.text))
            undated = own_part == CARD_ANCHOR and not hits[0].passage.section.doc.date
            asks_date = _asked_kind(folded) in ("date", "year") or _ASKS_ISSUED.search(folded)
            if undated and asks_date:  # the document gives no date: say so first
                reply = replace(reply, answer=f"{messages.NO_DATE_GIVEN}\n\n{reply.answer}")
            return reply
        if not fitting and elsewhere and hit is None:
            return self._other_place(elsewhere[0], own, text)
        if not fitting:
            if hit is None:
                return Reply("fallback", messages.FALLBACK, None, top)
            return self._with_the_specific(self.passage_reply(hit), text)
        best = fitting[0]
        # A story's years are its context; the asking sentence's, when it names any, are the ones asked.
        asked_years = (asked and years_asked(asked)) or years_asked(text)
        wrong_year = self._other_year(best.intent, asked_years, own)
        if wrong_year:
            return Reply("fallback", wrong_year, None, best.score)
        numbers = self._numbers_not_in(best.intent, text)
        if numbers and hit and all(n in tokens(hit.passage.text) for n in numbers):
            # "kế hoạch 41-KH/ThU": an intent that never says 41 is not the answer
            return self._with_the_specific(self.passage_reply(hit), text)
        close = [c for c in fitting[1:3] if best.score - c.score < self.t.clarify_margin]
        if close:
            # The passage that answers the question settles a tie: of the close intents, the best that cites it.
            citing = [c for c in (best, *close) if hit and hit.passage.section.id in c.intent.sources]
            if citing:
                best = citing[0]
            elif hit is not None:  # the documents' own words answer what the close topics share
                return self._with_the_specific(self.passage_reply(hit), text)
            else:
                return self.clarify([best, *close])
        named = next(iter(own)) if len(own) == 1 else None
        home = locality if not own and locality in LOCALITY_CODES else None
        quotes = self._quote(best.intent, hits, expanded, scope, own_part, own)
        reply = self.answer_intent(best.intent.id, best.score, quotes, named, home)
        return self._with_the_specific(reply, text)

    def _passages(
        self, text: str, scope: Scope, asked: str | None, own: set[str], own_part: str | None,
    ) -> tuple[list[Hit], Hit | None]:
        """The best passages for a question (the named places' only), and the one that answers it alone,
        if any, with its excerpt cut from what is asked (``asked``: the asking part of a story);
        ``own_part``: the part of a named document asked about itself (see _own_part), first."""
        # Excerpts are cut below, for the passages that are shown, and from what is asked.
        hits = self.passages.search(
            scope.rest, limit=4, areas=own or None, documents=scope.documents or None, excerpts=False,
        )
        if own_part:
            # "Kế hoạch 109 ký ngày nào", "... gửi cho những ai": the named document's particulars or
            # recipients, first
            first = [h for doc in sorted(scope.itself) for h in self.passages.section_hits(f"{doc}#{own_part}")]
            hits = [*first, *(h for h in hits if h.passage not in {f.passage for f in first})]
        elif not asks_particulars(text):
            hits = [h for h in hits if h.passage.section.anchor != CARD_ANCHOR]
        hits = hits[:3]
        if asked:  # the share of the question a passage holds: of what is asked
            hits = [replace(h, coverage=max(h.coverage, self.passages.coverage(h.passage, asked))) for h in hits]
        fits = [h for h in hits if self._passage_fits(h, text)]
        # "số mấy, ngày nào": of the passages that fit, one that holds such a specific answers.
        hit = next((h for h in fits if _holds_asked_kind(h.passage.text, "", text)), fits[0] if fits else None)
        if hit is not None:
            chosen = passage_excerpt(hit.passage, self.passages.query(asked or scope.rest))
            hit = replace(hit, excerpt=self._excerpt(hit, text, chosen))
        return hits, hit

    def _with_the_specific(self, reply: Reply, question: str) -> Reply:
        """``reply``, unless the question asks for a specific (a share, a count, a date, a document number)
        and the reply says none it did not take from the question: then the honest "the documents do not say".
        Asked about the province of Lai Châu, the reply first says whose plan it quotes: the city's."""
        body = reply.answer.split(messages.SOURCE_HEADER)[0]
        years = years_asked(question)
        if years and _asked_kind(fold(question)) in ("count", "units"):
            body = _for_years(body, years)
        if not _holds_asked_kind(body, "", question):
            return Reply("fallback", messages.FALLBACK_NO_FIGURE, None, reply.score)
        if _LAI_CHAU_PROVINCE.search(fold(question)):
            return replace(reply, answer=f"{messages.LAI_CHAU_IS_THE_CITY}\n\n{reply.answer}")
        return reply

    def _other_place(self, best: Candidate, own: set[str], question: str) -> Reply:
        """Nothing of the named place fits, another place's answer does: say so first, then label it;
        never another place's figures or dates for a specific asked."""
        name = places.NAMES[next(iter(own))]
        if _asked_kind(fold(question)):
            return Reply("fallback", messages.PLACE_NOT_SAID_SPECIFIC.format(place=name), None, best.score)
        reply = self.answer_intent(best.intent.id, best.score)
        other = places.NAMES.get(best.intent.locality, "")
        label = messages.PLACE_NOT_SAID_OTHER.format(place=name, other=other)
        return replace(reply, answer=f"{label}\n\n{reply.answer}")

    def _refusal(self, text: str, folded: str, own: set[str], others: list[str]) -> str | None:
        """The honest reply to a question the documents cannot answer, whatever it matches; None if none applies."""
        if asks_office_holder(text):
            return messages.FALLBACK_PERSON
        if asks_about_fines(text) or asks_procedure(folded):
            return messages.FALLBACK_PROCEDURE
        merged = places.merged_area(folded)
        if merged:  # the documents predate the 2025 merger: their figures do not count the merged area
            name, into = merged
            return messages.FALLBACK_MERGED.format(area=_as_typed(text, name), into=places.NAMES[into])
        if others and own:  # "I read TP.HCM's plan ... what did Đà Nẵng set?": the sentence that asks decides
            asked_own, asked_others = localities_in(fold(re.split(r"(?<=[.!?…])\s+", text.strip())[-1]))
            if asked_others and not asked_own:
                own, others = set(), asked_others
        if others and not own:  # never answer for a place with another place's documents
            return messages.FALLBACK_OTHER_PLACE.format(place=places.written(others[0]) or _as_typed(text, others[0]))
        committee = local_committee(text)
        if committee:
            return messages.FALLBACK_LOCAL_COMMITTEE.format(name=committee)
        elsewhere = self.names.only_elsewhere(folded, own) if own else None
        if elsewhere and not self.names.scope(folded, own).itself:
            # "chương trình thực hiện Nghị quyết 43 của Đồng Nai": a document only another place has
            doc = self.library.documents[elsewhere]
            return messages.FALLBACK_DOCUMENT_ELSEWHERE.format(
                kind=lower(doc.kind), place=places.NAMES[next(iter(own))], other=places.NAMES[doc.area])
        unknown = self.documents.unknown_document(folded)
        if unknown:
            return messages.FALLBACK_DOCUMENT.format(name=_as_typed(text, unknown))
        if asks_today(text):
            return messages.FALLBACK_TODAY
        if asks_results(text):
            return messages.FALLBACK_RESULTS
        if asks_law_details(folded):
            return messages.FALLBACK_LAW
        if asks_after_reorganisation(folded):
            return messages.FALLBACK_REORGANISED
        return None

    def _quote(
        self, intent: Intent, hits: list[Hit], question: str, scope: Scope, own_part: str | None, own: set[str],
    ) -> list[Hit]:
        """The document's own words to show above an intent's answer: a passage that holds words of the
        question the answer lacks, and the one sentence of all the named places' documents that holds
        the most of them, when it is elsewhere ("vai trò gì", "phố nào": one sentence says it)."""
        said = self._said[intent.id]
        query = self.passages.query(scope.rest)  # as _passages weighed it: the names are no content
        # Words and word pairs ("thời hạn", not the "hạn" of "hạn chế") of the question, by weight.
        asked = {f: w for f, w in query.weights.items() if not is_accent(f) and (" " in f or not is_filler(f))}
        mass = sum(asked.values()) or 1.0
        specific = _SPECIFIC.search(fold(question)) is not None  # a number, date, name or body is asked for
        # "Trong chương trình thực hiện Nghị quyết 43, cuộc vận động ... tên đầy đủ là gì": an answer from
        # another document needs the named document's own words above it, whatever it already says.
        elsewhere = bool(scope.documents) and not self._cited_documents[intent.id] & scope.documents

        def adds(excerpt: str) -> float | None:
            """The share of the question's weight ``excerpt`` holds that the answer lacks, if it is worth showing."""
            quoted = set(features(tokens(excerpt)))
            new = len(quoted - said) / max(len(quoted), 1) > 1 - QUOTE_REDUNDANT
            missing = sum(w for word, w in asked.items() if word in quoted and word not in said) / mass
            worth = missing >= QUOTE_MISSING or (new and (elsewhere or specific and _holds_asked_kind(excerpt, intent.answer, question)))
            return missing if worth else None

        candidates = [h for h in hits[:3] if self._passage_fits(h, question, strict=False)]
        # "Kế hoạch 109 ban hành ngày nào", "ai ký": the named document's particulars, whatever dates
        # its other passages cite (not for "Chỉ thị 13 ban hành ngày nào", a document it cites).
        card = next((h for h in hits[:3] if own_part and h.passage.section.anchor == own_part
                     and h.passage.section.doc.id in scope.itself), None)
        if card is not None:
            return [replace(card, excerpt=card.passage.text)]
        holding = [h for h in candidates if _holds_asked_kind(h.passage.text, intent.answer, question)]
        chosen: list[Hit] = []
        shown = 0.0
        for hit in [*holding, *(h for h in candidates[:2] if h not in holding)]:
            # The sentences that carry the question, within what a phone shows above the answer.
            hit = replace(hit, excerpt=self._excerpt(hit, question, passage_excerpt(hit.passage, query, QUOTE_CHARS)))
            missing = adds(hit.excerpt)
            if missing is not None:
                chosen, shown = [hit], missing
                break
        found = self.sentences.search(
            scope.rest, limit=3, areas=own or None, documents=scope.documents or None, excerpts=False, query=query,
        )
        # A document's particulars are composed from its header: never quoted as its words.
        best = [h for h in found if h.passage.section.anchor != CARD_ANCHOR][:1]
        if best and best[0].score >= self.t.quote_score and not (chosen and best[0].passage.text in chosen[0].excerpt):
            sentence = replace(best[0], excerpt=best[0].passage.text)
            missing = adds(sentence.excerpt)
            if missing is not None and missing > shown:
                chosen.insert(0, sentence)  # the one sentence that says what is asked, first
        return chosen

    def _excerpt(self, hit: Hit, question: str, chosen: str) -> str:
        """``chosen`` sentences of a passage, or, when the question asks for a kind of specific
        ("ngày nào", "số mấy") that they lack but the passage holds, the sentence that holds it first."""
        kind = _asked_kind(fold(question))
        if kind is None or _specifics(chosen, kind) - _specifics(question, kind):
            return chosen
        holding = [s for s in sentences(hit.passage.text) if _specifics(s, kind) - _specifics(question, kind)]
        if not holding:
            return chosen
        query = self.passages.query(question)
        best = max(holding, key=lambda s: sum(query.weights.get(f, 0.0) for f in features(tokens(s))))
        return _shorter(best, QUOTE_CHARS * 3 // 2) if best in chosen else _shorter(f"{best} … {chosen}", QUOTE_CHARS * 3 // 2)

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
        name = places.NAMES[place]
        topic = self.intents.get(previous) if previous else None
        if topic is None or topic.kind != "answer":
            return Reply("fallback", messages.FOLLOW_UP_WHAT.format(place=name))
        if topic.locality == place or (topic.locality == "all" and fold(name) in fold(topic.answer)):
            return self.answer_intent(topic.id, place=place)
        theirs = {  # the same theme, written for that place or covering it
            i.id for i in self.intents.values() if i.theme == topic.theme and i.kind == "answer" and i.id != topic.id
            and (i.locality == place or (i.locality == "all" and fold(name) in fold(i.answer)))
        }
        # What the topic is about, without its place: its title, then with its first examples.
        for about in (topic.title, " ".join((topic.title, *topic.examples[:2]))):
            _, cands = self.matcher.candidates(without_localities(fold(about)), limit=len(self.intents))
            fit = [c for c in cands if c.intent.id in theirs and c.score >= self.t.answer * FOLLOW_UP_FIT
                   and c.coverage >= self.t.coverage and _subject(topic.title) & _subject(c.intent.title)]
            # the answer written for that place before one that covers every place (then trimmed to it)
            best = next((c for c in fit if c.intent.locality == place), fit[0] if fit else None)
            if best is not None:
                return self.answer_intent(best.intent.id, best.score, place=place)
        return Reply("fallback", messages.FOLLOW_UP_NOTHING.format(place=name, topic=topic.title))

    def answer_intent(
        self, intent_id: str, score: float = 1.0, quotes: Sequence[Hit] = (), place: str | None = None,
        home: str | None = None,
    ) -> Reply:
        """An intent's answer with its citations; ``quotes``, the document's own sentences on what was asked,
        first; of an answer that speaks of each place, only ``place``'s lines (the question named it), or
        ``home``'s first (the user's own)."""
        intent = self.intents[intent_id]
        if intent.kind == "smalltalk":
            return Reply("smalltalk", intent.answer, intent.id, score)
        sources = list(intent.sources)
        text = intent.answer
        if place and intent.locality == "all" and places.has_place_lines(text):
            trimmed = places.only(text, place)
            if trimmed is None:  # its documents do not say: that first, then, labelled, what the others say
                text = messages.PLACE_NOT_SAID.format(place=places.NAMES[place]) + "\n" + text
            else:
                text = trimmed
                sources = [s for s in sources if self._area(s) == place] or sources
        elif home and intent.locality == "all":
            text = places.first(text, home)
        # The document's words in «», a document's particulars (composed from its header) apart, never in «».
        words = [f"«{_shorter(q.excerpt, QUOTE_CHARS * 3 // 2)}» ({q.passage.section.citation})"
                 for q in quotes if q.passage.section.anchor != CARD_ANCHOR]
        blocks = [f"{messages.QUOTE_HEADER} {' '.join(words)}"] if words else []
        blocks += [f"{messages.CARD_HEADER} {_shorter(q.excerpt, QUOTE_CHARS * 3 // 2)} ({q.passage.section.citation})"
                   for q in quotes if q.passage.section.anchor == CARD_ANCHOR]
        if quotes and quotes[0].passage.section.anchor == CARD_ANCHOR:
            blocks.reverse()  # "ai ký", "ngày nào": the particulars asked for, first
        text = "\n\n".join([*blocks, text])
        sources = list(dict.fromkeys([*sources, *(q.passage.section.id for q in quotes)]))
        return Reply(
            "answer", self.with_citations(text, sources), intent.id, score,
            tuple(sources), related=tuple(r for r in intent.related if r in self.intents),
        )

    def _area(self, section_id: str) -> str | None:
        section = self.library.sections.get(section_id)
        return section.doc.area if section else None

    def clarify(self, options: list[Candidate]) -> Reply:
        lines = [messages.CLARIFY]
        lines += [f"{n}. {c.intent.title}" for n, c in enumerate(options, 1)]
        lines.append(messages.CLARIFY_HINT)
        return Reply("clarify", "\n".join(lines), None, options[0].score, options=tuple(c.intent.id for c in options))

    def with_citations(self, text: str, section_ids: tuple[str, ...] | list[str]) -> str:
        """``text`` and its sources, one line per document: "• Kế hoạch số 109-KH/ThU ngày 10/01/2023 của ...:
        mục II.2.2 “...”; mục III “...”"."""
        by_document: dict[str, list[str]] = {}
        for section in (self.library.sections[s] for s in dict.fromkeys(section_ids) if s in self.library.sections):
            by_document.setdefault(section.doc.cited, []).append(section.where)
        if not by_document:
            return text
        lines = [f"• {cited}: {'; '.join(wheres)}" for cited, wheres in by_document.items()]
        return f"{text}\n\n{messages.SOURCE_HEADER}\n" + "\n".join(lines)

    def _other_year(self, intent: Intent, asked: set[int], own: set[str]) -> str | None:
        """The honest reply when a question asks for figures of a year the answer is not for."""
        if not asked:
            return None
        if intent.years:
            have = set(intent.years)
        else:
            docs = [self.library.sections[s].doc for s in intent.sources if s in self.library.sections]
            docs = [d for d in docs if d.area in own] or docs
            have = {year for doc in docs for year in doc.years}
            # Any other answer: refused only for a year the documents never name ("năm 2027"); a year
            # they do name may date a resolution ("Nghị quyết 20-NQ/TW năm 2008"), not the figures.
            # A term asked ("nhiệm kỳ 2025-2030") is a period, not a resolution's year: not excused.
            asks_term = len(asked) > 1 and asked == set(range(min(asked), max(asked) + 1)) and \
                not years_in(intent.answer) & asked
            if not intent.dated and not asks_term and asked & (self._years_named | years_in(intent.answer)):
                return None
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

    def _passage_fits(self, hit: Hit, text: str, strict: bool = True) -> bool:
        """Whether a passage answers the question on its own (``strict``) or supports an intent's answer."""
        t = self.t
        coverage, score = (t.passage_coverage, t.passage_score) if strict else (t.quote_coverage, t.quote_score)
        if hit.coverage < coverage or hit.phrases < PASSAGE_MIN_PHRASES or hit.score < score:
            return False
        asked = years_in(text)  # a passage about 2021 does not answer a question about 2026
        return not asked or bool(asked & set(hit.passage.section.doc.years)) or any(
            str(year) in hit.passage.text for year in asked)

    def _numbers_not_in(self, intent: Intent, text: str) -> list[str]:
        """Numbers of the documents the question names ("kế hoạch 41", "41-KH/ThU") that the intent never says."""
        said = self._numbers_said[intent.id]
        return [n for n in document_numbers(fold(text)) if n not in said]

    def passage_reply(self, hit: Hit) -> Reply:
        section = hit.passage.section
        if section.anchor == CARD_ANCHOR:
            text = f"{messages.CARD_HEADER} {hit.excerpt}"
        else:
            text = f"{messages.PASSAGE_INTRO}\n\n«{hit.excerpt}»"
        return Reply("answer", self.with_citations(text, [section.id]), None, hit.score, (section.id,))

    def search(self, query: str, limit: int = 5) -> list[Hit]:
        """Officials' search: the passages of the places and documents the query names, for its other words
        ("dân vận khéo lai châu": Lai Châu's, for "dân vận khéo"); a footnote comes within the text that
        refers to it, not on its own."""
        folded = fold(query)
        own, _ = localities_in(folded)
        scope = self.names.scope(folded, own or None)
        hits = self.passages.search(
            scope.rest or folded, limit * 2, areas=own or None, documents=scope.documents or None,
        )
        return [h for h in hits if not (h.passage.is_note and self.passages.is_referred(h.passage))][:limit]
