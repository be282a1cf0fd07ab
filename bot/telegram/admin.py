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
from telegram.ext import ContextTypes

from bot import messages
from bot.petitions import CATEGORIES, STATUSES, Petitions
from bot.telegram.petition import citizen_note, forward_calls, unit_text
from bot.telegram.render import data
from bot.telegram.services import Services, services

log = logging.getLogger(__name__)
PAGE = 15
PAGE_PREFIX = "ad"  # ad:<offset>:<filter>


def admins_only(handler):
    @wraps(handler)
    async def checked(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        s = services(context)
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
    return ", ".join(u.id for u in s.settings.units) or "(chưa cấu hình)"


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
    label = f" “{wanted}”" if wanted else " đang mở"
    if not chosen:
        return messages.ADMIN_LIST_NONE.format(filter=label), []
    page = chosen[offset:offset + PAGE]
    lines = [messages.ADMIN_LIST_HEADER.format(filter=label, shown=offset + len(page), total=len(chosen))]
    lines += [messages.ADMIN_LIST_LINE.format(code=p.code, date=p.created_at[:10], status=STATUSES[p.status],
                                              category=CATEGORIES.get(p.category, p.category),
                                              unit=s.petitions.unit(p.unit_id).name) for p in page]
    buttons = []
    if offset + PAGE < len(chosen):
        buttons.append([(messages.ADMIN_MORE, data(PAGE_PREFIX, str(offset + PAGE), wanted[:40]))])
    return "\n".join(lines), buttons


@admins_only
async def list_petitions(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ds [quahan | trạng thái | all | mã đơn vị | lĩnh vực]: petitions, open ones by default, a page at a time."""
    from bot.telegram.petition import _kb

    s = services(context)
    wanted = (context.args or [""])[0].strip()[:40]
    text, buttons = await _listing(s, wanted, 0)
    await update.effective_message.reply_text(text, reply_markup=_kb(*buttons) if buttons else None)


@admins_only
async def press_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    from bot.telegram.petition import _kb

    query = update.callback_query
    parts = query.data.split(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return
    await query.answer()
    text, buttons = await _listing(services(context), parts[2], int(parts[1]))
    await query.edit_message_text(text, reply_markup=_kb(*buttons) if buttons else None)


async def _petition_arg(update: Update, context: ContextTypes.DEFAULT_TYPE, usage: str):
    s = services(context)
    args = context.args or []
    if not args:
        await update.effective_message.reply_text(usage)
        return None
    petition = await s.petitions.by_code(args[0])
    if petition is None:
        await update.effective_message.reply_text(messages.STATUS_UNKNOWN.format(code=args[0][:20]))
    return petition


@admins_only
async def view_petition(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/xem MÃ: the whole petition, personal data included (admins only), and its history."""
    s = services(context)
    petition = await _petition_arg(update, context, messages.ADMIN_USAGE_VIEW)
    if petition is None:
        return
    history = [
        messages.ADMIN_HISTORY_LINE.format(at=e["created_at"][:16].replace("T", " "), actor=e["actor"],
                                           action=STATUSES.get(e["action"], e["action"]),
                                           detail=f": {e['detail'][:200]}" if e["detail"] else "")
        for e in await s.petitions.events(petition.id)
    ]
    text = messages.ADMIN_VIEW.format(text=unit_text(petition), status=STATUSES[petition.status],
                                      unit=s.petitions.unit(petition.unit_id).name, history="\n".join(history))
    await update.effective_message.reply_text(text[:4000])


@admins_only
async def reassign(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/chuyen MÃ đơn-vị: hand a petition to another unit."""
    s = services(context)
    usage = messages.ADMIN_USAGE_MOVE.format(units=_units_list(s))
    petition = await _petition_arg(update, context, usage)
    if petition is None:
        return
    if len(context.args) < 2:
        await update.effective_message.reply_text(usage)
        return
    unit = next((u for u in s.settings.units if u.id == context.args[1]), None)
    if unit is None:
        await update.effective_message.reply_text(
            messages.ADMIN_UNKNOWN_UNIT.format(unit=context.args[1][:40], units=_units_list(s)))
        return
    moved = await s.petitions.redirect(
        petition, unit, f"admin:{update.effective_user.id}", forward_calls(await s.petitions.photos(petition.id)),
        citizen_note(messages.CITIZEN_MOVED.format(code=petition.code, unit=unit.name)),
    )
    if moved is None:
        await update.effective_message.reply_text(messages.UNIT_NOT_NOW.format(status=STATUSES[petition.status]))
        return
    s.wake_outbox()
    await update.effective_message.reply_text(messages.UNIT_MOVED.format(code=petition.code, unit=unit.name))


@admins_only
async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/traloi MÃ nội dung: a message to the citizen, in the desk's name; the status does not change."""
    await _answer(update, context, close=False)


@admins_only
async def close(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/dong MÃ nội dung: answer the citizen and close the petition as resolved."""
    await _answer(update, context, close=True)


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, close: bool) -> None:
    s = services(context)
    usage = messages.ADMIN_USAGE_CLOSE if close else messages.ADMIN_USAGE_REPLY
    petition = await _petition_arg(update, context, usage)
    if petition is None:
        return
    text = (update.effective_message.text or "").split(maxsplit=2)
    if len(text) < 3 or not text[2].strip():
        await update.effective_message.reply_text(usage)
        return
    body = text[2].strip()[:3500]
    note = citizen_note(messages.CITIZEN_REPLY.format(unit=messages.ADMIN_DESK, code=petition.code, text=body))
    actor = f"admin:{update.effective_user.id}"
    if close:
        changed = await s.petitions.change_status(petition, "resolved", actor, body, note)
        if changed is None:
            await update.effective_message.reply_text(messages.UNIT_NOT_NOW.format(status=STATUSES[petition.status]))
            return
        done = messages.ADMIN_CLOSED
    else:
        await s.petitions.note(petition, actor, body, note)
        done = messages.ADMIN_REPLIED
    s.wake_outbox()
    await update.effective_message.reply_text(done.format(code=petition.code))


@admins_only
async def reload_knowledge(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/taplai: load content, intents and the configuration again; on any error keep what runs."""
    from bot.assistant import Assistant
    from bot.config import load_settings
    from bot.deadlines import load_deadlines
    from bot.paths import content_dir, intents_dir

    s = services(context)
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
