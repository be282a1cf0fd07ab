"""What the assistant learns from the questions it could not answer.

Admins read the unanswered questions grouped by likeness (:func:`group`), and attach a group to an
intent as examples, or mark it out of scope; those choices are rows in the database
(:class:`bot.store.Learned`), applied to the shipped intents when the knowledge is loaded
(:func:`with_learned`), checked by ``danvan validate --db`` like any example, and exportable for
content editors working offline (:func:`export_rows`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from bot.intents import Intent
from bot.store import Learned, Unanswered
from bot.text import fold

LIKENESS = 80  # rapidfuzz token_sort_ratio (0-100) at which two questions are one group
OUT_OF_SCOPE_LIKENESS = 92  # a question this close to one marked out of scope falls back
LEARNED_FILE = "database:learned"  # where a learned example is said to be, in validate's problems


@dataclass(frozen=True)
class Group:
    """Unanswered questions that ask nearly the same thing, the most recent first."""

    items: tuple[Unanswered, ...]

    @property
    def first(self) -> Unanswered:
        return self.items[0]

    @property
    def title(self) -> str:
        """The wording shown for the group: the one typed with the most diacritics (the easiest to read)."""
        return max(self.items, key=lambda i: (sum(not ch.isascii() for ch in i.question), i.id)).question

    @property
    def ids(self) -> list[int]:
        return [item.id for item in self.items]

    @property
    def answered_instead(self) -> list[str]:
        """The intents the assistant answered with instead (the 👎 ones), each once."""
        return list(dict.fromkeys(i.answered_intent for i in self.items if i.answered_intent))


def group(items: Iterable[Unanswered], likeness: int = LIKENESS) -> list[Group]:
    """Questions grouped greedily, each joining the first group whose first question is like it;
    the biggest groups first (then the most recent)."""
    groups: list[tuple[str, list[Unanswered]]] = []
    for item in sorted(items, key=lambda i: -i.id):
        key = fold(item.question)
        for first, members in groups:
            # (not token_set_ratio: "cho hỏi" would be 100 like any question that starts with it)
            if fuzz.token_sort_ratio(key, first) >= likeness:
                members.append(item)
                break
        else:
            groups.append((key, [item]))
    return sorted((Group(tuple(members)) for _, members in groups), key=lambda g: (-len(g.items), -g.first.id))


def with_learned(intents: Sequence[Intent], learned: Iterable[Learned]) -> list[Intent]:
    """The intents with the learned examples added (those of unknown intents are left out: validate says so)."""
    extra: dict[str, list[Learned]] = {}
    for item in learned:
        if item.intent is not None:
            extra.setdefault(item.intent, []).append(item)
    out = []
    for intent in intents:
        added = [item for item in extra.get(intent.id, ()) if item.question not in intent.examples]
        if added:
            # (their lines are not the YAML file's: validate checks them apart, see learned_problems)
            intent = replace(intent, examples=(*intent.examples, *(a.question for a in added)))
        out.append(intent)
    return out


def out_of_scope(learned: Iterable[Learned]) -> tuple[str, ...]:
    return tuple(fold(item.question) for item in learned if item.intent is None)


def is_out_of_scope(folded: str, marked: Sequence[str]) -> bool:
    return any(fuzz.ratio(folded, known) >= OUT_OF_SCOPE_LIKENESS for known in marked)


def export_rows(groups: Sequence[Group], titles: Mapping[str, str]) -> list[list[str]]:
    """The open questions as rows for a spreadsheet (the header is the caller's, in Vietnamese)."""
    rows = []
    for number, g in enumerate(groups, 1):
        instead = "; ".join(titles.get(i, i) for i in g.answered_instead)
        for item in g.items:
            rows.append([str(number), str(len(g.items)), item.question, instead, item.created_at, str(item.id)])
    return rows
