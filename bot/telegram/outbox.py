"""The outbox worker: delivers queued petition messages, survives crashes and Telegram's errors.

Each row is claimed (state 'sending') before the call and marked 'sent' right
after it, so a restart retries only what may not have gone out.  A petition's
messages to a chat go out in the order they were queued (its text before its
photos, "received" before "resolved"): while one waits to be retried, the ones
after it wait too; other petitions and chats are served side by side.  429 waits the
retry_after Telegram gives; 5xx, timeouts and network errors back off
exponentially; a citizen who blocked the bot is recorded and not retried; a
unit chat that cannot be reached, or any row failing MAX_ATTEMPTS times, is
given up and the admins are told, never silently dropped.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application

from bot import messages
from bot.petitions import MAX_ATTEMPTS, OutboxItem, backoff
from bot.telegram.services import KEY, Services

log = logging.getLogger(__name__)


# what Telegram says when a copy to take back is already as it should be
ALREADY_DONE = ("message is not modified", "message to delete not found", "message to edit not found")
AT_ONCE = 3  # queues served side by side (the rest of the connection pool is for replies)


async def deliver(application: Application, item: OutboxItem) -> bool:
    """Try one row; False when it waits to be tried again (so the rows queued behind it wait too)."""
    s: Services = application.bot_data[KEY]
    petitions = s.petitions
    if not await petitions.claim(item):
        return True
    try:
        result = await application.bot.do_api_request(item.method, api_kwargs=item.params)
    except RetryAfter as exc:
        wait = exc.retry_after
        delay = wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
        await petitions.retry_later(item, delay, f"429 retry after {delay}")
        return False
    except Forbidden as exc:
        if item.kind == "notify":  # the citizen blocked the bot: recorded, not retried forever
            petition = await petitions.get(item.petition_id) if item.petition_id else None
            if petition:
                await s.store.mark_blocked(petition.user_id)
            await petitions.give_up(item, f"403 {exc.message}")
            return True
        await _give_up(s, item, f"403 {exc.message}")
        return True
    except BadRequest as exc:
        if item.kind == "redact" and any(gone in exc.message.lower() for gone in ALREADY_DONE):
            await petitions.sent(item, None)
            return True
        await _give_up(s, item, f"400 {exc.message}")
        return True
    except (TimedOut, NetworkError, TelegramError) as exc:
        if item.attempts + 1 >= MAX_ATTEMPTS:
            await _give_up(s, item, f"{type(exc).__name__}: {exc}")
            return True
        await petitions.retry_later(item, backoff(item.attempts + 1), f"{type(exc).__name__}: {exc}")
        return False
    message_id = result.get("message_id") if isinstance(result, dict) else None
    await petitions.sent(item, message_id)
    if item.kind == "forward" and item.method == "sendMessage" and item.petition_id:
        petition = await petitions.get(item.petition_id)
        if petition and petition.status == "received":
            from bot.telegram.petition import status_note

            await petitions.mark_forwarded(petition.id, status_note(petition, "forwarded"))
            s.wake_outbox()
    return True


async def _give_up(s: Services, item: OutboxItem, error: str) -> None:
    log.warning("outbox %s to chat %s given up: %s", item.id, item.chat_id, error)
    await s.petitions.give_up(item, error)
    if item.kind == "alert":  # an alert that cannot be delivered must not raise another
        return
    petition = await s.petitions.get(item.petition_id) if item.petition_id else None
    code = petition.code if petition else "?"
    if item.kind == "redact":  # e.g. a photo older than 48 hours, which a bot may no longer delete
        text = messages.ADMIN_REDACT_FAILED.format(code=code, chat=item.chat_id, error=error[:200])
    else:
        text = messages.ADMIN_DEAD.format(code=code, chat=item.chat_id, attempts=item.attempts + 1, error=error[:200])
    await s.petitions.alert_admins(item.petition_id, text)
    s.wake_outbox()


async def deliver_due(application: Application) -> int:
    """Deliver what is due now; the number of rows handled."""
    s: Services = application.bot_data[KEY]
    items = await s.petitions.due()
    queues: dict[tuple[int, int | None], list[OutboxItem]] = {}
    for item in items:
        queues.setdefault((item.chat_id, item.petition_id), []).append(item)
    turns = asyncio.Semaphore(AT_ONCE)

    async def serve(queue: list[OutboxItem]) -> None:
        async with turns:
            for item in queue:
                if not await deliver(application, item):
                    return  # the petition's later rows to this chat wait behind it (see Petitions.due)

    await asyncio.gather(*(serve(queue) for queue in queues.values()))
    return len(items)


async def outbox_loop(application: Application) -> None:
    s: Services = application.bot_data[KEY]
    recovered = await s.petitions.recover_outbox()
    if recovered:
        log.info("outbox: %s message(s) interrupted by a stop are tried again", recovered)
    while True:
        try:
            handled = await deliver_due(application)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("outbox round failed")
            handled = 0
        if handled:
            continue
        s.outbox_event.clear()
        try:
            await asyncio.wait_for(s.outbox_event.wait(), timeout=s.outbox_interval)
        except TimeoutError:
            pass
