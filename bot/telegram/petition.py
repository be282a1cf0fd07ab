"""Petitions on Telegram: the citizen's guided conversation, the unit's buttons, following one's petitions.

The conversation's state is a row in SQLite (``drafts``), written at every
step, so a restart in the middle of it resumes where the citizen was.  Texts
sent here are plain (no parse mode): petitions carry whatever citizens type.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import messages
from bot.petitions import (
    CATEGORIES,
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    MAX_PER_DAY,
    MAX_PHOTO_BYTES,
    MAX_PHOTOS,
    PLACE_MAX,
    STATUSES,
    Call,
    NewPetition,
    Petition,
    Unit,
    is_complaint,
)
from bot.telegram.render import data
from bot.telegram.services import Services, services

log = logging.getLogger(__name__)
DRAFT_TTL = 30 * 60  # seconds: an abandoned conversation is dropped after this
FLOW = "pe"  # pe:<cat|area|skip|next|anon|send|cancel>[:arg]
UNIT = "pu"  # pu:<acc|prog|done|rej|move>:<petition id>
MOVE = "pm"  # pm:<petition id>:<unit number>
FOLLOW = "pc"  # pc:<add|rate|del>:<petition id>[:<+|->]
STAFF_STEPS = ("staff-reply", "staff-reject")


def _kb(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=cb) for label, cb in row] for row in rows])


def _cancel_row() -> list[tuple[str, str]]:
    return [(messages.CANCEL, data(FLOW, "cancel"))]


def _areas(s: Services) -> list[str]:
    return sorted({area for unit in s.settings.units for area in unit.areas})


# --- rendering for the unit's chat and the citizen ------------------------------------


def unit_text(petition: Petition, unit: Unit | None = None) -> str:
    area = f"Khu vực: {petition.area}\n" if petition.area else ""
    place = petition.place or (f"vị trí {petition.latitude:.5f}, {petition.longitude:.5f}"
                               if petition.latitude is not None else messages.NONE)
    contact = messages.ANONYMOUS_LABEL if not petition.contact_phone else \
        f"{petition.contact_name or ''} {petition.contact_phone}".strip()
    text = messages.UNIT_NEW.format(
        code=petition.code, category=CATEGORIES.get(petition.category, petition.category), area=area,
        description=petition.description, place=place, contact=contact, date=petition.created_at[:10],
    )
    if petition.complaint:
        text += "\n" + messages.UNIT_COMPLAINT
    if unit is not None and petition.status == "redirected":
        text += "\n" + messages.UNIT_REDIRECTED.format(unit=unit.name)
    if petition.personal_deleted:
        text += "\n" + messages.UNIT_PERSONAL_DELETED
    return text


def unit_keyboard(petition_id: int) -> dict[str, Any]:
    pid = str(petition_id)
    return _kb(
        [(messages.UNIT_ACCEPT, data(UNIT, "acc", pid)), (messages.UNIT_PROGRESS, data(UNIT, "prog", pid))],
        [(messages.UNIT_RESOLVE, data(UNIT, "done", pid)), (messages.UNIT_REJECT, data(UNIT, "rej", pid))],
        [(messages.UNIT_MOVE, data(UNIT, "move", pid))],
    ).to_dict()


def forward_calls(photos: list[str]):
    """The messages a petition becomes in a unit's chat: its text with buttons, its photos, its location."""
    def render(petition: Petition, unit: Unit) -> list[Call]:
        calls: list[Call] = [("sendMessage", {"text": unit_text(petition, unit)[:4000],
                                              "reply_markup": unit_keyboard(petition.id)})]
        for file_id in photos[:MAX_PHOTOS]:
            calls.append(("sendPhoto", {"photo": file_id, "caption": messages.UNIT_PHOTO.format(code=petition.code)}))
        if petition.latitude is not None and petition.longitude is not None:
            calls.append(("sendLocation", {"latitude": petition.latitude, "longitude": petition.longitude}))
        return calls
    return render


def citizen_note(text: str) -> list[Call]:
    return [("sendMessage", {"text": text[:4000]})]


def status_note(petition: Petition, status: str) -> list[Call]:
    return citizen_note(messages.CITIZEN_STATUS.format(code=petition.code, status=STATUSES[status]))


# --- the citizen's conversation ----------------------------------------------------------


async def start_petition(update: Update, context: ContextTypes.DEFAULT_TYPE, prefilled: str | None = None) -> None:
    """/phananh (or the menu, or a fallback's button): the first step, choosing a category."""
    s = services(context)
    user_id = update.effective_user.id
    message = update.effective_message
    if update.effective_chat.type != ChatType.PRIVATE:
        return
    sent_today = await s.petitions.count_today(user_id)
    if sent_today >= MAX_PER_DAY:
        await message.reply_text(messages.PETITION_LIMIT.format(n=sent_today))
        return
    await s.store.touch_user(user_id, update.effective_chat.id)
    draft = {"description": prefilled[:DESCRIPTION_MAX]} if prefilled else {}
    await s.petitions.save_draft(user_id, "category", draft)
    rows = [[(label, data(FLOW, "cat", key))] for key, label in CATEGORIES.items()]
    await message.reply_text(messages.PETITION_CATEGORY, reply_markup=_kb(*rows, _cancel_row()))


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/huy: drop the draft (or a unit member's pending reply)."""
    s = services(context)
    had = await s.petitions.draft(update.effective_user.id)
    await s.petitions.drop_draft(update.effective_user.id)
    await update.effective_message.reply_text(
        messages.PETITION_CANCELLED if had else messages.PETITION_NOTHING, reply_markup=ReplyKeyboardRemove()
    )


async def _ask_step(message: Message, s: Services, user_id: int, step: str, draft: dict[str, Any]) -> None:
    """Save the draft at ``step`` and ask the citizen for it."""
    await s.petitions.save_draft(user_id, step, draft)
    if step == "area":
        rows = [[(area, data(FLOW, "area", str(n)))] for n, area in enumerate(_areas(s))]
        await message.reply_text(messages.PETITION_AREA, reply_markup=_kb(*rows, _cancel_row()))
    elif step == "description":
        await message.reply_text(messages.PETITION_DESCRIBE.format(min=DESCRIPTION_MIN),
                                 reply_markup=_kb(_cancel_row()))
    elif step == "place":
        await message.reply_text(messages.PETITION_PLACE,
                                 reply_markup=_kb([(messages.SKIP, data(FLOW, "skip"))], _cancel_row()))
    elif step == "photo":
        await message.reply_text(messages.PETITION_PHOTO.format(max=MAX_PHOTOS),
                                 reply_markup=_kb([(messages.CONTINUE, data(FLOW, "next"))], _cancel_row()))
    elif step == "contact":
        await message.reply_text(messages.PETITION_CONTACT, reply_markup=ReplyKeyboardMarkup(
            [[KeyboardButton(messages.SHARE_PHONE, request_contact=True)]], resize_keyboard=True, one_time_keyboard=True,
        ))
        await message.reply_text(messages.ANONYMOUS + "?", reply_markup=_kb([(messages.ANONYMOUS, data(FLOW, "anon"))]))
    elif step == "review":
        await message.reply_text(_review_text(draft), reply_markup=_kb(
            [(messages.SUBMIT, data(FLOW, "send"))], _cancel_row()))


def _review_text(draft: dict[str, Any]) -> str:
    place = draft.get("place") or (f"vị trí {draft['lat']:.5f}, {draft['lon']:.5f}" if "lat" in draft else messages.NONE)
    contact = draft.get("phone") or messages.ANONYMOUS_LABEL
    text = messages.PETITION_REVIEW.format(
        category=CATEGORIES[draft["category"]], area=f"• Khu vực: {draft['area']}\n" if draft.get("area") else "",
        description=draft["description"], place=place, photos=len(draft.get("photos", [])), contact=contact,
    )
    if is_complaint(draft["description"]):
        text += "\n\n" + messages.COMPLAINT_NOTE
    return text[:4000]


def _next_after(step: str, s: Services, draft: dict[str, Any]) -> str:
    order = ["category", "area", "description", "place", "photo", "contact", "review"]
    for candidate in order[order.index(step) + 1:]:
        if candidate == "area" and not _areas(s):
            continue
        if candidate == "description" and draft.get("description"):
            continue
        return candidate
    return "review"


async def live_draft(s: Services, user_id: int, message: Message) -> dict | None:
    """The user's draft if there is one still fresh; an expired one is dropped with a word."""
    draft = await s.petitions.draft(user_id)
    if draft is None:
        return None
    if time.time() - draft.updated_at > DRAFT_TTL:
        await s.petitions.drop_draft(user_id)
        await message.reply_text(messages.PETITION_EXPIRED.format(minutes=DRAFT_TTL // 60))
        return None
    return {"step": draft.step, **draft.data}


async def _current_step(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """(services, user id, message, step, draft data) for a user writing something, else None."""
    s = services(context)
    message = update.effective_message
    state = await live_draft(s, update.effective_user.id, message)
    if state is None:
        return None
    return s, update.effective_user.id, message, state.pop("step"), state


async def take_text(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> bool:
    """Text from a user with a draft: consumed by the step that wants it (True), else left to Q&A."""
    current = await _current_step(update, context)
    if current is None:
        return False
    s, user_id, message, step, state = current
    if step in STAFF_STEPS:
        if message.chat_id != state.get("chat"):
            return False  # elsewhere, the unit member is just asking something
        await staff_text(update, context, step, state, text)
        return True
    if step == "add-info":
        await s.petitions.drop_draft(user_id)
        petition = await s.petitions.get(int(state.get("petition", 0)))
        if petition is None or petition.user_id != user_id or petition.closed:
            await message.reply_text(messages.STALE_BUTTON)
            return True
        extra = text.strip()[:DESCRIPTION_MAX]
        await s.petitions.add_info(petition, user_id, extra,
                                   [("sendMessage", {"text": messages.UNIT_INFO.format(code=petition.code, text=extra)})])
        s.wake_outbox()
        await message.reply_text(messages.INFO_ADDED.format(code=petition.code))
        return True
    if step == "description":
        text = text.strip()
        if len(text) < DESCRIPTION_MIN:
            await message.reply_text(messages.PETITION_SHORT.format(min=DESCRIPTION_MIN))
        elif len(text) > DESCRIPTION_MAX:
            await message.reply_text(messages.PETITION_LONG.format(length=len(text), max=DESCRIPTION_MAX))
        else:
            state["description"] = text
            await _ask_step(message, s, user_id, _next_after(step, s, state), state)
        return True
    if step == "place":
        state["place"] = text.strip()[:PLACE_MAX]
        await _ask_step(message, s, user_id, _next_after(step, s, state), state)
        return True
    if step == "contact" and text.strip() == messages.SHARE_PHONE:
        await message.reply_text(messages.CONTACT_NOT_OWN)
        return True
    # A step that wants a button: the text is a question, answered below this reminder.
    await message.reply_text(messages.PETITION_WAITING)
    return False


async def take_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A photo, location or contact from a user with a draft; True when a step took it."""
    current = await _current_step(update, context)
    if current is None:
        return False
    s, user_id, message, step, state = current
    if step == "photo" and message.photo:
        photos = state.setdefault("photos", [])
        largest = message.photo[-1]
        if largest.file_size and largest.file_size > MAX_PHOTO_BYTES:
            await message.reply_text(messages.PETITION_PHOTO_BIG)
        elif len(photos) >= MAX_PHOTOS:
            await message.reply_text(messages.PETITION_PHOTO_FULL.format(max=MAX_PHOTOS))
        else:
            photos.append(largest.file_id)
            await s.petitions.save_draft(user_id, step, state)
            await message.reply_text(messages.PETITION_PHOTO_OK.format(n=len(photos), max=MAX_PHOTOS),
                                     reply_markup=_kb([(messages.CONTINUE, data(FLOW, "next"))]))
        return True
    if step == "place" and message.location:
        state["lat"], state["lon"] = message.location.latitude, message.location.longitude
        await _ask_step(message, s, user_id, _next_after(step, s, state), state)
        return True
    if step == "contact" and message.contact:
        if message.contact.user_id != user_id:
            await message.reply_text(messages.CONTACT_NOT_OWN)
            return True
        state["phone"] = message.contact.phone_number
        state["name"] = " ".join(filter(None, [message.contact.first_name, message.contact.last_name]))
        await message.reply_text(messages.CONTACT_SAVED, reply_markup=ReplyKeyboardRemove())
        await _ask_step(message, s, user_id, "review", state)
        return True
    need = {"description": messages.NEED_TEXT, "place": messages.NEED_PLACE, "photo": messages.NEED_PHOTO}
    await message.reply_text(messages.PETITION_NEED.format(what=need.get(step, messages.NEED_TEXT))
                             if step in need else messages.PETITION_WAITING)
    return True


async def press_flow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """pe:... pressed: the button steps of the conversation."""
    query = update.callback_query
    s = services(context)
    user_id = update.effective_user.id
    parts = query.data.split(":")
    action, arg = parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else ""
    if action == "cancel":
        await query.answer()
        await s.petitions.drop_draft(user_id)
        await _drop_buttons(query)
        await query.message.reply_text(messages.PETITION_CANCELLED, reply_markup=ReplyKeyboardRemove())
        return
    state = await live_draft(s, user_id, query.message)
    step = state.pop("step") if state else None
    expected = {"cat": "category", "area": "area", "skip": "place", "next": "photo", "anon": "contact", "send": "review"}
    if state is None or expected.get(action) != step:
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return
    if action == "cat":
        if arg not in CATEGORIES:
            await query.answer(messages.STALE_BUTTON, show_alert=True)
            return
        state["category"] = arg
    elif action == "area":
        areas = _areas(s)
        if not arg.isdigit() or int(arg) >= len(areas):
            await query.answer(messages.STALE_BUTTON, show_alert=True)
            return
        state["area"] = areas[int(arg)]
    elif action == "anon":
        state.pop("phone", None)
        state.pop("name", None)
    elif action == "send":
        await query.answer()
        await submit(update, context, state)
        return
    await query.answer()
    await _drop_buttons(query)
    if action == "cat" and state.get("description"):
        await query.message.reply_text(messages.PETITION_PREFILLED.format(text=state["description"][:300]))
    if action == "anon":
        await query.message.reply_text(messages.ANONYMOUS, reply_markup=ReplyKeyboardRemove())
    await _ask_step(query.message, s, user_id, _next_after(step, s, state), state)


async def submit(update: Update, context: ContextTypes.DEFAULT_TYPE, state: dict[str, Any]) -> None:
    """Confirmation: the petition is committed (with its forwarding queued) before the code is shown."""
    s = services(context)
    user_id = update.effective_user.id
    message = update.effective_message
    if await s.petitions.count_today(user_id) >= MAX_PER_DAY:
        await message.reply_text(messages.PETITION_LIMIT.format(n=MAX_PER_DAY))
        return
    if not state.get("duplicate_ok"):
        twin = await s.petitions.similar_recent(user_id, state["description"])
        if twin is not None:  # ask before sending the same thing twice
            state["duplicate_ok"] = True
            await s.petitions.save_draft(user_id, "review", state)
            await message.reply_text(
                messages.DUPLICATE.format(date=twin.created_at[:10], code=twin.code, status=STATUSES[twin.status]),
                reply_markup=_kb([(messages.SEND_ANYWAY, data(FLOW, "send"))], _cancel_row()),
            )
            return
    photos = list(state.get("photos", []))
    new = NewPetition(
        user_id=user_id, chat_id=update.effective_chat.id, category=state["category"], area=state.get("area"),
        description=state["description"], place=state.get("place"), latitude=state.get("lat"),
        longitude=state.get("lon"), contact_name=state.get("name"), contact_phone=state.get("phone"), photos=photos,
    )
    petition = await s.petitions.create(new, forward_calls(photos))
    await s.petitions.drop_draft(user_id)
    s.wake_outbox()
    await _drop_buttons(update.callback_query)
    await message.reply_text(messages.PETITION_SAVED.format(code=petition.code), reply_markup=ReplyKeyboardRemove())



async def _drop_buttons(query) -> None:
    """Take the buttons off the message pressed; they may be gone already (edited, too old to edit) or
    Telegram may fail this once: the next step is what matters."""
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except TelegramError as exc:
        log.debug("buttons not removed: %s", exc)

# --- following one's petitions -------------------------------------------------------------


async def my_petitions(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/phananhcuatoi: the user's petitions and their statuses."""
    s = services(context)
    mine = await s.petitions.of_user(update.effective_user.id)
    if not mine:
        await update.effective_message.reply_text(messages.MY_PETITIONS_NONE)
        return
    lines = [messages.MY_PETITIONS] + [
        messages.PETITION_LINE.format(code=p.code, category=CATEGORIES.get(p.category, p.category),
                                      status=STATUSES[p.status], date=p.updated_at[:10])
        for p in mine
    ]
    rows = []
    for p in mine:
        if not p.closed:
            rows.append([(messages.ADD_INFO.format(code=p.code), data(FOLLOW, "add", str(p.id)))])
        elif not p.personal_deleted and (p.contact_phone or p.place or p.latitude is not None):
            rows.append([(messages.DELETE_DATA.format(code=p.code), data(FOLLOW, "del", str(p.id)))])
        if p.status == "resolved" and p.rating is None:
            rows.append([(f"{messages.RATE_YES} {p.code}", data(FOLLOW, "rate", str(p.id), "+")),
                         (f"{messages.RATE_NO[:2]} {p.code}", data(FOLLOW, "rate", str(p.id), "-"))])
    await update.effective_message.reply_text("\n".join(lines), reply_markup=_kb(*rows) if rows else None)


def rating_keyboard(petition_id: int) -> dict[str, Any]:
    return _kb([(messages.RATE_YES, data(FOLLOW, "rate", str(petition_id), "+")),
                (messages.RATE_NO, data(FOLLOW, "rate", str(petition_id), "-"))]).to_dict()


async def press_follow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """pc:... pressed by a citizen: add information, rate, or delete personal data, on their own petition."""
    query = update.callback_query
    s = services(context)
    parts = query.data.split(":")
    user_id = update.effective_user.id
    petition = await s.petitions.get(int(parts[2])) if len(parts) >= 3 and parts[2].isdigit() else None
    if petition is None or petition.user_id != user_id or parts[1] not in ("add", "rate", "del"):
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return
    if parts[1] == "add":
        if petition.closed:
            await query.answer(messages.PETITION_CLOSED_ALREADY.format(code=petition.code), show_alert=True)
            return
        await query.answer()
        await s.petitions.save_draft(user_id, "add-info", {"petition": petition.id})
        await query.message.reply_text(messages.ASK_ADD_INFO.format(code=petition.code))
    elif parts[1] == "rate":
        value = {"+": 1, "-": -1}.get(parts[3] if len(parts) > 3 else "")
        if value is None or not await s.petitions.rate(petition, user_id, value):
            await query.answer(messages.STALE_BUTTON, show_alert=True)
            return
        await query.answer(messages.RATE_THANKS)
        await _drop_buttons(query)
    else:
        if not await s.petitions.delete_personal_data(petition, user_id, redacted=unit_text):
            await query.answer(messages.DATA_NOT_CLOSED, show_alert=True)
            return
        await query.answer()
        await query.message.reply_text(messages.DATA_DELETED.format(code=petition.code))


async def petition_status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/trangthai CODE: a petition's status by its tracking code (no personal data shown)."""
    s = services(context)
    code = " ".join(context.args or []).strip()[:40]
    if not code:
        await update.effective_message.reply_text(messages.STATUS_PROMPT)
        return
    petition = await s.petitions.by_code(code)
    if petition is None:
        await update.effective_message.reply_text(messages.STATUS_UNKNOWN.format(code=code))
        return
    await update.effective_message.reply_text(messages.STATUS_OF.format(
        code=petition.code, category=CATEGORIES.get(petition.category, petition.category),
        status=STATUSES[petition.status], date=petition.updated_at[:10],
    ))


# --- the unit's buttons ------------------------------------------------------------------------


def _who(update: Update) -> str:
    user = update.effective_user
    return user.full_name if user else "?"


async def press_unit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """pu:<action>:<id> pressed in a unit's chat: checked against the unit's staff, then applied."""
    query = update.callback_query
    s = services(context)
    parts = query.data.split(":")
    if len(parts) != 3 or not parts[2].isdigit() or parts[1] not in ("acc", "prog", "done", "rej", "move"):
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return
    action, petition = parts[1], await s.petitions.get(int(parts[2]))
    if petition is None:
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return
    if not s.petitions.may_act(update.effective_user.id, petition):
        log.info("user %s refused on petition %s (%s)", update.effective_user.id, petition.id, action)
        await query.answer(messages.UNIT_NOT_ALLOWED, show_alert=True)
        return
    actor = f"user:{update.effective_user.id}"
    if action in ("acc", "prog"):
        status = "accepted" if action == "acc" else "in_progress"
        changed = await s.petitions.change_status(petition, status, actor, None, status_note(petition, status))
        if changed is None:
            await query.answer(messages.UNIT_NOT_NOW.format(status=STATUSES[petition.status]), show_alert=True)
            return
        s.wake_outbox()
        await query.answer()
        await query.message.reply_text(messages.UNIT_UPDATED.format(code=petition.code, status=STATUSES[status],
                                                                    who=_who(update)))
    elif action in ("done", "rej"):
        if petition.closed:
            await query.answer(messages.UNIT_NOT_NOW.format(status=STATUSES[petition.status]), show_alert=True)
            return
        await query.answer()
        step = "staff-reply" if action == "done" else "staff-reject"
        # The reply is taken only in this chat, so that a question asked elsewhere never becomes it.
        await s.petitions.save_draft(update.effective_user.id, step,
                                     {"petition": petition.id, "chat": query.message.chat_id})
        prompt = messages.UNIT_ASK_REPLY if action == "done" else messages.UNIT_ASK_REASON
        from telegram import ForceReply

        await query.message.reply_text(prompt.format(code=petition.code), reply_markup=ForceReply(selective=True))
    else:
        others = [(n, u) for n, u in enumerate(s.settings.units) if u.id != petition.unit_id]
        if not others:
            await query.answer(messages.UNIT_NOT_NOW.format(status=STATUSES[petition.status]), show_alert=True)
            return
        await query.answer()
        rows = [[(u.name[:60], data(MOVE, str(petition.id), str(n)))] for n, u in others]
        await query.message.reply_text(messages.UNIT_CHOOSE.format(code=petition.code), reply_markup=_kb(*rows))


async def press_move(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """pm:<id>:<unit> pressed: hand the petition to another unit."""
    query = update.callback_query
    s = services(context)
    parts = query.data.split(":")
    units = s.settings.units
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit() or int(parts[2]) >= len(units):
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return
    petition = await s.petitions.get(int(parts[1]))
    if petition is None:
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return
    if not s.petitions.may_act(update.effective_user.id, petition):
        await query.answer(messages.UNIT_NOT_ALLOWED, show_alert=True)
        return
    unit = units[int(parts[2])]
    photos = await s.petitions.photos(petition.id)
    moved = await s.petitions.redirect(
        petition, unit, f"user:{update.effective_user.id}", forward_calls(photos),
        citizen_note(messages.CITIZEN_MOVED.format(code=petition.code, unit=unit.name)),
    )
    if moved is None:
        await query.answer(messages.UNIT_NOT_NOW.format(status=STATUSES[petition.status]), show_alert=True)
        return
    s.wake_outbox()
    await query.answer()
    await query.edit_message_text(messages.UNIT_MOVED.format(code=petition.code, unit=unit.name))


async def staff_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A photo or document a unit member sends as (part of) the reply: evidence for the citizen."""
    s = services(context)
    message = update.effective_message
    draft = await s.petitions.draft(update.effective_user.id)
    if (draft is None or draft.step not in STAFF_STEPS or not (message.photo or message.document)
            or message.chat_id != draft.data.get("chat")):
        return False
    if message.photo:
        evidence: Call = ("sendPhoto", {"photo": message.photo[-1].file_id})
    else:
        evidence = ("sendDocument", {"document": message.document.file_id})
    await staff_text(update, context, draft.step, draft.data, message.caption or messages.EVIDENCE_ONLY, [evidence])
    return True


async def staff_text(update: Update, context: ContextTypes.DEFAULT_TYPE, step: str, state: dict, text: str,
                     evidence: list[Call] | None = None) -> None:
    """The reply (or the reason for rejecting) a unit member typed: reaches the citizen in the unit's name,
    with any photo or document sent as evidence."""
    s = services(context)
    user_id = update.effective_user.id
    petition = await s.petitions.get(int(state.get("petition", 0)))
    await s.petitions.drop_draft(user_id)
    if petition is None or not s.petitions.may_act(user_id, petition):
        await update.effective_message.reply_text(messages.UNIT_NOT_ALLOWED)
        return
    unit = s.petitions.unit(petition.unit_id)
    text = text.strip()[:3500]
    if step == "staff-reply":
        status, note = "resolved", messages.CITIZEN_REPLY.format(unit=unit.name, code=petition.code, text=text)
        calls = citizen_note(note) + (evidence or []) + [
            ("sendMessage", {"text": messages.RATE_ASK, "reply_markup": rating_keyboard(petition.id)})]
    else:
        status, note = "rejected", messages.CITIZEN_REJECTED.format(unit=unit.name, code=petition.code, text=text)
        calls = citizen_note(note) + (evidence or [])
    changed = await s.petitions.change_status(petition, status, f"user:{user_id}", text, calls)
    if changed is None:
        await update.effective_message.reply_text(messages.UNIT_NOT_NOW.format(status=STATUSES[petition.status]))
        return
    s.wake_outbox()
    await update.effective_message.reply_text(
        messages.UNIT_UPDATED.format(code=petition.code, status=STATUSES[status], who=_who(update))
    )


async def remind_overdue(s: Services, today) -> int:
    """Petitions past their working-day deadline: the unit is reminded daily, the admins told once."""
    late = await s.petitions.overdue(today)
    for p in late:
        unit = s.petitions.unit(p.unit_id)
        await s.petitions.remind_overdue(
            p, today, [("sendMessage", {"text": messages.UNIT_OVERDUE.format(code=p.code, due=p.due_on)})],
            [("sendMessage", {"text": messages.ADMIN_OVERDUE.format(code=p.code, due=p.due_on, unit=unit.name)})],
        )
    if late:
        s.wake_outbox()
    return len(late)
