"""What the handlers share: :class:`Services` in a typed ``bot_data`` (:class:`BotData`), reached
from a handler as ``context.services`` (:class:`Context`, the application's context type)."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import os
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.assistant import Assistant, Reply
from bot.config import Settings
from bot.conversations import Conversations
from bot.deadlines import Deadline
from bot.dialogue import Dialogue
from bot.leadership import Leader, leader_for
from bot.outbox import TELEGRAM, Outbox, Pace
from bot.paths import content_dir, intents_dir
from bot.petitions import Petitions
from bot.store import Store
from bot.workdays import today_in_vietnam

TOPICS_KEPT = 100_000
RENDERED_KEPT = 4096  # answers kept rendered: each intent's, with its quotes and places
PAGES_KEPT = 8192  # long answers kept for their "Xem thêm" button


@dataclass
class Services:
    settings: Settings
    assistant: Assistant
    deadlines: dict[str, Deadline]
    store: Store
    today: Callable[[], dt.date] = today_in_vietnam
    reminder_interval: float = 3600.0  # seconds between reminder rounds
    outbox_interval: float = 5.0  # seconds between outbox rounds when nothing wakes it
    pending_interval: float = 300.0  # seconds between looks for unit replies asked for and never given
    petitions: Petitions = field(init=False)
    conversations: Conversations = field(init=False)
    outbox: Outbox = field(init=False)
    outbox_event: asyncio.Event = field(default_factory=asyncio.Event)
    pace: Pace = TELEGRAM  # Telegram's limits, kept by the outbox and every reply (bot/telegram/pacing.py)
    jobs_leader: Leader | None = None  # who runs the scheduled rounds, of the processes on one database
    dialogue: Dialogue = field(default_factory=Dialogue)
    fragment_hold: float = 3.0  # seconds a short unanswerable piece waits for the rest of its question

    def __post_init__(self) -> None:
        self.petitions = Petitions(self.store, self.settings.units, self.settings.admins, self.settings.holidays,
                                   self.settings.working_days)
        self.conversations = Conversations(self.store)
        self.outbox = Outbox(self.store, self.pace)

    async def open(self) -> None:
        """post_init: the database, migrated first; what admins taught the assistant is applied."""
        await self.store.open()
        self.jobs_leader = leader_for(self.settings.store_target, "jobs")
        learned = await self.store.learned()
        if learned:
            self.assistant = await asyncio.to_thread(Assistant.load, content_dir(), intents_dir(), None, learned)

    async def reload(self) -> None:
        """Content, intents (with what admins taught from the dashboard), deadlines and the
        configuration loaded again (in a worker thread: the bot keeps answering meanwhile); any
        broken file raises, and what runs is kept."""
        from bot.config import load_settings
        from bot.deadlines import load_deadlines

        learned = await self.store.learned()
        assistant = await asyncio.to_thread(Assistant.load, content_dir(), intents_dir(), None, learned)
        deadlines = load_deadlines(content_dir() / "deadlines.yaml", assistant.library)
        fresh = load_settings(require_token=False) if os.environ.get("DANVAN_CONFIG") else self.settings
        self.assistant = assistant
        self.deadlines = {d.id: d for d in deadlines}
        self.settings = replace(self.settings, admins=fresh.admins, units=fresh.units, holidays=fresh.holidays,
                                working_days=fresh.working_days)
        self.petitions = Petitions(self.store, self.settings.units, self.settings.admins, self.settings.holidays,
                                   self.settings.working_days)
        self._rendered.clear()

    async def close(self) -> None:
        if self.jobs_leader is not None:
            await self.jobs_leader.release()
        await self.store.close()

    def wake_outbox(self) -> None:
        self.outbox_event.set()

    def remember_topic(self, user_id: int | None, intent_id: str | None, question: str = "") -> None:
        """The last answer a user was given, for a follow-up such as "còn ở Lai Châu thì sao?", and
        the question it answered, for a 👎 on it (kept in memory: after a restart such a follow-up
        asks what the user means, and a 👎 counts without its question)."""
        if user_id is None or intent_id is None:
            return
        if len(self._topics) >= TOPICS_KEPT and user_id not in self._topics:
            self._topics.clear()
            self._asked.clear()
        self._topics[user_id] = intent_id
        if question.strip():
            self._asked[user_id] = (intent_id, question)

    def question_answered(self, user_id: int, intent_id: str) -> str | None:
        """The question the user was last answered with ``intent_id`` for, if it was the last one."""
        asked = self._asked.get(user_id)
        return asked[1] if asked and asked[0] == intent_id else None

    def topic(self, user_id: int | None) -> str | None:
        return self._topics.get(user_id) if user_id is not None else None
    _rendered: dict[tuple[str, str, int | None, bool], tuple[list[str], dict]] = field(default_factory=dict)
    _pages: OrderedDict[str, tuple[Reply, int | None]] = field(default_factory=OrderedDict)
    _topics: dict[int, str] = field(default_factory=dict)
    _asked: dict[int, tuple[str, str]] = field(default_factory=dict)  # user -> (intent, question it answered)
    _held: dict[int, tuple[asyncio.Task, Callable[[], Awaitable[None]]]] = field(default_factory=dict)

    def hold(self, user_id: int, reply_later: Callable[[], Awaitable[None]],
             start: Callable[[Awaitable[None]], asyncio.Task]) -> None:
        """Send a reply after :attr:`fragment_hold` seconds unless the user's next message comes first."""
        async def later() -> None:
            await asyncio.sleep(self.fragment_hold)
            if self._held.get(user_id, (None,))[0] is task:
                del self._held[user_id]
                await reply_later()

        task = start(later())
        self._held[user_id] = (task, reply_later)

    def take_held(self, user_id: int) -> Callable[[], Awaitable[None]] | None:
        """The reply still held for a user's last piece, no longer to be sent on its own (None if none)."""
        entry = self._held.pop(user_id, None)
        # Not cancelled: the waiting task finds itself no longer held and ends without sending.
        return entry[1] if entry is not None else None

    def rendered_answer(self, reply: Reply, back_theme: int | None = None, paged: bool = True) -> tuple[list[str], dict]:
        """An answer as HTML messages and its buttons (as the Bot API takes them): a long one's first
        screen with "Xem thêm" (``paged``), or the whole.  The same answer (an intent's, with the same
        quote and places) is built once."""
        from bot.telegram import render

        paged = paged and render.is_long(reply)
        token = self.keep_page(reply, back_theme) if paged else ""  # kept again at each use: the last ones are kept
        key = (reply.intent, reply.answer, back_theme, paged)
        if reply.intent is None or key not in self._rendered:
            keyboard = render.answer_keyboard(reply, self.assistant, back_theme).to_dict()
            if paged:
                keyboard = {"inline_keyboard": [render.more_row(token, reply.intent), *keyboard["inline_keyboard"]]}
            built = (render.reply_html(reply, paged), keyboard)
            if reply.intent is None:
                return built
            if len(self._rendered) >= RENDERED_KEPT:
                self._rendered.clear()
            self._rendered[key] = built
        return self._rendered[key]

    def keep_page(self, reply: Reply, back_theme: int | None = None) -> str:
        """A token for the whole of a long answer (and the topic list it was opened from), for its
        "Xem thêm" button; the last ones are kept, in memory."""
        token = hashlib.blake2b(f"{back_theme}:{reply.answer}".encode(), digest_size=6).hexdigest()
        self._pages[token] = (reply, back_theme)
        self._pages.move_to_end(token)
        if len(self._pages) > PAGES_KEPT:
            self._pages.popitem(last=False)
        return token

    def page(self, token: str) -> tuple[Reply, int | None] | None:
        return self._pages.get(token)

    @property
    def themes(self) -> list[str]:
        return list(dict.fromkeys(i.theme for i in self.assistant.intents.values() if i.kind == "answer"))

    def theme_intents(self, number: int, official: bool) -> list[str]:
        theme = self.themes[number]
        return [
            i.id for i in self.assistant.intents.values()
            if i.theme == theme and i.kind == "answer" and (official or i.audience != "official")
        ]

    def theme_of(self, intent_id: str) -> int | None:
        theme = self.assistant.intents[intent_id].theme
        return self.themes.index(theme) if theme in self.themes else None


class BotData:
    """The application's ``bot_data``: its services and the flood gate, set by build_application."""

    services: Services
    flood: Any  # bot.telegram.app.FloodGate
    outbox_task: asyncio.Task | None = None


class Context(CallbackContext[ExtBot, dict, dict, BotData]):
    """The context every handler gets (``ContextTypes(context=Context, bot_data=BotData)``)."""

    @property
    def services(self) -> Services:
        return self.bot_data.services


DanvanApplication = Application[ExtBot, Context, dict, dict, BotData, Any]
