"""Passage search over the documents' sections, for officials and as a last resort.

Passages are the paragraphs of every section.  A query is scored against them
with BM25 over folded unigrams and bigrams; each hit carries the one to three
sentences of its paragraph that match the query best, so that a reply quotes
what answers the question rather than a whole page.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from bot.content import CARD_ANCHOR, Library, Section, footnote, footnotes, is_footnote, note_markers
from bot.features import FILLER, Query, Vocabulary, dot_products, features, make_query, posting_arrays, reweighed
from bot.text import tokens

_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=[-+“\"(A-ZÀ-Ỹ0-9])")
K1, B = 0.9, 0.5  # chosen on the development questions: first-passage hits 213 -> 226 of 300 (field_qa)
PRUNE_SHARE = 0.1


@dataclass(frozen=True)
class Passage:
    section: Section
    index: int  # paragraph number within the section
    text: str
    notes: tuple[str, ...] = ()  # the footnotes it refers to ("⁵ Số 386-KL/TU ..."), searched and shown with it
    is_note: bool = False  # a footnote itself


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float
    coverage: float  # share of the query's content words found in the passage
    phrases: int  # query bigrams (not both fillers) found in the passage
    excerpt: str


class PassageIndex:
    """BM25 over the documents' paragraphs, or (``by_sentence``) over their sentences, each a passage
    of its own with its paragraph's number: the sentence that holds what is asked, wherever it is."""

    def __init__(self, library: Library, by_sentence: bool = False) -> None:
        self.passages: list[Passage] = []
        bags: list[dict[str, float]] = []
        searched: list[tuple[str, ...]] = []  # each passage's tokens, as it is found (see _searched)
        notes = footnotes(library)
        for section in library.sections.values():
            for index, text in enumerate(section.paragraphs):
                if is_footnote(text):
                    if by_sentence:
                        continue
                    units = [Passage(section, index, text, is_note=True)]
                else:
                    units = [
                        Passage(section, index, part, tuple(dict.fromkeys(
                            notes[section.doc.id, m] for m in note_markers(part) if (section.doc.id, m) in notes)))
                        for part in (sentences(text) if by_sentence else (text,))
                    ]
                for passage in units:
                    self.passages.append(passage)
                    searched.append(tokens(_searched(passage)))
                    bags.append(features(searched[-1]))
        self.vocab = Vocabulary.build(bags)
        self._referred = {note for passage in self.passages for note in passage.notes}
        self._queries: dict[str, Query] = {}
        # postings: feature -> (passage, its BM25 term frequency part), computed once
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._features: list[frozenset[str]] = []
        counted: list[dict[str, int]] = []
        lengths: list[int] = []
        for toks in searched:
            counts: dict[str, int] = defaultdict(int)
            for feat in _all_features(toks):
                counts[feat] += 1
            counted.append(counts)
            self._features.append(frozenset(counts))
            lengths.append(len(toks))
        average = sum(lengths) / max(len(lengths), 1)
        for p_index, counts in enumerate(counted):
            norm = K1 * (1 - B + B * lengths[p_index] / average)
            for feat, count in counts.items():
                self._postings[feat].append((p_index, count * (K1 + 1) / (count + norm)))
        self._arrays = posting_arrays(self._postings)
        self._areas = np.array([passage.section.doc.area for passage in self.passages])
        self._documents = np.array([passage.section.doc.id for passage in self.passages])

    def query(self, text: str) -> Query:
        """The question weighed against the passages (the last few kept: one question asks several times)."""
        found = self._queries.get(text)
        if found is None:
            if len(self._queries) >= 64:
                self._queries.clear()
            found = self._queries[text] = make_query(text, self.vocab)
        return found

    def search(
        self, text: str, limit: int = 5, areas: set[str] | None = None, max_chars: int = 700, excerpts: bool = True,
        documents: set[str] | None = None, query: Query | None = None,
    ) -> list[Hit]:
        """The best passages for ``text``, best first; ``areas`` keeps only those localities' documents,
        ``documents`` only those documents; without ``excerpts`` the hits' excerpts are left empty,
        for a caller that cuts its own; ``query``: ``text`` as another index read it, weighed here
        (its typos are not corrected twice)."""
        q = reweighed(query, self.vocab) if query else self.query(text)
        if not q.weights:
            return []
        floor = PRUNE_SHARE * max(q.weights.values())
        # Words found in most passages: long postings, no signal.
        counted = [(feat, weight) for feat, weight in q.weights.items() if weight >= floor]
        totals = dot_products(self._arrays, counted, len(self.passages))
        if areas:
            totals[~np.isin(self._areas, list(areas))] = 0.0
        if documents:
            totals[~np.isin(self._documents, list(documents))] = 0.0
        matched = np.flatnonzero(totals)
        best = [int(i) for i in matched[np.argsort(-totals[matched], kind="stable")][:limit]]
        scores = {i: float(totals[i]) for i in best}
        hits = []
        for p_index in best:
            held = self._features[p_index]
            found = {feat for feat, _ in counted if feat in held}
            passage = self.passages[p_index]
            phrases = sum(1 for f in found if " " in f)
            hits.append(Hit(
                passage, scores[p_index], q.coverage(found.__contains__), phrases,
                passage_excerpt(passage, q, max_chars) if excerpts else "",
            ))
        return hits


    def section_hits(self, section_id: str) -> list[Hit]:
        """A section's passages as hits in their own right (a named document's particulars, asked for)."""
        return [Hit(p, 0.0, 1.0, 0, "") for p in self.passages if p.section.id == section_id]

    def is_referred(self, note: Passage) -> bool:
        """Whether a footnote is shown with a passage that refers to it (and found with it)."""
        return footnote(note.text) in self._referred

    def coverage(self, passage: Passage, text: str) -> float:
        """Share of the content words of ``text`` that ``passage`` (with its section title) holds."""
        q = self.query(text)
        held = set(tokens(_searched(passage)))
        return q.coverage(held.__contains__)


def _searched(passage: Passage) -> str:
    """What a passage is found by: its section's title, its text and the footnotes it refers to."""
    return " ".join([f"{passage.section.title}.", passage.text, *passage.notes])


def _all_features(toks: tuple[str, ...]) -> list[str]:
    """Every unigram and bigram occurrence (features() keeps one of each)."""
    out = list(toks)
    out += [f"{a} {b}" for a, b in zip(toks, toks[1:]) if not (a in FILLER and b in FILLER)]
    return out


@lru_cache(maxsize=16384)
def _sentence_features(sentence: str) -> frozenset[str]:
    return frozenset(_all_features(tokens(sentence)))


@lru_cache(maxsize=4096)
def sentences(paragraph: str) -> tuple[str, ...]:
    parts = [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]
    out: list[str] = []
    for part in parts:  # long enumerations: also cut at "; "
        out.extend(p.strip() for p in part.split("; ") if p.strip()) if len(part) > 600 else out.append(part)
    return tuple(out)


def passage_excerpt(passage: Passage, q: Query, max_chars: int = 700) -> str:
    """What to quote of a passage: a document's particulars whole (the signer is never the words
    asked, so choosing by the question's words would drop it), else the sentences that carry the query."""
    if passage.section.anchor == CARD_ANCHOR:
        return passage.text
    # The footnotes it refers to are sentences of it, at its end: "(⁵ Số 386-KL/TU ...)".
    return excerpt(" ".join([passage.text, *(f"({note.rstrip('.')}.)" for note in passage.notes)]), q, max_chars)


def excerpt(paragraph: str, q: Query, max_chars: int = 700) -> str:
    """The sentences of a paragraph that carry most of the query, in document order."""
    parts = sentences(paragraph)
    if len(paragraph) <= max_chars or len(parts) == 1:
        return paragraph if len(paragraph) <= max_chars * 1.5 else paragraph[: max_chars].rsplit(" ", 1)[0] + "…"
    def gain(sentence: str) -> float:
        return math.fsum(q.weights.get(f, 0.0) for f in _sentence_features(sentence))  # in any order, one sum

    ranked = sorted(range(len(parts)), key=lambda i: gain(parts[i]), reverse=True)
    chosen: list[int] = []
    size = 0
    for i in ranked[:3]:
        if size + len(parts[i]) > max_chars and chosen:
            break
        chosen.append(i)
        size += len(parts[i])
    chosen.sort()
    text = " … ".join(parts[i] for i in chosen)
    if chosen[0] > 0:
        text = "… " + text
    if chosen[-1] < len(parts) - 1:
        text += " …"
    return text
