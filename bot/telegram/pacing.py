"""Every message the bot sends, replies and the outbox's notices alike, from any process, within
Telegram's limits: a python-telegram-bot rate limiter whose global pace is kept in the database.

PTB's own AIORateLimiter paces one process: two processes would each send 30 a second.  Here each
message takes a slot from the database's pacing row (bot/outbox.py, Outbox.slot), so that all
processes together send at most 30 a second; a notice of the outbox takes a longer slot than a reply
(about 20 a second), so that people's replies come before bulk notices.  In a chat, at most the
pace's burst in its window and, a group, its number a minute, counted in this process (the outbox
keeps the same pace across processes by its queue).  A reply that still meets a 429 is sent again
after Telegram's retry_after, once; the outbox handles its own 429s.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.outbox import Outbox, Pace

log = logging.getLogger(__name__)

MESSAGES = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendLocation", "sendMediaGroup", "sendVideo",
                      "sendAudio", "sendVoice", "sendSticker", "sendContact", "sendVenue", "copyMessage",
                      "forwardMessage"})
EDITS = frozenset({"editMessageText", "editMessageReplyMarkup", "editMessageCaption", "editMessageMedia"})
OUTBOX = "outbox"  # rate_limit_args of the outbox's calls


class SharedPace(BaseRateLimiter[str]):
    def __init__(self, outbox: Callable[[], Outbox | None], pace: Pace) -> None:
        self._outbox = outbox
        self.pace = pace
        self._chats: dict[int, deque[float]] = {}

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def _slot(self, gap: float) -> None:
        outbox = self._outbox()
        if outbox is None:
            return
        try:
            await asyncio.sleep(await outbox.slot(gap))
        except Exception:  # the database does not answer: a reply is better sent unpaced than not at all
            log.warning("pacing: no slot from the database; sending unpaced")

    async def _chat_turn(self, chat_id: int) -> None:
        pace, sent = self.pace, self._chats.setdefault(chat_id, deque())
        while True:
            now = time.monotonic()
            while sent and now - sent[0] > 60.0:
                sent.popleft()
            recent = [t for t in sent if now - t < pace.burst_window]
            waits = []
            if len(recent) >= pace.burst:
                waits.append(recent[-pace.burst] + pace.burst_window - now)
            if chat_id < 0 and len(sent) >= pace.group_per_minute:
                waits.append(sent[-pace.group_per_minute] + 60.0 - now)
            if not waits:
                sent.append(now)
                if len(self._chats) > 50_000:  # chats not heard from for a minute are forgotten
                    self._chats = {c: d for c, d in self._chats.items() if d and now - d[-1] < 60.0}
                return
            await asyncio.sleep(max(0.01, max(waits)))

    async def process_request(self, callback: Callable[..., Coroutine[Any, Any, Any]], args: Any,
                              kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
                              rate_limit_args: str | None) -> Any:
        chat_id = data.get("chat_id")
        if endpoint in MESSAGES or endpoint in EDITS:
            if isinstance(chat_id, int):
                await self._chat_turn(chat_id)
            if endpoint in MESSAGES:  # (edits count towards their chat only)
                await self._slot(1.0 / (self.pace.rate if rate_limit_args == OUTBOX else self.pace.all_per_second))
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as exc:
            if rate_limit_args == OUTBOX:
                raise  # the outbox queues it again (bot/telegram/outbox.py)
            wait = exc.retry_after
            await asyncio.sleep(wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait))
            return await callback(*args, **kwargs)
