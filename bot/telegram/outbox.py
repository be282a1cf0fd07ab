"""The outbox worker: delivers queued petition notices, survives crashes and Telegram's errors,
and keeps within Telegram's limits before Telegram enforces them.

Each row is rendered (bot/telegram/notices.py), claimed (state 'sending') before the call and
marked 'sent' right after it, so a restart resends, marked as a resend, only what may not have
gone out.  A chat's messages go out one at a time in the order they were queued (a petition's text
before its photos, "received" before "resolved"), paced per chat and in all by every process
together (bot/outbox.py, Outbox.due and Outbox.slot); a row waiting to be retried holds its
petition's later rows, not the chat's other petitions.  429 waits the retry_after Telegram gives;
5xx, timeouts and network errors back off exponentially; a citizen who blocked the bot is recorded
and not retried; a unit chat that cannot be reached, or any row failing MAX_ATTEMPTS times, is
given up and the admins are told, never silently dropped.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import InputFile
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application

from bot.outbox import MAX_ATTEMPTS, Notice, backoff
from bot.telegram.notices import render
from bot.telegram.pacing import OUTBOX
from bot.telegram.services import Services

log = logging.getLogger(__name__)


# what Telegram says when a copy to take back is already as it should be
ALREADY_DONE = ("message is not modified", "message to delete not found", "message to edit not found")
AT_ONCE = 3  # chats served side by side (the rest of the connection pool is for replies)
PACED_LOOK = 0.2  # seconds between looks while rows wait for their chat's pace


async def deliver(application: Application, notice: Notice) -> None:
    """Try one row (a row waiting to be retried holds its petition's later rows: Outbox.due)."""
    s: Services = application.bot_data.services
    queue, petitions = s.outbox, s.petitions
    petition = await petitions.get(notice.petition_id) if notice.petition_id else None
    try:
        call = render(notice, petition, petitions)
    except Exception as exc:  # a row that cannot be rendered never will be: given up, the admins told once
        log.exception("outbox %s (%s) cannot be rendered", notice.id, notice.event)
        await _give_up(s, notice, f"cannot be rendered: {type(exc).__name__}")
        return
    if call is None:
        await queue.give_up(notice, "nothing left to send")
        return
    if not await queue.claim(notice):
        return
    method, params = call
    upload = await s.store.upload(notice.detail["upload_id"]) if notice.event == "evidence" and \
        "upload_id" in notice.detail else None
    if upload is not None:
        params[notice.detail["kind"]] = upload.file_id or InputFile(upload.data, filename=upload.name)
    try:
        # paced in all processes together, as a notice (bot/telegram/pacing.py)
        result = await application.bot.do_api_request(method, api_kwargs=params, rate_limit_args=OUTBOX)
    except RetryAfter as exc:
        wait = exc.retry_after
        delay = wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
        await queue.retry_later(notice, delay, f"429 retry after {delay}")
        return
    except Forbidden as exc:
        if notice.audience == "citizen":  # the citizen blocked the bot: recorded, not retried forever
            if petition:
                await s.store.mark_blocked(petition.user_id)
            await queue.give_up(notice, f"403 {exc.message}")
            return
        await _give_up(s, notice, f"403 {exc.message}")
        return
    except BadRequest as exc:
        if notice.event in ("redact", "card") and any(gone in exc.message.lower() for gone in ALREADY_DONE):
            await queue.sent(notice, None)
            return
        await _give_up(s, notice, f"400 {exc.message}")
        return
    except TelegramError as exc:  # timeouts, network errors, Telegram's 5xx
        if notice.attempts + 1 >= MAX_ATTEMPTS:
            await _give_up(s, notice, f"{type(exc).__name__}: {exc}")
            return
        # A timeout may come after Telegram took the message: the next try says it may be a repeat.
        await queue.retry_later(notice, backoff(notice.attempts + 1), f"{type(exc).__name__}: {exc}",
                                resend=isinstance(exc, TimedOut))
        return
    # Nothing between Telegram's answer and this mark: a crash in between is the only way to a repeat.
    message_id = result.get("message_id") if isinstance(result, dict) else None
    recorded = await queue.sent(notice, message_id)
    if upload is not None and upload.file_id is None and (file_id := _file_id(result, notice.detail["kind"])):
        await s.store.uploaded(upload.id, file_id)
    if notice.audience == "unit" and notice.event in ("petition", "photo", "location") and message_id is not None:
        # The citizen may have deleted their data while this copy was on its way: take it back too.
        fresh = await petitions.get(notice.petition_id)
        if fresh is not None and fresh.personal_deleted and (not recorded or not petition.personal_deleted):
            await petitions.take_back(fresh.id, notice.chat_id, message_id, edit=notice.event == "petition")
            s.wake_outbox()
    if notice.event == "petition" and petition and petition.status == "received":
        if await petitions.mark_forwarded(petition.id):
            s.wake_outbox()


def _file_id(message: object, kind: str) -> str | None:
    """The file id Telegram gave an uploaded photo (its largest size) or document."""
    if not isinstance(message, dict):
        return None
    sent = message.get(kind)
    if kind == "photo" and isinstance(sent, list) and sent:
        sent = sent[-1]
    return sent.get("file_id") if isinstance(sent, dict) else None


async def _give_up(s: Services, notice: Notice, error: str) -> None:
    """Never silently dropped: the admins are told (unless the alert itself is what failed)."""
    log.warning("outbox %s to chat %s given up: %s", notice.id, notice.chat_id, error)
    await s.outbox.give_up(notice, error)
    if notice.audience == "admin":
        return
    event = "unredacted" if notice.event == "redact" else "undelivered"
    # e.g. a photo older than 48 hours, which a bot may no longer delete, for "unredacted"
    await s.petitions.alert_admins(notice.petition_id, event, {
        "chat": notice.chat_id, "attempts": notice.attempts + 1, "error": error[:200]})
    s.wake_outbox()


async def deliver_due(application: Application) -> int:
    """Deliver what is due now (one row per chat: Outbox.due); the number of rows handled."""
    s: Services = application.bot_data.services
    notices = await s.outbox.due()
    turns = asyncio.Semaphore(AT_ONCE)

    async def serve(notice: Notice) -> None:
        async with turns:
            await deliver(application, notice)

    await asyncio.gather(*(serve(notice) for notice in notices))
    return len(notices)


async def outbox_loop(application: Application) -> None:
    """Deliver as soon as something is queued (woken by the handlers), else every few seconds; a
    failing round reaches the error handler and the loop goes on."""
    s: Services = application.bot_data.services
    # (on a shared database another process may be sending what it claimed: only stale claims)
    recovered = await s.outbox.recover(stale_only=s.store.shared)
    if recovered:
        log.info("outbox: %s message(s) interrupted by a stop are sent again, marked as resent", recovered)
    while True:
        try:
            if await s.outbox.recover(stale_only=True):
                log.warning("outbox: rows claimed by a round that failed midway are sent again")
            handled = await deliver_due(application)
        except Exception as exc:
            await application.process_error(None, exc)
            handled = 0
        if handled:
            continue
        try:
            # A process that died between Telegram's answer and telling the citizen: told now.
            if any([await s.petitions.mark_forwarded(p) for p in await s.petitions.forwarded_unannounced()]):
                continue
        except Exception as exc:
            await application.process_error(None, exc)
        s.outbox_event.clear()
        try:
            paced = await s.outbox.backlog()  # rows waiting for their chat's pace: look again shortly
            await asyncio.wait_for(s.outbox_event.wait(), timeout=PACED_LOOK if paced else s.outbox_interval)
        except TimeoutError:
            pass
