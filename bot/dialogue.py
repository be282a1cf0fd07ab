"""What each user said and was offered a moment ago: fragments to read together, a choice to pick by number.

People type a question in pieces ("cho em hỏi" / "cái 5 không" / "là gì vậy") and answer a
list with its number ("2").  This keeps, per user and for a short while, the pieces that could
not be answered on their own and the options of the last clarifying question.  It is memory
only: after a restart a piece is read on its own again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

FRAGMENT_WINDOW = 30.0  # seconds within which pieces of one question are read together
FRAGMENTS_KEPT = 3  # pieces read together at most
USERS_KEPT = 100_000


@dataclass
class _Recent:
    fragments: list[tuple[float, str]] = field(default_factory=list)
    options: tuple[str, ...] = ()


class Dialogue:
    def __init__(self, window: float = FRAGMENT_WINDOW, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self.clock = clock
        self._users: dict[int, _Recent] = {}

    def _recent(self, user_id: int) -> _Recent:
        if user_id not in self._users and len(self._users) >= USERS_KEPT:
            self._users.clear()
        return self._users.setdefault(user_id, _Recent())

    def offered(self, user_id: int, options: tuple[str, ...]) -> None:
        """A clarifying choice was shown: its options can be picked by number next."""
        self._recent(user_id).options = options

    def pick(self, user_id: int, text: str) -> str | None:
        """The option a bare number names ("2", "số 2"), if the last reply offered a choice."""
        options = self._users.get(user_id, _Recent()).options
        digits = text.strip().lower().removeprefix("số").strip(" .)")
        if options and digits.isdigit() and 1 <= int(digits) <= len(options):
            return options[int(digits) - 1]
        return None

    def unanswered(self, user_id: int, text: str) -> None:
        """A piece that could not be answered alone: it may be the start of a question."""
        recent = self._recent(user_id)
        now = self.clock()
        recent.fragments = [(at, t) for at, t in recent.fragments if now - at <= self.window][-(FRAGMENTS_KEPT - 1):]
        recent.fragments.append((now, text))

    def together(self, user_id: int, text: str) -> str | None:
        """``text`` after the recent unanswered pieces, when there are any."""
        recent = self._users.get(user_id)
        now = self.clock()
        pieces = [t for at, t in recent.fragments if now - at <= self.window] if recent else []
        return " ".join([*pieces, text]) if pieces else None

    def answered(self, user_id: int) -> None:
        """The question was answered (or a new subject began): earlier pieces and choices are done with."""
        self._users.pop(user_id, None)
