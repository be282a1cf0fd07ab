"""Which documents a question is about, by the names people call them.

An official asks "Trong Chương trình thực hiện Nghị quyết 43, Ban Dân vận Thành ủy
được giao gì?".  The words that name the document are not what is asked: scored
with the rest they rank the document's own particulars, and every passage of it,
above the one section that answers.  So the passages are searched within the
named documents (and places), for the question without their names.  The names are data, in
each document's front matter (``names``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.content import Library
from bot.guards import without_localities
from bot.text import fold


@dataclass(frozen=True)
class Scope:
    documents: frozenset[str]  # ids of the documents the question names; empty: any
    rest: str  # the folded question without the names (and the places searched within)
    # Of ``documents``, those named as themselves ("Chương trình thực hiện Nghị quyết 43"), not by what
    # they implement ("Nghị quyết 43"): only their own particulars answer "ai ký", "ngày nào".
    itself: frozenset[str] = frozenset()


class DocumentNames:
    def __init__(self, library: Library) -> None:
        docs = library.documents.values()
        named = {(fold(name), doc.id, doc.area, True) for doc in docs for name in doc.names}
        named |= {(fold(name), doc.id, doc.area, False) for doc in docs for name in doc.implements}
        # Longest first: "chương trình thực hiện nghị quyết 43" before "nghị quyết 43".
        self._names = sorted(named, key=lambda n: (-len(n[0]), n[1]))
        self._patterns = {name: _name_pattern(name) for name, *_ in self._names}

    def only_elsewhere(self, folded: str, areas: set[str]) -> str | None:
        """The document a question names by its own numbered name ("chương trình hành động thực hiện
        Nghị quyết 43") when only another place has it: the places asked about (``areas``) have none."""
        for name, doc_id, area, own in self._names:
            if own and area not in areas and any(ch.isdigit() for ch in name) and self._patterns[name].search(folded):
                return doc_id
        return None

    def scope(self, folded: str, areas: set[str] | None = None) -> Scope:
        """The documents ``folded`` names (of ``areas`` only, when given) and the question without their
        names; searched within ``areas``, the question's place names are no evidence either."""
        found: set[str] = set()
        itself: set[str] = set()
        for name, doc_id, area, own in self._names:
            if areas and area not in areas:
                continue
            rest = self._patterns[name].sub(" ", folded)
            if rest != folded:
                found.add(doc_id)
                if own:
                    itself.add(doc_id)
                folded = rest
        rest = without_localities(folded) if areas else " ".join(folded.split())
        return Scope(frozenset(found), rest, frozenset(itself))


# Linking words people add to or drop from a document's name: "chương trình hành động về dân vận"
# is the "Chương trình hành động về công tác dân vận".
_LINKS = ("ve", "cong tac", "cua", "thuc hien")
_LINK = r"(?:\s+(?:" + "|".join(_LINKS) + r"))*\s+"


def _name_pattern(name: str) -> re.Pattern[str]:
    """A folded name as a pattern, with linking words optional between its other words."""
    words = name.split()
    core: list[str] = []
    i = 0
    while i < len(words):
        pair = " ".join(words[i:i + 2])
        if pair in _LINKS and core:
            i += 2
        elif words[i] in _LINKS and core:
            i += 1
        else:
            core.append(re.escape(words[i]))
            i += 1
    return re.compile(r"\b" + _LINK.join(core) + r"\b")
