"""Everyday words to the documents' words, from a reviewed data file (content/paraphrases.yaml).

A question that says "làm khó" is about what the documents call "gây phiền hà": the
documents' phrases are added to the question (its own words stay) before matching,
for intents and passages alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.text import fold

FILE_NAME = "paraphrases.yaml"
_WORD = re.compile(r"\w+")


class ParaphraseError(ValueError):
    """The paraphrase file is malformed; the message names the file and entry."""


@dataclass(frozen=True)
class Paraphrase:
    say: tuple[str, ...]  # folded
    docs: tuple[str, ...]  # as the documents write them
    line: int = 0


class Paraphrases:
    def __init__(self, entries: list[Paraphrase]) -> None:
        self.entries = entries
        self._patterns = [
            (re.compile(r"\b(?:" + "|".join(re.escape(s) for s in sorted(e.say, key=len, reverse=True)) + r")\b"), e)
            for e in entries if e.say
        ]
        # Each entry is tried only on a question holding the first word of one of its phrases:
        # a question meets a few entries, not all of them.
        self._by_word: dict[str, set[int]] = {}
        self._always: set[int] = set()  # an entry with a phrase that does not start with a word
        for index, (_, entry) in enumerate(self._patterns):
            for say in entry.say:
                first = _WORD.match(say)
                if first:
                    self._by_word.setdefault(first.group(), set()).add(index)
                else:
                    self._always.add(index)

    def expand(self, text: str) -> str:
        """``text`` followed by the documents' wording of the everyday phrases it contains."""
        folded = fold(text)
        tried = sorted(self._always.union(*(self._by_word.get(word, ()) for word in set(_WORD.findall(folded)))))
        added: list[str] = []
        for index in tried:
            pattern, entry = self._patterns[index]
            if pattern.search(folded):
                added.extend(d for d in entry.docs if fold(d) not in folded and d not in added)
        return f"{text} ({', '.join(added)})" if added else text


def load_paraphrases(directory: Path) -> Paraphrases:
    """The paraphrases of ``directory/paraphrases.yaml``; none when the file is absent."""
    path = directory / FILE_NAME
    if not path.exists():
        return Paraphrases([])
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParaphraseError(f"{path}: not valid YAML: {exc}") from None
    items = raw.get("paraphrases") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise ParaphraseError(f"{path}: expected a list under 'paraphrases'")
    entries = []
    for number, item in enumerate(items, 1):
        say, docs = (item.get("say"), item.get("docs")) if isinstance(item, dict) else (None, None)
        if not (isinstance(say, list) and isinstance(docs, list) and say and docs
                and all(isinstance(x, str) and x.strip() for x in (*say, *docs))):
            raise ParaphraseError(f"{path}: entry {number}: 'say' and 'docs' must be non-empty lists of phrases")
        entries.append(Paraphrase(tuple(fold(s) for s in say), tuple(d.strip() for d in docs), number))
    return Paraphrases(entries)
