"""Turning replies into Telegram messages: HTML escaping, splitting, inline keyboards.

Everything sent with ``parse_mode=HTML`` passes through :func:`escape` here;
callback data is built only here, each feature with its own prefix, and always
within Telegram's 64 bytes.
"""

from __future__ import annotations

import html
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import messages, places
from bot.assistant import Assistant, Reply
from bot.text import utf16_len

MAX_MESSAGE = 4096  # UTF-16 code units
# An answer's body a phone shows on one screen, in UTF-16 units; a longer one ends at a paragraph or
# line end there, with "Xem thêm" for the rest.  Not cut when the rest would be a few lines only.
PAGE = 900
PAGE_SLACK = 1.35
QUOTE_SCREEN = 300  # characters of a quotation above an answer on its first screen
MAX_CALLBACK = 64  # bytes
BUTTON_TITLE = 60  # characters shown on a button before "…"

# Callback data prefixes, one per feature.
ANSWER = "a"  # a:<intent> show an answer by editing the message (browsing)
RELATED = "r"  # r:<intent> show an answer as a new message
VOTE = "v"  # v:<+|->:<intent>
THEME = "t"  # t:<theme number>
MENU = "m"  # m:<home|topics|ask|search|deadlines|reminders|help>
ROLE = "role"  # role:<citizen|official>
PLACE = "loc"  # loc:<hcm|laichau|dongnai|all>
FEEDBACK = "fb"  # fb:<unanswered id>
REMIND = "rem"  # rem:<deadline id>
MORE = "more"  # more:<page token>:<intent or nothing> the whole of a long answer


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def data(*parts: str) -> str:
    """Callback data from parts; never over Telegram's 64 bytes."""
    joined = ":".join(parts)
    if len(joined.encode("utf-8")) > MAX_CALLBACK:
        raise ValueError(f"callback data over {MAX_CALLBACK} bytes: {joined!r}")
    return joined


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """Inline buttons from rows of (label, callback data)."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=cb) for label, cb in row] for row in rows])


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` cut to fit ``limit`` UTF-16 units (Telegram's measure), with "…" when cut."""
    if utf16_len(text) <= limit:
        return text
    low, high = 0, min(len(text), limit)  # the longest prefix that leaves room for "…"
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if utf16_len(text[:mid]) <= limit - 1 else (low, mid - 1)
    return text[:low] + "…"


def short(title: str, limit: int = BUTTON_TITLE) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def split_plain(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Cut plain text into pieces whose escaped form fits one message, at paragraph, line or word ends."""
    pieces: list[str] = []
    rest = text
    while utf16_len(escape(rest)) > limit:
        cut = _cut_point(rest, limit)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def _cut_point(text: str, limit: int) -> int:
    # The longest prefix whose escaped UTF-16 length fits (escaping can only grow text).
    low, high = 1, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if utf16_len(escape(text[:mid])) <= limit:
            low = mid
        else:
            high = mid - 1
    window = text[:low]
    for separator in ("\n\n", "\n", " "):
        at = window.rfind(separator)
        if at > low // 2:
            return at + len(separator)
    return low


def reply_html(reply: Reply, paged: bool = False) -> list[str]:
    """A reply as HTML messages: the body, then its sources in italics.  ``paged``: a long body's first
    screen only (see :func:`is_long`), ended with "…"; its sources are always shown."""
    body, marker, sources = reply.answer.partition(f"\n\n{messages.SOURCE_HEADER}")
    if paged and is_long(reply):
        body = _first_screen(body)
        sources = _NUMBERED_HEADING.sub(r"\1", sources)  # "mục II.2.2", its heading with the whole answer
    chunks = [escape(piece) for piece in split_plain(body)]
    if marker:
        cite = f"<i>{escape(messages.SOURCE_HEADER + sources)}</i>"
        if utf16_len(chunks[-1]) + 2 + utf16_len(cite) <= MAX_MESSAGE:
            chunks[-1] = f"{chunks[-1]}\n\n{cite}"
        else:
            chunks.append(cite)
    return chunks


_NUMBERED_HEADING = re.compile(r"(mục [0-9IVX.]+) “[^”]*”")


def _first_screen(body: str) -> str:
    """A long body's first screen: a quotation above the answer shortened, so that the answer shows too."""
    first, gap, rest = body.partition("\n\n")
    opened, closed = first.find(" «"), first.rfind("» (")
    if first.startswith(messages.QUOTE_HEADER) and rest and 0 < opened < closed and closed - opened > QUOTE_SCREEN:
        quoted = first[opened + 2:closed]
        cut = quoted[:QUOTE_SCREEN].rsplit(" ", 1)[0].rstrip(" ,;:…")
        body = f"{first[:opened]} «{cut} …{first[closed:]}{gap}{rest}"
    return body[:_cut_point(body, PAGE)].rstrip() + "\n…"


def is_long(reply: Reply) -> bool:
    """Whether an answer's body is more than a phone screen (and worth a "Xem thêm")."""
    body = reply.answer.partition(f"\n\n{messages.SOURCE_HEADER}")[0]
    return utf16_len(body) > PAGE * PAGE_SLACK


def more_row(token: str, intent: str | None) -> list[dict]:
    """The "Xem thêm" button of a long answer's first screen, as the Bot API takes it."""
    return [InlineKeyboardButton(messages.SHOW_MORE, callback_data=data(MORE, token, intent or "")).to_dict()]


def answer_keyboard(reply: Reply, assistant: Assistant, back_theme: int | None = None) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    if reply.intent and reply.kind == "answer":
        rows.append([
            InlineKeyboardButton(messages.VOTE_UP, callback_data=data(VOTE, "+", reply.intent)),
            InlineKeyboardButton(messages.VOTE_DOWN, callback_data=data(VOTE, "-", reply.intent)),
        ])
        for related in reply.related[:3]:
            title = assistant.intents[related].title
            rows.append([InlineKeyboardButton(f"➡️ {short(title)}", callback_data=data(RELATED, related))])
    # what the documents say is often not the end of it: sending a petition is one tap away
    nav = [InlineKeyboardButton(messages.MENU_TOPICS, callback_data=data(MENU, "topics")),
           InlineKeyboardButton(messages.MENU_PETITION, callback_data=data(MENU, "petition"))]
    if back_theme is not None:
        nav.insert(0, InlineKeyboardButton(messages.BACK_TO_TOPICS, callback_data=data(THEME, str(back_theme))))
    rows.append(nav)
    return InlineKeyboardMarkup(rows)


def clarify_keyboard(reply: Reply, assistant: Assistant) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(f"{n}. {short(assistant.intents[i].title)}", callback_data=data(RELATED, i))]
        for n, i in enumerate(reply.options, 1)
    ]
    rows.append([InlineKeyboardButton(messages.MENU_TOPICS, callback_data=data(MENU, "topics"))])
    return InlineKeyboardMarkup(rows)


def fallback_keyboard(unanswered_id: int | None) -> InlineKeyboardMarkup:
    rows = []
    if unanswered_id is not None:
        rows.append([InlineKeyboardButton(messages.FORWARD_FEEDBACK, callback_data=data(FEEDBACK, str(unanswered_id)))])
    rows.append([InlineKeyboardButton(messages.MENU_TOPICS, callback_data=data(MENU, "topics"))])
    return InlineKeyboardMarkup(rows)


# Small talk about the assistant's own petitions: the next step is one tap away.
PETITION_TALK = frozenset({"huong-dan-phan-anh", "bao-mat-thong-tin", "huy-phan-anh"})


def petition_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(messages.MENU_PETITION, callback_data=data(MENU, "petition")),
        InlineKeyboardButton(messages.MENU_MY_PETITIONS, callback_data=data(MENU, "mine")),
    ]])


def menu_keyboard(official: bool) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(messages.MENU_ASK, callback_data=data(MENU, "ask")),
         InlineKeyboardButton(messages.MENU_TOPICS, callback_data=data(MENU, "topics"))],
        [InlineKeyboardButton(messages.MENU_PETITION, callback_data=data(MENU, "petition")),
         InlineKeyboardButton(messages.MENU_MY_PETITIONS, callback_data=data(MENU, "mine"))],
        [InlineKeyboardButton(messages.MENU_SEARCH, callback_data=data(MENU, "search")),
         InlineKeyboardButton(messages.MENU_DEADLINES, callback_data=data(MENU, "deadlines"))],
        [InlineKeyboardButton(messages.MENU_REMINDERS, callback_data=data(MENU, "reminders")),
         InlineKeyboardButton(messages.MENU_HELP, callback_data=data(MENU, "help"))],
    ]
    if not official:  # citizens ask and send petitions; the officials' tools stay reachable by command
        rows = [rows[0], rows[1], [rows[3][1]]]
    return InlineKeyboardMarkup(rows)


def role_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(messages.ROLE_CITIZEN, callback_data=data(ROLE, "citizen")),
        InlineKeyboardButton(messages.ROLE_OFFICIAL, callback_data=data(ROLE, "official")),
    ]])


def locality_keyboard() -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(name, callback_data=data(PLACE, code))] for code, name in places.CHOICES.items()]
    rows.append([InlineKeyboardButton(messages.LOCALITY_ANY, callback_data=data(PLACE, "all"))])
    return InlineKeyboardMarkup(rows)


def topics_keyboard(themes: list[str]) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(short(theme), callback_data=data(THEME, str(n)))] for n, theme in enumerate(themes)]
    rows.append([InlineKeyboardButton(messages.MENU_HOME, callback_data=data(MENU, "home"))])
    return InlineKeyboardMarkup(rows)


def theme_keyboard(intent_ids: list[str], assistant: Assistant) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(short(assistant.intents[i].title), callback_data=data(ANSWER, i))] for i in intent_ids
    ]
    rows.append([
        InlineKeyboardButton(messages.BACK_TO_TOPICS, callback_data=data(MENU, "topics")),
        InlineKeyboardButton(messages.MENU_HOME, callback_data=data(MENU, "home")),
    ])
    return InlineKeyboardMarkup(rows)


def reminders_keyboard(items: list[tuple[str, str, bool]]) -> InlineKeyboardMarkup:
    """items: (deadline id, label, subscribed)."""
    rows = [
        [InlineKeyboardButton(f"{'🔔' if on else '🔕'} {short(label, 56)}", callback_data=data(REMIND, deadline_id))]
        for deadline_id, label, on in items
    ]
    rows.append([InlineKeyboardButton(messages.MENU_HOME, callback_data=data(MENU, "home"))])
    return InlineKeyboardMarkup(rows)
