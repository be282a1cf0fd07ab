"""Officials' tools: passage search, reporting deadlines, and reminders ahead of them."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application

from bot import messages, places
from bot.deadlines import REMIND_DAYS_BEFORE
from bot.telegram import render
from bot.telegram.services import Context, Services

log = logging.getLogger(__name__)
SEARCH_MAX_CHARS = 200
SEARCH_HITS = 3


async def search_documents(update: Update, context: Context) -> None:
    """/tracuu <words>: the best passages with their citations."""
    s = context.services
    query = " ".join(context.args or []).strip()
    message = update.effective_message
    if not query:
        await message.reply_text(messages.SEARCH_PROMPT)
        return
    if len(query) > SEARCH_MAX_CHARS:
        await message.reply_text(messages.SEARCH_TOO_LONG)
        return
    hits = s.assistant.search(query, limit=SEARCH_HITS)
    if not hits:
        await message.reply_text(messages.SEARCH_NONE.format(query=query))
        return
    header = render.escape(messages.SEARCH_HEADER.format(query=query))

    def part(number: int, hit, excerpt: str) -> str:
        return f"{number}. <i>{render.escape(hit.passage.section.citation)}</i>\n{render.escape(excerpt)}"

    parts = [part(n, h, h.excerpt) for n, h in enumerate(hits, 1)]
    while len(parts) > 1 and render.utf16_len("\n\n".join([header, *parts])) > render.MAX_MESSAGE:
        parts.pop()  # whole hits only; never cut inside a word or a tag
    if render.utf16_len("\n\n".join([header, *parts])) > render.MAX_MESSAGE:  # one hit too long: whole words
        room = render.MAX_MESSAGE - render.utf16_len(f"{header}\n\n{part(1, hits[0], ' …')}")
        parts = [part(1, hits[0], render.split_plain(hits[0].excerpt, room)[0] + " …")]
    await message.reply_text("\n\n".join([header, *parts]), parse_mode=ParseMode.HTML)


async def deadlines_messages(s: Services, user_id: int | None) -> list[str]:
    """The deadlines of the user's locality (all of them, by place, when none is chosen), as HTML messages
    cut between deadlines."""
    user = await s.store.user(user_id) if user_id else None
    locality = user.locality if user else None
    chosen = [d for d in s.deadlines.values() if locality in (None, d.locality)]
    if not chosen:
        return [render.escape(messages.DEADLINES_NONE)]
    where = f" ({places.CHOICES[locality]})" if locality else ""
    today = s.today()
    blocks = [render.escape(messages.DEADLINES_HEADER.format(where=where))]
    shown = list(dict.fromkeys(d.locality for d in chosen))
    for place in shown:
        if len(shown) > 1:
            blocks.append(f"\n<b>{render.escape(places.CHOICES[place])}</b>")
        ahead_first = sorted((d for d in chosen if d.locality == place), key=lambda d: d.next_due(today) is None)
        for d in ahead_first:
            cite = s.assistant.library.sections[d.source].citation
            blocks.append(f"• {render.escape(d.title)} — <b>{render.escape(d.when())}</b>; "
                          f"{render.escape(d.status(today))}\n  <i>{render.escape(cite)}</i>")
    chunks = [blocks[0]]
    for block in blocks[1:]:
        if render.utf16_len(chunks[-1]) + 1 + render.utf16_len(block) > render.MAX_MESSAGE:
            chunks.append(block.lstrip("\n"))
        else:
            chunks[-1] += "\n" + block
    return chunks


async def show_deadlines(update: Update, context: Context) -> None:
    """/thoihan: reporting deadlines per locality, with citations."""
    s = context.services
    for chunk in await deadlines_messages(s, update.effective_user.id):
        await update.effective_message.reply_text(chunk, parse_mode=ParseMode.HTML)


async def reminders_screen(s: Services, user_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """The deadlines that come again, the user's locality first, each a button to turn on or off."""
    subscribed = await s.store.subscriptions(user_id)
    user = await s.store.user(user_id)
    locality = user.locality if user else None
    today = s.today()
    upcoming = [(d, due) for d in s.deadlines.values() if (due := d.next_due(today)) is not None]
    upcoming.sort(key=lambda pair: (pair[0].locality != locality, pair[1]))
    items = [(d.id, f"{d.label(due)} {d.title}", d.id in subscribed) for d, due in upcoming]
    text = messages.REMINDERS_HEADER if items else messages.REMINDERS_NONE
    if items and locality and all(d.locality != locality for d, _ in upcoming):
        text = messages.REMINDERS_NONE_HERE.format(place=places.CHOICES[locality]) + "\n" + text
    return text, render.reminders_keyboard(items)


async def manage_reminders(update: Update, context: Context) -> None:
    """/nhacviec: turn reminders of each upcoming deadline on or off."""
    s = context.services
    await s.store.touch_user(update.effective_user.id, update.effective_chat.id)
    text, keyboard = await reminders_screen(s, update.effective_user.id)
    await update.effective_message.reply_text(text, reply_markup=keyboard)


async def press_reminder(update: Update, context: Context) -> None:
    """rem:<deadline> pressed: toggle the subscription and redraw the buttons."""
    query = update.callback_query
    s = context.services
    deadline = s.deadlines.get(query.data.partition(":")[2])
    if deadline is None or deadline.next_due(s.today()) is None:
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return
    user_id = update.effective_user.id
    await s.store.touch_user(user_id, update.effective_chat.id)
    if deadline.id in await s.store.subscriptions(user_id):
        await s.store.unsubscribe(user_id, deadline.id)
        await query.answer(render.short(messages.REMINDER_OFF.format(title=deadline.title), 190))
    else:
        await s.store.subscribe(user_id, deadline.id)
        await query.answer(render.short(messages.REMINDER_ON.format(title=deadline.title), 190))
    _, keyboard = await reminders_screen(s, user_id)
    try:
        await query.edit_message_reply_markup(reply_markup=keyboard)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def send_due_reminders(application: Application) -> int:
    """Send every reminder that is due and not yet sent; the number sent.

    A reminder is recorded before it is sent, so a crash or a second round never
    sends it twice; a send that fails for a passing reason is un-recorded and
    retried next round; a user who blocked the bot is marked and skipped.
    """
    s: Services = application.bot_data.services
    today = s.today()
    sent = 0
    for user_id, chat_id, deadline_id in await s.store.subscribers():
        deadline = s.deadlines.get(deadline_id)
        due = deadline.next_due(today) if deadline else None
        if deadline is None or due is None:
            continue
        days = (due - today).days
        windows = [n for n in sorted(REMIND_DAYS_BEFORE) if days <= n]
        if not windows:
            continue
        window = windows[0]
        occurrence = due.isoformat()
        if not await s.store.claim_reminder(user_id, deadline_id, occurrence, window):
            continue
        for wider in windows[1:]:  # a late start must not send the 7-day reminder after the 1-day one
            await s.store.claim_reminder(user_id, deadline_id, occurrence, wider)
        template = messages.REMINDER_MONTH_TEXT if deadline.month is not None else messages.REMINDER_TEXT
        text = template.format(
            title=deadline.title, when=deadline.when(), days=days, month=due.month,
            citation=s.assistant.library.sections[deadline.source].citation,
        )
        try:
            await application.bot.send_message(chat_id, text)
            sent += 1
        except Forbidden:
            log.info("user %s blocked the bot; reminders stop", user_id)
            await s.store.mark_blocked(user_id)
        except TelegramError:
            log.warning("reminder to user %s failed; retrying next round", user_id, exc_info=True)
            await s.store.release_reminder(user_id, deadline_id, occurrence, window)
    return sent


async def send_reminders(context: Context) -> None:
    """The reminders job (JobQueue, every ``reminder_interval`` seconds)."""
    await send_due_reminders(context.application)
