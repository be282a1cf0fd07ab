"""Admin commands: list and filter petitions, view one with its history, reassign, reply, close, reload.

Every command checks on the server that the sender is an admin from the
configuration, every time; others get a polite refusal and nothing else.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from functools import wraps

from telegram import Update

from bot import messages
from bot.petitions import CATEGORIES, STATUSES, Outcome, Petitions
from bot.telegram.notices import unit_text
from bot.telegram.petition import actor
from bot.telegram.render import clip, data, keyboard
from bot.telegram.services import Context, Services
from bot.telegram.unit import REPLY_MAX, refusal
from bot.workdays import date_vn, time_vn

log = logging.getLogger(__name__)
PAGE = 15
PAGE_PREFIX = "ad"  # ad:<offset>:<filter>
PAGE_PATTERN = rf"^{PAGE_PREFIX}:(\d{{1,6}}):(.{{0,40}})$"


def admins_only(handler):
    @wraps(handler)
    async def checked(update: Update, context: Context) -> None:
        s = context.services
        user = update.effective_user
        if user is None or user.id not in s.settings.admins:
            log.info("admin command refused for user %s", user.id if user else None)
            if update.callback_query:
                await update.callback_query.answer(messages.ADMIN_ONLY, show_alert=True)
            else:
                await update.effective_message.reply_text(messages.ADMIN_ONLY)
            return
        await handler(update, context)
    return checked


def _units_list(s: Services) -> str:
    return ", ".join(u.id for u in s.settings.units) or messages.ADMIN_NO_UNITS


async def _listing(s: Services, wanted: str, offset: int) -> tuple[str, list[list[tuple[str, str]]]]:
    """wanted: '' (open), 'quahan' (overdue), a status, 'all', or a unit or category id."""
    everything = await s.petitions.all()
    if wanted == "quahan":
        today = s.today().isoformat()
        chosen = [p for p in everything if not p.closed and p.due_on and p.due_on < today]
    elif wanted in STATUSES:
        chosen = [p for p in everything if p.status == wanted]
    elif wanted == "all":
        chosen = everything
    elif wanted in CATEGORIES:
        chosen = [p for p in everything if p.category == wanted]
    elif wanted:
        chosen = [p for p in everything if p.unit_id == wanted]
    else:
        chosen = [p for p in everything if not p.closed]
    chosen.reverse()
    label = messages.ADMIN_FILTER.format(wanted=wanted) if wanted else messages.ADMIN_FILTER_OPEN
    if not chosen:
        return messages.ADMIN_LIST_NONE.format(filter=label), []
    page = chosen[offset:offset + PAGE]
    lines = [messages.ADMIN_LIST_HEADER.format(filter=label, shown=offset + len(page), total=len(chosen))]
    lines += [messages.ADMIN_LIST_LINE.format(code=p.code, date=date_vn(p.created_at), status=STATUSES[p.status],
                                              category=CATEGORIES.get(p.category, p.category),
                                              unit=s.petitions.unit(p.unit_id).name) for p in page]
    buttons = []
    if offset + PAGE < len(chosen):
        buttons.append([(messages.ADMIN_MORE, data(PAGE_PREFIX, str(offset + PAGE), wanted[:40]))])
    return "\n".join(lines), buttons


@admins_only
async def list_petitions(update: Update, context: Context) -> None:
    """/ds [quahan | trạng thái | all | mã đơn vị | lĩnh vực]: petitions, open ones by default, a page at a time."""
    s = context.services
    wanted = (context.args or [""])[0].strip()[:40]
    text, buttons = await _listing(s, wanted, 0)
    await update.effective_message.reply_text(clip(text), reply_markup=keyboard(*buttons) if buttons else None)


@admins_only
async def press_page(update: Update, context: Context) -> None:
    """ad:<offset>:<filter> pressed: the next page of a listing."""
    query = update.callback_query
    await query.answer()
    text, buttons = await _listing(context.services, context.match.group(2), int(context.match.group(1)))
    await query.edit_message_text(clip(text), reply_markup=keyboard(*buttons) if buttons else None)


async def _petition_arg(update: Update, context: Context, usage: str):
    s = context.services
    args = context.args or []
    if not args:
        await update.effective_message.reply_text(usage)
        return None
    petition = await s.petitions.by_code(args[0])
    if petition is None:
        await update.effective_message.reply_text(messages.STATUS_UNKNOWN.format(code=args[0][:20]))
    return petition


@admins_only
async def view_petition(update: Update, context: Context) -> None:
    """/xem MÃ: the whole petition, personal data included (admins only), and its history."""
    s = context.services
    petition = await _petition_arg(update, context, messages.ADMIN_USAGE_VIEW)
    if petition is None:
        return
    history = [
        messages.ADMIN_HISTORY_LINE.format(at=time_vn(e["created_at"]), actor=e["actor"],
                                           action=STATUSES.get(e["action"], e["action"]),
                                           detail=f": {e['detail'][:200]}" if e["detail"] else "")
        for e in await s.petitions.events(petition.id)
    ]
    text = messages.ADMIN_VIEW.format(text=unit_text(petition, s.petitions), status=STATUSES[petition.status],
                                      unit=s.petitions.unit(petition.unit_id).name, history="\n".join(history))
    await update.effective_message.reply_text(clip(text))


@admins_only
async def reassign(update: Update, context: Context) -> None:
    """/chuyen MÃ đơn-vị: hand a petition to another unit."""
    s = context.services
    usage = messages.ADMIN_USAGE_MOVE.format(units=_units_list(s))
    petition = await _petition_arg(update, context, usage)
    if petition is None:
        return
    if len(context.args) < 2:
        await update.effective_message.reply_text(usage)
        return
    result = await s.petitions.reassign(actor(update), petition.id, context.args[1])
    if result.outcome is Outcome.NOT_FOUND:
        await update.effective_message.reply_text(
            messages.ADMIN_UNKNOWN_UNIT.format(unit=context.args[1][:40], units=_units_list(s)))
        return
    if not result.done:
        await update.effective_message.reply_text(refusal(result))
        return
    s.wake_outbox()
    unit = s.petitions.unit(result.petition.unit_id)
    await update.effective_message.reply_text(messages.UNIT_MOVED.format(code=petition.code, unit=unit.name))


@admins_only
async def reply(update: Update, context: Context) -> None:
    """/traloi MÃ nội dung: a message to the citizen, in the desk's name; the status does not change."""
    await _answer(update, context, close=False)


@admins_only
async def close(update: Update, context: Context) -> None:
    """/dong MÃ nội dung: answer the citizen and close the petition as resolved."""
    await _answer(update, context, close=True)


async def _answer(update: Update, context: Context, close: bool) -> None:
    s = context.services
    usage = messages.ADMIN_USAGE_CLOSE if close else messages.ADMIN_USAGE_REPLY
    petition = await _petition_arg(update, context, usage)
    if petition is None:
        return
    text = (update.effective_message.text or "").split(maxsplit=2)
    if len(text) < 3 or not text[2].strip():
        await update.effective_message.reply_text(usage)
        return
    body = text[2].strip()[:REPLY_MAX]
    if close:
        result = await s.petitions.act(actor(update), petition.id, "resolve", body)
    else:
        result = await s.petitions.reply(actor(update), petition.id, body)
    if not result.done:
        await update.effective_message.reply_text(refusal(result))
        return
    s.wake_outbox()
    done = messages.ADMIN_CLOSED if close else messages.ADMIN_REPLIED
    await update.effective_message.reply_text(done.format(code=petition.code))


@admins_only
async def reload_knowledge(update: Update, context: Context) -> None:
    """/taplai: load content, intents and the configuration again; on any error keep what runs."""
    from bot.assistant import Assistant
    from bot.config import load_settings
    from bot.deadlines import load_deadlines
    from bot.paths import content_dir, intents_dir

    s = context.services
    try:
        assistant = Assistant.load(content_dir(), intents_dir())
        deadlines = load_deadlines(content_dir() / "deadlines.yaml", assistant.library)
        fresh = load_settings(require_token=False) if os.environ.get("DANVAN_CONFIG") else s.settings
    except Exception as exc:  # any broken file: report it, keep serving the old knowledge
        await update.effective_message.reply_text(messages.ADMIN_RELOAD_FAILED.format(error=str(exc)[:500]))
        return
    s.assistant = assistant
    s.deadlines = {d.id: d for d in deadlines}
    s.settings = replace(s.settings, admins=fresh.admins, units=fresh.units, holidays=fresh.holidays)
    s.petitions = Petitions(s.store, s.settings.units, s.settings.admins, s.settings.holidays)
    s._rendered.clear()
    await update.effective_message.reply_text(messages.ADMIN_RELOADED.format(
        intents=len(assistant.intents), documents=len(assistant.library.documents), units=len(s.settings.units)))
