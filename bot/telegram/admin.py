"""Admin commands: list and filter petitions, view one with its history, reassign, reply, close, reload.

Every command checks on the server that the sender is an admin from the
configuration, every time; others get a polite refusal and nothing else.
"""

from __future__ import annotations

import logging
import re
from functools import wraps

from telegram import Update

from bot import history, messages
from bot.petitions import CATEGORIES, STATUSES, Outcome
from bot.telegram.notices import unit_text
from bot.telegram.petition import actor
from bot.telegram.render import clip, data, keyboard
from bot.telegram.services import Context, Services
from bot.telegram.unit import REPLY_MAX, refusal
from bot.text import fold
from bot.workdays import date_vn

log = logging.getLogger(__name__)
PAGE = 15
PAGE_PREFIX = "ad"  # ad:<offset>:<filter>
PAGE_PATTERN = rf"^{PAGE_PREFIX}:(\d{{1,6}}):(open|overdue|all|[scu]:[\w-]{{1,38}})$"


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
    """The units by name (and the id a command may also take)."""
    return "; ".join(f"{u.name} ({u.id})" for u in s.settings.units) or messages.ADMIN_NO_UNITS


# What admins call a status in their own words.
ALIASES = {"moi": "s:forwarded", "chua xu ly": "s:forwarded", "da chuyen": "s:forwarded", "cho xu ly": "s:forwarded",
           "da tiep nhan": "s:accepted", "da nhan": "s:accepted", "dang lam": "s:in_progress",
           "mo lai": "s:reopened", "tu choi": "s:rejected", "da xong": "s:resolved", "xong": "s:resolved"}


def read_filter(s: Services, typed: str) -> str | None:
    """A listing filter as an admin types it, in Vietnamese with or without diacritics ("quá hạn",
    "đã giải quyết", "rác thải", a unit's name or id), as a token: open, overdue, all, s:<status>,
    c:<category> or u:<unit>; None when it names nothing (or several things)."""
    folded = fold(typed).strip()
    if folded in ("", "dang mo", "mo", "open"):
        return "open"
    if folded in ("qua han", "quahan", "tre han", "overdue"):
        return "overdue"
    if folded in ("tat ca", "tatca", "all", "het"):
        return "all"
    if folded in ALIASES:
        return ALIASES[folded]

    def names(label: str) -> bool:  # whole words: "mới" is not the "môi" of "môi trường"
        return re.search(rf"\b{re.escape(folded)}\b", fold(label)) is not None
    # Statuses, then categories, then units: the first kind that one thing of names wins
    # ("môi trường" is the category even though a unit's name holds it too).
    for found in (
        [f"s:{key}" for key, label in STATUSES.items() if folded in (key, fold(label)) or fold(label).startswith(folded)],
        [f"c:{key}" for key, label in CATEGORIES.items() if folded == key or names(label)],
        [f"u:{unit.id}" for unit in s.settings.units if folded == fold(unit.id) or names(unit.name)],
    ):
        if len(found) == 1:
            return found[0]
    return None


def unit_named(s: Services, typed: str):
    """A unit by its id or its name as an admin types it ("ubnd phuong"), when just one fits."""
    folded = fold(typed).strip()
    found = [u for u in s.settings.units if folded in (fold(u.id), fold(u.name))] or \
        [u for u in s.settings.units if folded and folded in fold(u.name)]
    return found[0] if len(found) == 1 else None


def _filter_label(s: Services, token: str) -> str:
    kind, _, value = token.partition(":")
    if token == "open":
        return messages.ADMIN_FILTER_OPEN
    named = {"overdue": messages.ADMIN_FILTER_OVERDUE, "all": messages.ADMIN_FILTER_ALL}.get(token) or \
        {"s": STATUSES, "c": CATEGORIES}.get(kind, {}).get(value) or s.petitions.unit(value).name
    return messages.ADMIN_FILTER.format(wanted=named)


async def _listing(s: Services, token: str, offset: int) -> tuple[str, list[list[tuple[str, str]]]]:
    """Petitions chosen by a filter token (see read_filter), newest first, a page at a time."""
    everything = await s.petitions.all()
    kind, _, value = token.partition(":")
    if token == "overdue":
        today = s.today().isoformat()
        chosen = [p for p in everything if not p.closed and p.due_on and p.due_on < today]
    elif token == "all":
        chosen = everything
    elif kind == "s":
        chosen = [p for p in everything if p.status == value]
    elif kind == "c":
        chosen = [p for p in everything if p.category == value]
    elif kind == "u":
        chosen = [p for p in everything if p.unit_id == value]
    else:
        chosen = [p for p in everything if not p.closed]
    chosen.reverse()
    label = _filter_label(s, token)
    if not chosen:
        return messages.ADMIN_LIST_NONE.format(filter=label), []
    page = chosen[offset:offset + PAGE]
    lines = [messages.ADMIN_LIST_HEADER.format(filter=label, shown=offset + len(page), total=len(chosen))]
    lines += [messages.ADMIN_LIST_LINE.format(code=p.code, date=date_vn(p.created_at), status=STATUSES[p.status],
                                              category=CATEGORIES.get(p.category, p.category),
                                              unit=s.petitions.unit(p.unit_id).name) for p in page]
    buttons = []
    if offset + PAGE < len(chosen):
        buttons.append([(messages.ADMIN_MORE, data(PAGE_PREFIX, str(offset + PAGE), token[:40]))])
    return "\n".join(lines), buttons


@admins_only
async def list_petitions(update: Update, context: Context) -> None:
    """/ds [quahan | trạng thái | all | mã đơn vị | lĩnh vực]: petitions, open ones by default, a page at a time."""
    s = context.services
    token = read_filter(s, " ".join(context.args or [])[:80])
    if token is None:
        await update.effective_message.reply_text(messages.ADMIN_FILTERS.format(units=_units_list(s)))
        return
    text, buttons = await _listing(s, token, 0)
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
    lines = [messages.ADMIN_HISTORY_LINE.format(at=line.at, actor=line.actor, action=line.action, detail=line.detail)
             for line in await history.lines(s.petitions, petition)]
    text = messages.ADMIN_VIEW.format(text=unit_text(petition, s.petitions), status=STATUSES[petition.status],
                                      unit=s.petitions.unit(petition.unit_id).name, history="\n".join(lines))
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
    unit = unit_named(s, " ".join(context.args[1:]))
    result = await s.petitions.reassign(actor(update), petition.id, unit.id if unit else context.args[1])
    if result.outcome is Outcome.NOT_FOUND:
        await update.effective_message.reply_text(
            messages.ADMIN_UNKNOWN_UNIT.format(unit=" ".join(context.args[1:])[:40], units=_units_list(s)))
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
    s = context.services
    try:
        await s.reload()
    except Exception as exc:  # any broken file: report it, keep serving the old knowledge
        await update.effective_message.reply_text(messages.ADMIN_RELOAD_FAILED.format(error=str(exc)[:500]))
        return
    await update.effective_message.reply_text(messages.ADMIN_RELOADED.format(
        intents=len(s.assistant.intents), documents=len(s.assistant.library.documents), units=len(s.settings.units)))
