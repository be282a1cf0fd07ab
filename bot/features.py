"""Weighted term features shared by the intent matcher and the passage search.

Text is folded (:mod:`bot.text`), then turned into unigrams and bigrams.  A
term's weight is its inverse document frequency over the collection it is
indexed in, so "dan van" (everywhere) counts for little and "kenh rach" for a
lot.  Filler words of questions ("cho hoi", "la gi", "vay") keep a small weight:
they should neither make nor break a match.  Query words the collection has
never seen are corrected to a close known word when one exists (typos), and
otherwise weigh as much as the rarest known word: an unknown word is a sign the
question is about something else.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.text import accented_words, strip_accents, tokens

FILLER = frozenset(
    """
    a ah ai anh ba bac ban bao be biet bn cac cach can cau chi cho co con cua cung da dang day de
    di dieu do duoc em gi hay hoi khi kia la lam lai len luc ma minh muon nao nay ne nhe nhi nho
    nhu nhung noi o oi ong qua ra roi sao se si the thi thoi tim toi trong tu va vao vay ve vi voi xem xin
    ua uh um ok nha nhen nghe giup biet ah oh hoac cho mot nhieu it phai nen duoc nguoi bay hien
    nua luon dum gium coi vui long thi lam sao ntn cai gom chua ad admin shop chut xiu thay may mn mng
    """.split()
)
FILLER_WEIGHT = 0.15
# Place words say where, not what: the matcher handles localities itself, so they neither
# help nor hurt the share of a question an intent accounts for.
PLACE_WORDS = frozenset("ho chi minh sai gon thu duc lai chau dong nai bien hoa tinh thanh pho quan huyen".split())
# Features over words as typed with their diacritics ("~đoàn thanh" vs "~đoàn thành"),
# used only when the question has diacritics: they break ties that folding creates.
ACCENT_PREFIX = "~"
ACCENT_WEIGHT = 0.5


def is_filler(tok: str) -> bool:
    return tok in FILLER or (len(tok) <= 1 and not tok.isdigit())


def features(toks: tuple[str, ...]) -> dict[str, float]:
    """Unigrams and bigrams of folded tokens, with a relative weight before IDF."""
    out: dict[str, float] = {}
    filler = [is_filler(tok) for tok in toks]
    for tok, weak in zip(toks, filler):
        out[tok] = FILLER_WEIGHT if weak else 1.0
    for i in range(len(toks) - 1):
        if not (filler[i] and filler[i + 1]):
            out[f"{toks[i]} {toks[i + 1]}"] = 1.0
    return out


def accent_features(text: str) -> dict[str, float]:
    """Unigrams and bigrams of the words typed with diacritics (prefixed with ``~``)."""
    words = accented_words(text)
    marked = [not w.replace("đ", "d").isascii() for w in words]
    out = {f"{ACCENT_PREFIX}{w}": ACCENT_WEIGHT for w, m in zip(words, marked) if m}
    for i in range(len(words) - 1):
        if marked[i] or marked[i + 1]:
            out[f"{ACCENT_PREFIX}{words[i]} {words[i + 1]}"] = ACCENT_WEIGHT
    return out


def is_accent(feature: str) -> bool:
    return feature.startswith(ACCENT_PREFIX)


@dataclass
class Vocabulary:
    """Document frequencies of terms over a collection of bags of features."""

    bags: int = 0
    df: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unigrams: list[str] = field(default_factory=list)
    extra: frozenset[str] = frozenset()
    _idf: dict[str, float] = field(default_factory=dict)
    _corrections: dict[str, str | None] = field(default_factory=dict)
    _accented: dict[str, set[str]] | None = None

    @classmethod
    def build(cls, bags: Iterable[Iterable[str]], extra_words: Iterable[str] = ()) -> "Vocabulary":
        """Document frequencies over ``bags``; ``extra_words`` are known (for typo correction) but not counted."""
        vocab = cls()
        for bag in bags:
            vocab.bags += 1
            for term in set(bag):
                vocab.df[term] += 1
        vocab.df = dict(vocab.df)
        vocab.extra = frozenset(extra_words) - vocab.df.keys()
        vocab.unigrams = sorted(
            t for t in (*vocab.df, *vocab.extra)
            if " " not in t and len(t) >= 3 and not t.isdigit() and not is_accent(t)
        )
        return vocab

    @property
    def max_idf(self) -> float:
        return math.log((self.bags + 1) / 0.5)

    def idf(self, term: str) -> float:
        idf = self._idf.get(term)
        if idf is None:
            df = self.df.get(term)
            idf = math.log((self.bags + 1) / (df + 0.5)) if df else self.max_idf
            if df:
                self._idf[term] = idf
        return idf

    def known(self, term: str) -> bool:
        return term in self.df or term in self.extra

    def accented_forms(self, word: str) -> set[str]:
        """How a folded word was written with diacritics in the collection ("truoc" -> {"trước"})."""
        if self._accented is None:
            self._accented = defaultdict(set)
            for term in self.df:
                if is_accent(term) and " " not in term:
                    self._accented[strip_accents(term[1:])].add(term[1:])
        return self._accented.get(word, set())

    def correct(self, word: str) -> str | None:
        """A known word one typo away from an unknown one, if any (remembered per vocabulary)."""
        if word in self._corrections:
            return self._corrections[word]
        fixed = None
        if len(word) >= 4 and not word.isdigit():
            # Optimal string alignment: one dropped, doubled, wrong or swapped letter is one edit.
            found = process.extractOne(word, self.unigrams, scorer=OSA.normalized_similarity, score_cutoff=0.75)
            fixed = found[0] if found else None
        if len(self._corrections) < 65536:
            self._corrections[word] = fixed
        return fixed


@dataclass(frozen=True)
class Query:
    """A question folded, typo-corrected against a vocabulary, and weighted."""

    text: str
    toks: tuple[str, ...]
    weights: dict[str, float]  # feature -> weight (relative weight x idf)
    unknown: tuple[str, ...]  # content words no bag of the collection contains

    @property
    def norm(self) -> float:
        return math.sqrt(sum(w * w for w in self.weights.values())) or 1.0

    @property
    def accented(self) -> bool:
        return any(is_accent(f) for f in self.weights)

    def content_words(self) -> dict[str, float]:
        """The question's folded unigrams that carry meaning (fillers and place words aside), with weights."""
        return self._content[0]

    @cached_property
    def _content(self) -> tuple[dict[str, float], float]:
        """content_words() and their total weight, computed once per question (coverage is asked often)."""
        unigrams = {f: w for f, w in self.weights.items() if " " not in f and not is_accent(f)}
        words = {f: w for f, w in unigrams.items() if not is_filler(f) and f not in PLACE_WORDS} or unigrams
        return words, sum(words.values())

    def coverage(self, present: Callable[[str], bool]) -> float:
        """Share of the content words' weight for which ``present(word)`` holds."""
        words, mass = self._content
        return sum(w for f, w in words.items() if present(f)) / mass if mass else 0.0


def make_query(text: str, vocab: Vocabulary) -> Query:
    toks = list(tokens(text))
    if len(toks) > 2 and toks[-1] == "khong" and not toks[-2].isdigit():
        toks[-1] = "?"  # "có ... không?" asks a question; it is not the "không" of "5 không"
    # A word typed with diacritics is corrected only to a word written one slip away with its
    # diacritics too: "trớc" becomes "trước", but "vượt" does not become "vườn".
    typed = {strip_accents(w): w for w in accented_words(text) if not w.replace("đ", "d").isascii()}
    unknown: list[str] = []
    for i, tok in enumerate(toks):
        if vocab.known(tok) or is_filler(tok):
            continue
        fixed = vocab.correct(tok)
        if fixed and tok in typed and (forms := vocab.accented_forms(fixed)):
            if all(OSA.distance(typed[tok], form) > 1 for form in forms):
                fixed = None
        if fixed:
            toks[i] = fixed
        else:
            unknown.append(tok)
    return Query(text=text, toks=tuple(toks), weights=_weights(tuple(toks), text, vocab), unknown=tuple(unknown))


def reweighed(query: Query, vocab: Vocabulary) -> Query:
    """A question already read (folded, typo-corrected) against one collection, weighed against another."""
    return replace(query, weights=_weights(query.toks, query.text, vocab))


def _weights(toks: tuple[str, ...], text: str, vocab: Vocabulary) -> dict[str, float]:
    feats = features(toks)
    feats.update(accent_features(text))
    # An unseen bigram or accented form says nothing (the folded words are weighed on their own).
    df, extra = vocab.df, vocab.extra  # vocab.known(), inlined: this runs for every feature of every question
    return {f: rel * vocab.idf(f) for f, rel in feats.items()
            if f in df or f in extra or (" " not in f and not f.startswith(ACCENT_PREFIX))}


def posting_arrays(postings: dict[str, list[tuple[int, float]]]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Postings (feature -> [(item, weight)]) as a pair of arrays per feature."""
    return {
        feat: (np.array([i for i, _ in items], dtype=np.intp), np.array([w for _, w in items]))
        for feat, items in postings.items()
    }


def dot_products(arrays: dict[str, tuple[np.ndarray, np.ndarray]], weights: list[tuple[str, float]], size: int) -> np.ndarray:
    """Dot products of a question's weighted features with every indexed item, as one array."""
    parts = [(arrays[feat], weight) for feat, weight in weights if feat in arrays]
    if not parts:
        return np.zeros(size)
    index = np.concatenate([where for (where, _), _ in parts])
    values = np.concatenate([there * weight for (_, there), weight in parts])
    return np.bincount(index, weights=values, minlength=size)
