"""Petitions on Telegram, the citizen's side: the guided conversation, following one's petitions.

The conversation is a row in SQLite (bot/conversations.py) written at every step, so a restart
in the middle of it resumes where the citizen was; its steps are named constants below.  What
the domain decides (bot/petitions.py) is only rendered here.  Texts are plain (no parse mode):
petitions carry whatever citizens type.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from telegram import CallbackQuery, KeyboardButton, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot import intake, messages
from bot.conversations import ADD_INFO, PETITION, STAFF, TTL, Conversation
from bot.petitions import (
    CATEGORIES,
    DAYS_TO_ANSWER,
    DEFAULT_DAYS,
    DESCRIPTION_MAX,
    DESCRIPTION_MIN,
    MAX_PER_DAY,
    MAX_PHOTO_BYTES,
    MAX_PHOTOS,
    PLACE_MAX,
    STATUSES,
    Actor,
    NewPetition,
    Petition,
    Outcome,
    is_complaint,
    is_denunciation,
)
from bot.telegram.notices import FOLLOW
from bot.telegram.render import MENU, clip, data, keyboard
from bot.telegram.services import Context, Services
from bot.text import fold
from bot.workdays import date_vn

log = logging.getLogger(__name__)
FLOW = "pe"  # pe:<cat|area|skip|next|anon|send|cancel>[:arg]
FLOW_PATTERN = rf"^{FLOW}:(cat|area|skip|next|anon|send|cancel|resume|restart|edit|offer)(?::([\w-]{{1,40}}))?$"
FOLLOW_PATTERN = rf"^{FOLLOW}:(add|del|delok|rate):(\d{{1,12}})(?::([+-]))?$"

# The steps of the petition conversation, in order.
CATEGORY, AREA, DESCRIPTION, PLACE, PHOTO, CONTACT, REVIEW = (
    "category", "area", "description", "place", "photo", "contact", "review")
STEPS = (CATEGORY, AREA, DESCRIPTION, PLACE, PHOTO, CONTACT, REVIEW)
RECENT_SEND = 600  # seconds after which a second tap on "Gửi" no longer means the petition just sent
OFFERED = "offered"  # a photo sent outside a conversation: a petition with it is offered
TEXT = "text"  # the one step of adding information
WORDS = "words"  # a citizen's words on a petition not resolved, kept for the button that reopens it
# The button each step waits for.
BUTTON_STEPS = {"cat": CATEGORY, "area": AREA, "skip": PLACE, "next": PHOTO, "anon": CONTACT, "send": REVIEW,
                "edit": REVIEW, "offer": OFFERED, "resume": None}


def actor(update: Update) -> Actor:
    user = update.effective_user
    return Actor(user.id, user.full_name or "")


def _cancel_row() -> list[tuple[str, str]]:
    return [(messages.CANCEL, data(FLOW, "cancel"))]


def _areas(s: Services, category: str | None = None) -> list[str]:
    """The areas units are configured for (those of ``category``'s units, when given)."""
    return sorted({area for unit in s.settings.units for area in unit.areas
                   if category is None or category in unit.categories})


async def drop_buttons(query: CallbackQuery | None) -> None:
    """Take the buttons off the message pressed (none when the step was typed); they may be gone already
    (edited, too old to edit) or Telegram may fail this once: the next step is what matters."""
    if query is None:
        return
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except TelegramError as exc:
        log.debug("buttons not removed: %s", exc)


# --- the conversation ------------------------------------------------------------------------


async def start_petition(update: Update, context: Context, prefilled: str | None = None,
                         restart: bool = False) -> None:
    """/phananh (or the menu, or a fallback's button): the first step, choosing a category."""
    s = context.services
    user_id = update.effective_user.id
    message = update.effective_message
    if update.effective_chat.type != ChatType.PRIVATE:
        await message.reply_text(messages.PETITION_PRIVATE_ONLY)
        return
    sent_today = await s.petitions.count_today(user_id)
    if sent_today >= MAX_PER_DAY:
        await message.reply_text(messages.PETITION_LIMIT.format(n=sent_today))
        return
    await s.store.touch_user(user_id, update.effective_chat.id)
    await s.conversations.drop(user_id, ADD_INFO)  # a new petition ends information left half added
    current = await s.conversations.get(user_id, PETITION)
    if current is not None and not current.expired and current.step not in (CATEGORY, OFFERED) and not restart:
        # never overwrite a petition being written without asking
        await message.reply_text(messages.PETITION_IN_PROGRESS, reply_markup=keyboard(
            [(messages.PETITION_RESUME, data(FLOW, "resume"))], [(messages.PETITION_RESTART, data(FLOW, "restart"))]))
        return
    # a question too short to describe anything ("?") is not used as the description
    draft = {"description": prefilled[:DESCRIPTION_MAX]} if prefilled and len(prefilled.strip()) >= DESCRIPTION_MIN else {}
    await s.conversations.save(user_id, PETITION, update.effective_chat.id, CATEGORY, draft)
    rows = [[(label, data(FLOW, "cat", key))] for key, label in CATEGORIES.items()]
    await message.reply_text(messages.PETITION_CATEGORY, reply_markup=keyboard(*rows, _cancel_row()))


CANCELLED = {PETITION: messages.PETITION_CANCELLED, ADD_INFO: messages.ADD_INFO_CANCELLED,
             STAFF: messages.UNIT_REPLY_CANCELLED}


async def cancel(update: Update, context: Context) -> None:
    """/huy: end the conversation in progress in this chat (a petition, information, a unit's reply)."""
    s = context.services
    user_id = update.effective_user.id
    current = await s.conversations.in_chat(user_id, update.effective_chat.id)
    if current is not None:
        await s.conversations.drop(user_id, current.name)
    await update.effective_message.reply_text(
        CANCELLED[current.name] if current else messages.PETITION_NOTHING, reply_markup=ReplyKeyboardRemove()
    )


async def repeat_step(update: Update, s: Services) -> None:
    """An update whose process died after it moved the petition on: the step it led to is asked
    again (the prompt may never have been sent)."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or update.effective_chat.type != ChatType.PRIVATE:
        return
    conversation = await s.conversations.get(user.id, PETITION)
    if conversation is None or conversation.expired or conversation.chat_id != message.chat_id:
        return
    if conversation.step == REVIEW and "key" in conversation.data:  # confirmed: stored once, its code shown
        await _submit(update, s, dict(conversation.data))
    else:
        await _ask_step(message, s, user.id, conversation.step, dict(conversation.data))


async def _ask_step(message: Message, s: Services, user_id: int, step: str, draft: dict[str, Any]) -> None:
    """Save the draft at ``step`` and ask the citizen for it."""
    await s.conversations.save(user_id, PETITION, message.chat_id, step, draft)
    if step == AREA:
        rows = [[(area, data(FLOW, "area", str(n)))] for n, area in enumerate(_areas(s, draft.get("category")))]
        rows.append([(messages.AREA_OTHER, data(FLOW, "area", "other"))])  # a ward no unit lists: the admins
        await message.reply_text(messages.PETITION_AREA, reply_markup=keyboard(*rows, _cancel_row()))
    elif step == DESCRIPTION:
        await message.reply_text(messages.PETITION_DESCRIBE.format(min=DESCRIPTION_MIN),
                                 reply_markup=keyboard(_cancel_row()))
    elif step == PLACE:
        await message.reply_text(messages.PETITION_PLACE,
                                 reply_markup=keyboard([(messages.SKIP, data(FLOW, "skip"))], _cancel_row()))
    elif step == PHOTO:
        await message.reply_text(messages.PETITION_PHOTO.format(max=MAX_PHOTOS),
                                 reply_markup=keyboard([(messages.CONTINUE, data(FLOW, "next"))], _cancel_row()))
    elif step == CONTACT:
        # One message: both choices on the keyboard under the text box ("🙈 Gửi ẩn danh" comes back as text).
        await message.reply_text(messages.PETITION_CONTACT, reply_markup=ReplyKeyboardMarkup(
            [[KeyboardButton(messages.SHARE_PHONE, request_contact=True)], [KeyboardButton(messages.ANONYMOUS)]],
            resize_keyboard=True, one_time_keyboard=True,
        ))
    elif step == REVIEW:
        draft.pop("editing", None)
        await s.conversations.save(user_id, PETITION, message.chat_id, step, draft)
        await message.reply_text(_review_text(draft), reply_markup=keyboard(
            [(messages.SUBMIT, data(FLOW, "send"))],
            [(messages.EDIT_DESCRIPTION, data(FLOW, "edit", DESCRIPTION)), (messages.EDIT_PLACE, data(FLOW, "edit", PLACE))],
            [(messages.EDIT_CATEGORY, data(FLOW, "edit", CATEGORY)), (messages.EDIT_CONTACT, data(FLOW, "edit", CONTACT))],
            _cancel_row()))


def _review_text(draft: dict[str, Any]) -> str:
    place = draft.get("place") or (messages.LOCATION.format(lat=draft["lat"], lon=draft["lon"]) if "lat" in draft
                                   else messages.NONE)
    contact = draft.get("phone") or messages.ANONYMOUS_LABEL
    text = messages.PETITION_REVIEW.format(
        category=CATEGORIES[draft["category"]], area=messages.REVIEW_AREA.format(area=draft["area"]) if draft.get("area") else "",
        description=draft["description"], place=place, photos=len(draft.get("photos", [])), contact=contact,
    )
    if is_complaint(draft["description"]):
        text += "\n\n" + messages.COMPLAINT_NOTE
    return clip(text)


def _next_after(step: str, s: Services, draft: dict[str, Any]) -> str:
    """The next step to ask; back to the review after a field edited there (and its area, for a category)."""
    if draft.get("editing") and not (step == CATEGORY and _areas(s, draft.get("category"))):
        return REVIEW
    for candidate in STEPS[STEPS.index(step) + 1:]:
        if candidate == AREA and not _areas(s, draft.get("category")):
            continue
        if candidate == DESCRIPTION and draft.get("description"):
            continue
        return candidate
    return REVIEW


async def current_conversation(s: Services, update: Update) -> Conversation | None:
    """The conversation this user has going in this chat; one left too long is ended with a word."""
    conversation = await s.conversations.in_chat(update.effective_user.id, update.effective_chat.id,
                                                 (PETITION, ADD_INFO))
    if conversation is not None and conversation.name == ADD_INFO and conversation.step == WORDS:
        others = await s.conversations.get(update.effective_user.id, PETITION)  # words kept are no step
        conversation = others if others and others.chat_id == update.effective_chat.id else None
    if conversation is not None and conversation.expired:
        await s.conversations.drop(conversation.user_id, conversation.name)
        await update.effective_message.reply_text(messages.PETITION_EXPIRED.format(minutes=TTL // 60))
        return None
    return conversation


async def take_text(update: Update, context: Context, conversation: Conversation, text: str) -> str | None:
    """Text for the citizen's petition or information being added.  None when a step took it; else
    it is a side-question, answered by the caller with the returned reminder under the answer."""
    s = context.services
    user_id, message, state = update.effective_user.id, update.effective_message, dict(conversation.data)
    if conversation.name == ADD_INFO:
        await s.conversations.drop(user_id, ADD_INFO)
        extra = text.strip()[:DESCRIPTION_MAX]
        result = await s.petitions.add_info(actor(update), int(state.get("petition", 0)), extra)
        if result.outcome is Outcome.NOT_NOW:
            await message.reply_text(messages.PETITION_CLOSED_ALREADY.format(code=result.petition.code))
        elif not result.done:
            await message.reply_text(messages.ADD_INFO_GONE)
        else:
            s.wake_outbox()
            await message.reply_text(messages.INFO_ADDED.format(code=result.petition.code))
        return None
    step, typed = conversation.step, text.strip()
    if intake.means_cancel(typed):
        await s.conversations.drop(user_id, PETITION)
        await message.reply_text(messages.PETITION_CANCELLED, reply_markup=ReplyKeyboardRemove())
        return None
    if step == REVIEW and intake.means_send(typed):
        await submit(update, context, state)
        return None
    if step == DESCRIPTION:
        if len(typed) < DESCRIPTION_MIN:
            await message.reply_text(messages.PETITION_SHORT.format(min=DESCRIPTION_MIN))
        elif len(typed) > DESCRIPTION_MAX:
            await message.reply_text(messages.PETITION_LONG.format(length=len(typed), max=DESCRIPTION_MAX))
        else:
            state["description"] = typed
            await _ask_step(message, s, user_id, _next_after(step, s, state), state)
        return None
    if step == PLACE and not intake.looks_like_question(typed):
        state["place"] = typed[:PLACE_MAX]
        await _ask_step(message, s, user_id, _next_after(step, s, state), state)
        return None
    if step == CATEGORY and (key := intake.category_named(typed, CATEGORIES)):
        await _choose_category(message, s, user_id, state, key)
        return None
    if step == AREA and ((named := _area_named(s, typed, state.get("category"))) or intake.other_area(typed)):
        state["area"] = named  # None: another ward, or not known
        await _ask_step(message, s, user_id, _next_after(step, s, state), state)
        return None
    if step == PHOTO and intake.means_no(typed):
        await _ask_step(message, s, user_id, _next_after(step, s, state), state)
        return None
    if step == CONTACT:
        if typed == messages.SHARE_PHONE:
            await message.reply_text(messages.CONTACT_NOT_OWN)
            return None
        if phone := intake.phone_in(typed):
            state["phone"], state["name"] = phone, update.effective_user.full_name or ""
            await message.reply_text(messages.CONTACT_SAVED, reply_markup=ReplyKeyboardRemove())
            await _ask_step(message, s, user_id, REVIEW, state)
            return None
        if intake.wants_anonymous(typed):
            state.pop("phone", None), state.pop("name", None)
            await message.reply_text(messages.ANONYMOUS, reply_markup=ReplyKeyboardRemove())
            await _ask_step(message, s, user_id, REVIEW, state)
            return None
    # A question asked on the way (or text where a button is wanted): answered, the step kept.
    return messages.PETITION_WAITING if step != PLACE else messages.PETITION_PLACE_AFTER_QUESTION


async def _choose_category(message: Message, s: Services, user_id: int, state: dict[str, Any], key: str) -> None:
    state["category"] = key
    if state.get("description") and not state.get("editing"):
        await message.reply_text(messages.PETITION_PREFILLED.format(text=state["description"][:300]))
    await _ask_step(message, s, user_id, _next_after(CATEGORY, s, state), state)


def _area_named(s: Services, text: str, category: str | None) -> str | None:
    """One of the areas the step offers (those of the category's units) named in typed text."""
    folded = fold(text)
    return next((area for area in _areas(s, category) if fold(area) in folded), None)


async def take_media(update: Update, context: Context, conversation: Conversation) -> None:
    """A photo, location or contact for the citizen's petition."""
    s = context.services
    user_id, message, state, step = update.effective_user.id, update.effective_message, dict(conversation.data), \
        conversation.step
    if conversation.name == PETITION and step in (DESCRIPTION, PLACE) and message.photo:
        # The most natural report: a photo, its caption the description (or the place).
        caption = (message.caption or "").strip()
        photos = state.setdefault("photos", [])
        if len(photos) < MAX_PHOTOS:
            photos.append(message.photo[-1].file_id)
        if step == DESCRIPTION and DESCRIPTION_MIN <= len(caption) <= DESCRIPTION_MAX:
            state["description"] = caption
        elif step == PLACE and caption and not intake.looks_like_question(caption):
            state["place"] = caption[:PLACE_MAX]
        if step == DESCRIPTION and not state.get("description"):
            await s.conversations.save(user_id, PETITION, message.chat_id, step, state)
            await message.reply_text(messages.PETITION_PHOTO_NEEDS_TEXT.format(min=DESCRIPTION_MIN))
            return
        await message.reply_text(messages.PETITION_PHOTO_OK.format(n=len(photos), max=MAX_PHOTOS))
        await _ask_step(message, s, user_id, _next_after(step, s, state), state)
        return
    if conversation.name == PETITION and step == PHOTO and message.photo:
        photos = state.setdefault("photos", [])
        largest = message.photo[-1]
        if largest.file_size and largest.file_size > MAX_PHOTO_BYTES:
            await message.reply_text(messages.PETITION_PHOTO_BIG)
        elif len(photos) >= MAX_PHOTOS:
            await message.reply_text(messages.PETITION_PHOTO_FULL.format(max=MAX_PHOTOS))
        else:
            photos.append(largest.file_id)
            await s.conversations.save(user_id, PETITION, message.chat_id, step, state)
            await message.reply_text(messages.PETITION_PHOTO_OK.format(n=len(photos), max=MAX_PHOTOS),
                                     reply_markup=keyboard([(messages.CONTINUE, data(FLOW, "next"))], _cancel_row()))
        return
    if conversation.name == PETITION and step == PLACE and message.location:
        state["lat"], state["lon"] = message.location.latitude, message.location.longitude
        await _ask_step(message, s, user_id, _next_after(step, s, state), state)
        return
    if conversation.name == PETITION and step == CONTACT and message.contact:
        if message.contact.user_id != user_id:
            await message.reply_text(messages.CONTACT_NOT_OWN)
            return
        state["phone"] = message.contact.phone_number
        state["name"] = " ".join(filter(None, [message.contact.first_name, message.contact.last_name]))
        await message.reply_text(messages.CONTACT_SAVED, reply_markup=ReplyKeyboardRemove())
        await _ask_step(message, s, user_id, REVIEW, state)
        return
    need = {DESCRIPTION: messages.NEED_TEXT, PLACE: messages.NEED_PLACE, PHOTO: messages.NEED_PHOTO,
            TEXT: messages.NEED_TEXT}
    await message.reply_text(messages.PETITION_NEED.format(what=need[step]) if step in need
                             else messages.PETITION_WAITING)


async def press_flow(update: Update, context: Context) -> None:
    """pe:... pressed: the button steps of the conversation."""
    query = update.callback_query
    s = context.services
    user_id = update.effective_user.id
    action, arg = context.match.group(1), context.match.group(2) or ""
    if action == "cancel":
        await query.answer()
        await s.conversations.drop(user_id, PETITION)
        await drop_buttons(query)
        await query.message.reply_text(messages.PETITION_CANCELLED, reply_markup=ReplyKeyboardRemove())
        return
    if action == "restart":
        await query.answer()
        await drop_buttons(query)
        await start_petition(update, context, restart=True)
        return
    conversation = await s.conversations.get(user_id, PETITION)
    if conversation is not None and conversation.expired:
        await s.conversations.drop(user_id, PETITION)
        await query.answer()
        await query.message.reply_text(messages.PETITION_EXPIRED.format(minutes=TTL // 60))
        return
    if action == "offer" and conversation is not None and conversation.step == OFFERED:
        await query.answer()
        await drop_buttons(query)
        rows = [[(label, data(FLOW, "cat", key))] for key, label in CATEGORIES.items()]
        await s.conversations.save(user_id, PETITION, query.message.chat_id, CATEGORY, dict(conversation.data))
        await query.message.reply_text(messages.PETITION_CATEGORY, reply_markup=keyboard(*rows, _cancel_row()))
        return
    if action == "resume" and conversation is not None:
        await query.answer()
        await drop_buttons(query)
        await _ask_step(query.message, s, user_id, conversation.step, dict(conversation.data))
        return
    if action == "send" and conversation is None:
        # "Gửi" tapped twice, or its first tap's process died after storing the petition: its code again
        latest = next(iter(await s.petitions.of_user(user_id, limit=1)), None)
        if latest is not None and latest.seconds_old < RECENT_SEND:
            await query.answer()
            await _confirm(update, s, latest)
            return
    if conversation is None or BUTTON_STEPS[action] != conversation.step:
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return
    state, step = dict(conversation.data), conversation.step
    if action == "cat":
        if arg not in CATEGORIES:
            await query.answer(messages.STALE_BUTTON, show_alert=True)
            return
        state["category"] = arg
    elif action == "area":
        areas = _areas(s, state.get("category"))
        if arg != "other" and (not arg.isdigit() or int(arg) >= len(areas)):
            await query.answer(messages.STALE_BUTTON, show_alert=True)
            return
        state["area"] = None if arg == "other" else areas[int(arg)]
    elif action == "edit":
        if arg not in (DESCRIPTION, PLACE, CATEGORY, CONTACT):
            await query.answer(messages.STALE_BUTTON, show_alert=True)
            return
        await query.answer()
        await drop_buttons(query)
        state["editing"] = True
        if arg == DESCRIPTION:
            state.pop("description", None)
        await _ask_step(query.message, s, user_id, arg, state)
        return
    elif action == "anon":
        state.pop("phone", None)
        state.pop("name", None)
    elif action == "send":
        await query.answer()
        await submit(update, context, state)
        return
    await query.answer()
    await drop_buttons(query)
    if action == "cat" and state.get("description"):
        await query.message.reply_text(messages.PETITION_PREFILLED.format(text=state["description"][:300]))
    if action == "anon":
        await query.message.reply_text(messages.ANONYMOUS, reply_markup=ReplyKeyboardRemove())
    await _ask_step(query.message, s, user_id, _next_after(step, s, state), state)


async def submit(update: Update, context: Context, state: dict[str, Any]) -> None:
    """Confirmation: the petition is committed (with its forwarding queued) before the code is shown."""
    await _submit(update, context.services, state)


async def _submit(update: Update, s: Services, state: dict[str, Any]) -> None:
    user_id = update.effective_user.id
    message = update.effective_message
    stored = await s.petitions.by_draft(state["key"]) if "key" in state else None
    if stored is not None:  # confirmed before, by a process that died before showing the code
        await _confirm(update, s, stored)
        return
    if await s.petitions.count_today(user_id) >= MAX_PER_DAY:
        await message.reply_text(messages.PETITION_LIMIT.format(n=MAX_PER_DAY))
        return
    if not state.get("duplicate_ok"):
        twin = await s.petitions.similar_recent(user_id, state["description"])
        if twin is not None:  # ask before sending the same thing twice
            state["duplicate_ok"] = True
            await s.conversations.save(user_id, PETITION, message.chat_id, REVIEW, state)
            await message.reply_text(
                messages.DUPLICATE.format(date=date_vn(twin.created_at), code=twin.code, status=STATUSES[twin.status]),
                reply_markup=keyboard([(messages.SEND_ANYWAY, data(FLOW, "send"))], _cancel_row()),
            )
            return
    if "key" not in state:  # on disk before the petition: a confirmation handled twice finds it
        state["key"] = secrets.token_hex(8)
        await s.conversations.save(user_id, PETITION, message.chat_id, REVIEW, state)
    new = NewPetition(
        user_id=user_id, chat_id=update.effective_chat.id, category=state["category"], area=state.get("area"),
        description=state["description"], place=state.get("place"), latitude=state.get("lat"),
        longitude=state.get("lon"), contact_name=state.get("name"), contact_phone=state.get("phone"),
        photos=list(state.get("photos", [])), draft_key=state["key"],
    )
    result = await s.petitions.submit(actor(update), new)
    if not result.done:  # over the day's limit meanwhile (checked above for a kinder word)
        await message.reply_text(messages.PETITION_LIMIT.format(n=MAX_PER_DAY))
        return
    await _confirm(update, s, result.petition)


async def _confirm(update: Update, s: Services, petition: Petition) -> None:
    """The petition is stored: the conversation ends and the citizen has its code and due date."""
    message = update.effective_message
    await s.conversations.drop(update.effective_user.id, PETITION)
    s.wake_outbox()
    await drop_buttons(update.callback_query)
    saved = messages.PETITION_SAVED.format(code=petition.code, due=date_vn(petition.due_on),
                                           days=DAYS_TO_ANSWER.get(petition.category, DEFAULT_DAYS))
    if is_denunciation(petition.description):
        saved += "\n\n" + messages.DENUNCIATION_ROUTED
    await message.reply_text(saved, reply_markup=ReplyKeyboardRemove())


# --- following one's petitions ------------------------------------------------------------------


async def my_petitions(update: Update, context: Context) -> None:
    """/phananhcuatoi: the user's petitions and their statuses, with what they can do next."""
    s = context.services
    mine = await s.petitions.of_user(update.effective_user.id)
    if not mine:
        await update.effective_message.reply_text(messages.MY_PETITIONS_NONE, reply_markup=keyboard(
            [(messages.MENU_PETITION, data(MENU, "petition"))], [(messages.MENU_HOME, data(MENU, "home"))]))
        return
    lines = [messages.MY_PETITIONS] + [
        messages.PETITION_LINE.format(code=p.code, category=CATEGORIES.get(p.category, p.category),
                                      status=STATUSES[p.status], date=date_vn(p.updated_at))
        for p in mine
    ]
    rows = []
    for p in mine:
        if not p.closed or p.status == "resolved" and p.rating is None:  # until the citizen is satisfied
            rows.append([(messages.ADD_INFO.format(code=p.code), data(FOLLOW, "add", str(p.id)))])
        elif not p.personal_deleted and (p.contact_phone or p.place or p.latitude is not None):
            rows.append([(messages.DELETE_DATA.format(code=p.code), data(FOLLOW, "del", str(p.id)))])
        if p.status == "resolved" and p.rating is None:
            rows.append([(f"{messages.RATE_YES_SHORT} {p.code}", data(FOLLOW, "rate", str(p.id), "+")),
                         (f"{messages.RATE_NO_SHORT} {p.code}", data(FOLLOW, "rate", str(p.id), "-"))])
    rows.append([(messages.MENU_PETITION, data(MENU, "petition"))])
    await update.effective_message.reply_text(clip("\n".join(lines)), reply_markup=keyboard(*rows))


async def press_follow(update: Update, context: Context) -> None:
    """pc:... pressed by a citizen: add information, rate, or delete personal data, on their own petition."""
    query = update.callback_query
    s = context.services
    what, petition_id, sign = context.match.group(1), int(context.match.group(2)), context.match.group(3)
    who = actor(update)
    if what == "add":
        result = await s.petitions.may_add_info(who, petition_id)
        if result.outcome is Outcome.NOT_NOW:
            await query.answer(messages.PETITION_CLOSED_ALREADY.format(code=result.petition.code), show_alert=True)
        elif not result.done:
            await query.answer(messages.STALE_BUTTON, show_alert=True)
        else:
            await query.answer()
            await s.conversations.save(who.user_id, ADD_INFO, query.message.chat_id, TEXT, {"petition": petition_id})
            await query.message.reply_text(messages.ASK_ADD_INFO.format(code=result.petition.code))
        return
    if what == "rate":
        result = await s.petitions.rate(who, petition_id, 1 if sign == "+" else -1) if sign else None
        if result is None or not result.done:
            await query.answer(messages.STALE_BUTTON, show_alert=True)
            return
        await query.answer(messages.RATE_THANKS)
        await drop_buttons(query)
        words = await s.conversations.get(who.user_id, ADD_INFO)
        if sign == "-" and words and words.step == WORDS and words.data.get("petition") == petition_id:
            # what the citizen said in their own words reaches the unit with the reopening
            await s.conversations.drop(who.user_id, ADD_INFO)
            await s.petitions.add_info(who, petition_id, words.data["text"][:DESCRIPTION_MAX])
        s.wake_outbox()
        return
    if what == "del":  # asked once more: this cannot be undone
        petition = await s.petitions.get(petition_id)
        if petition is None or petition.user_id != who.user_id:
            await query.answer(messages.STALE_BUTTON, show_alert=True)
            return
        if petition.personal_deleted:
            await query.answer(messages.DATA_ALREADY_DELETED, show_alert=True)
            return
        if not petition.closed:
            await query.answer(messages.DATA_NOT_CLOSED, show_alert=True)
            return
        await query.answer()
        await query.message.reply_text(messages.DATA_DELETE_CONFIRM, reply_markup=keyboard(
            [(messages.DATA_DELETE_YES, data(FOLLOW, "delok", str(petition_id)))]))
        return
    result = await s.petitions.delete_personal_data(who, petition_id)
    if result.outcome is Outcome.NOT_NOW and result.petition.personal_deleted:
        await query.answer(messages.DATA_ALREADY_DELETED, show_alert=True)
        await drop_buttons(query)
    elif result.outcome is Outcome.NOT_NOW:
        await query.answer(messages.DATA_NOT_CLOSED, show_alert=True)
    elif not result.done:
        await query.answer(messages.STALE_BUTTON, show_alert=True)
    else:
        s.wake_outbox()
        await query.answer()
        await drop_buttons(query)
        await query.message.reply_text(messages.DATA_DELETED.format(code=result.petition.code))


async def petition_status(update: Update, context: Context) -> None:
    """/trangthai CODE: a petition's status by its tracking code (no personal data shown)."""
    s = context.services
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
        status=STATUSES[petition.status], date=date_vn(petition.updated_at),
    ))


async def offer_petition_with_photo(update: Update, context: Context) -> None:
    """A photo sent outside a conversation, the most natural report: offer a petition with it
    (its caption as the description)."""
    s = context.services
    message, user_id = update.effective_message, update.effective_user.id
    caption = (message.caption or "").strip()
    draft: dict[str, Any] = {"photos": [message.photo[-1].file_id]}
    if DESCRIPTION_MIN <= len(caption) <= DESCRIPTION_MAX:
        draft["description"] = caption
    await s.store.touch_user(user_id, message.chat_id)
    await s.conversations.save(user_id, PETITION, message.chat_id, OFFERED, draft)
    await message.reply_text(messages.PHOTO_OFFER, reply_markup=keyboard(
        [(messages.PHOTO_OFFER_YES, data(FLOW, "offer"))], [(messages.PHOTO_OFFER_NO, data(FLOW, "cancel"))]))


def petition_answer(text: str, in_petition: bool) -> str | None:
    """The answer to a question about petitions themselves (how long, who sees it), or None."""
    kind = intake.petition_question(text, in_petition)
    if kind == "deadline":
        days = sorted({(DAYS_TO_ANSWER.get(key, DEFAULT_DAYS), label) for key, label in CATEGORIES.items()})
        by_days = "; ".join(f"{label}: {n} ngày làm việc" for n, label in days if n != DEFAULT_DAYS)
        return messages.PETITION_FAQ_DEADLINE.format(default=DEFAULT_DAYS, others=by_days)
    if kind == "privacy":
        return messages.PETITION_FAQ_PRIVACY
    return None


async def about_own_petition(update: Update, context: Context, text: str) -> bool:
    """Text about the citizen's own petition rather than the documents: asking after it shows their
    petitions; saying a resolved one is not resolved offers to reopen it.  False when it is neither."""
    s = context.services
    if text.strip() == messages.MENU_MY_PETITIONS:  # a menu button's label typed (or sent by a keyboard)
        await my_petitions(update, context)
        return True
    if text.strip() == messages.MENU_PETITION:
        await start_petition(update, context)
        return True
    if answer := petition_answer(text, in_petition=False):
        await update.effective_message.reply_text(answer)
        return True
    if intake.asks_own_status(text):  # with none yet, that is said, with a way to send one
        await my_petitions(update, context)
        return True
    if not intake.says_not_resolved(text):
        return False
    resolved = [p for p in await s.petitions.of_user(update.effective_user.id)
                if p.status == "resolved" and p.rating is None]
    if not resolved:
        return False
    latest = resolved[0]
    await s.conversations.save(update.effective_user.id, ADD_INFO, update.effective_chat.id, WORDS,
                               {"petition": latest.id, "text": text})
    await update.effective_message.reply_text(
        messages.NOT_RESOLVED_OFFER.format(code=latest.code), reply_markup=keyboard(
            [(messages.NOT_RESOLVED_YES, data(FOLLOW, "rate", str(latest.id), "-"))],
            [(messages.ADD_INFO.format(code=latest.code), data(FOLLOW, "add", str(latest.id)))]))
    return True
