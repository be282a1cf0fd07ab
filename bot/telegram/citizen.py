"""Handlers for what every user does: start, choose a role, ask, browse, vote, pass a question on."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest

from bot import messages, places
from bot.assistant import MAX_QUESTION_CHARS, Reply
from bot.conversations import STAFF
from bot.telegram import official as official_tools
from bot.telegram import petition, render, unit
from bot.telegram.services import Context, Services

log = logging.getLogger(__name__)


async def _is_official(s: Services, user_id: int | None) -> bool:
    user = await s.store.user(user_id) if user_id else None
    return bool(user and user.role == "official")


async def send(message: Message, text: str, keyboard: InlineKeyboardMarkup | dict | None = None, html: bool = True) -> None:
    """Send to the chat of ``message`` without reading Telegram's copy of it back.

    ``reply_text`` would parse the sent message, buttons and all, into objects
    nobody uses; on the hottest path of the bot that costs more than matching.
    """
    params: dict[str, object] = {"chat_id": message.chat_id, "text": text}
    if html:
        params["parse_mode"] = ParseMode.HTML
    if keyboard is not None:
        params["reply_markup"] = keyboard if isinstance(keyboard, dict) else keyboard.to_dict()
    if message.chat.type != ChatType.PRIVATE:  # in a group, say which message is answered
        params["reply_parameters"] = {"message_id": message.message_id, "allow_sending_without_reply": True}
    await message.get_bot().do_api_request("sendMessage", api_kwargs=params)


async def send_reply(message: Message, reply: Reply, s: Services, user_id: int | None, question: str,
                     reminder: str | None = None) -> None:
    """Send a reply under a user's message, with its buttons; log what could not be answered.
    ``reminder`` ends the (last) message: the step of a petition being written."""
    after = f"\n\n{reminder}" if reminder else ""
    if reply.kind == "answer":
        s.remember_topic(user_id, reply.intent, question)
        chunks, keyboard = s.rendered_answer(reply)
        for chunk in chunks[:-1]:
            await send(message, chunk)
        await send(message, render.clip(chunks[-1] + render.escape(after)), keyboard)
    elif reply.kind == "clarify":
        await send(message, messages.CLARIFY + after, render.clarify_keyboard(reply, s.assistant), html=False)
    elif reply.kind == "smalltalk":
        keyboard = render.petition_keyboard() if reply.intent in render.PETITION_TALK and not reminder else None
        await send(message, reply.answer + after, keyboard, html=False)
    elif reminder:  # not found while writing a petition: no offer to send it as one
        await send(message, reply.answer + after, None, html=False)
    elif not any(ch.isalnum() for ch in question):  # "?", "...": nothing to send on as a petition
        await send(message, reply.answer, None, html=False)
    else:
        unanswered = await s.store.log_unanswered(user_id, question[:MAX_QUESTION_CHARS]) if question.strip() else None
        await send(message, reply.answer, render.fallback_keyboard(unanswered), html=False)


async def start(update: Update, context: Context) -> None:
    """/start: greet, say what the assistant does, ask for the user's role."""
    s = context.services
    await s.store.touch_user(update.effective_user.id, update.effective_chat.id)
    await update.effective_message.reply_text(messages.WELCOME, reply_markup=render.role_keyboard())


async def change_role(update: Update, context: Context) -> None:
    """/vaitro: choose the role (and then the locality) again."""
    await start(update, context)


async def show_help(update: Update, context: Context) -> None:
    """/trogiup: how to use the assistant."""
    await update.effective_message.reply_text(messages.HELP)


async def choose_role(update: Update, context: Context) -> None:
    """role:<citizen|official> pressed: remember it, then ask for the locality."""
    query = update.callback_query
    role = query.data.partition(":")[2]
    if role not in ("citizen", "official"):
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return
    await query.answer()
    s = context.services
    await s.store.touch_user(update.effective_user.id, update.effective_chat.id)
    await s.store.set_role(update.effective_user.id, role)
    await query.edit_message_text(messages.ASK_LOCALITY, reply_markup=render.locality_keyboard())


async def choose_locality(update: Update, context: Context) -> None:
    """loc:<code> pressed: remember it and show the main menu."""
    query = update.callback_query
    code = query.data.partition(":")[2]
    if code not in (*places.CHOICES, "all"):
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return
    await query.answer()
    s = context.services
    user = await s.store.touch_user(update.effective_user.id, update.effective_chat.id)
    await s.store.set_locality(user.user_id, None if code == "all" else code)
    role = messages.ROLE_OFFICIAL if user.role == "official" else messages.ROLE_CITIZEN
    place = places.CHOICES.get(code, messages.LOCALITY_ANY)
    await query.edit_message_text(messages.SAVED_CHOICES.format(role=role[2:], locality=place))
    await query.message.reply_text(messages.MAIN_MENU, reply_markup=render.menu_keyboard(user.role == "official"))


async def ask_question(update: Update, context: Context) -> None:
    """Any text in a private chat: the step of a conversation in progress, else a question (edits too)."""
    message = update.effective_message
    taken, reminder = await _continue_conversation(update, context, message.text or "") if update.message \
        else (False, None)
    if taken:
        return
    await answer_text(message, message.text or "", update, context, reminder)


async def _continue_conversation(update: Update, context: Context, text: str) -> tuple[bool, str | None]:
    """Text for a conversation this user has going in this chat (a unit's reply, a petition,
    information added): (taken, None), or (False, a reminder of the step to put under the answer)
    when it is a question asked on the way, or (False, None) when there is no conversation."""
    s = context.services
    private = update.effective_chat.type == ChatType.PRIVATE
    staff = await s.conversations.get(update.effective_user.id, STAFF)
    if staff is not None and staff.chat_id == update.effective_chat.id and \
            unit.answers_prompt(staff, update.effective_message, private):
        await unit.take_reply(update, context, staff)
        return True, None
    conversation = await petition.current_conversation(s, update) if private else None
    if conversation is None or conversation.step == petition.OFFERED:
        return False, None
    reminder = await petition.take_text(update, context, conversation, text)
    return reminder is None, reminder


async def ask_in_group(update: Update, context: Context) -> None:
    """Text in a group: a unit member's reply to the bot's prompt, else answered only when it
    mentions the bot or replies to it."""
    message = update.effective_message
    text = message.text or ""
    mention = f"@{context.bot.username}".lower() if context.bot.username else None
    replied_to_bot = bool(message.reply_to_message and message.reply_to_message.from_user
                          and message.reply_to_message.from_user.id == context.bot.id)
    # A unit member asked for a reply gives it however they naturally do: a reply to the prompt or
    # their next message in the group (when the bot receives it: privacy mode off, or an admin bot).
    if update.message and (await _continue_conversation(update, context, text))[0]:
        return
    if mention and mention in text.lower():
        start_at = text.lower().index(mention)
        text = (text[:start_at] + text[start_at + len(mention):]).strip()
    elif not replied_to_bot:
        return
    await answer_text(message, text, update, context)


# Replies that say a piece could not be answered on its own: the rest of the question may follow.
_PIECE_REPLIES = frozenset({messages.FALLBACK, messages.FALLBACK_EMPTY, messages.OPENER})
PIECE_WORDS = 6  # a message this short that cannot be answered waits a moment for the rest


async def answer_text(message: Message, text: str, update: Update, context: Context,
                      reminder: str | None = None) -> None:
    """A question: a number picks from the last choice; pieces typed in a row are read together.
    ``reminder``: the step of a conversation in progress, said under the answer (one message)."""
    s = context.services
    user_id = update.effective_user.id if update.effective_user else None
    chosen = s.dialogue.pick(user_id, text) if user_id is not None else None
    if chosen is not None:
        s.dialogue.answered(user_id)
        await send_reply(message, s.assistant.answer_intent(chosen), s, user_id, text)
        return
    if user_id is not None and message.chat.type == ChatType.PRIVATE and reminder is None \
            and await petition.about_own_petition(update, context, text):
        return  # "phản ánh của tôi sao rồi", "vẫn còn rác mà, sao lại báo đã giải quyết???"
    user = await s.store.user(user_id) if user_id else None
    locality = user.locality if user else None
    reply = s.assistant.ask(text, locality=locality, previous=s.topic(user_id))
    if reminder is not None:  # a question asked in the middle of a petition: answered at once, with its step
        if about := petition.petition_answer(text, in_petition=True):
            await send(message, f"{about}\n\n{reminder}", html=False)
            return
        await send_reply(message, reply, s, user_id, text, reminder)
        return
    held = s.take_held(user_id) if user_id is not None else None
    if user_id is not None and reply.answer in _PIECE_REPLIES:
        together = s.dialogue.together(user_id, text)
        joined = s.assistant.ask(together, locality=locality, previous=s.topic(user_id)) if together else None
        if joined is not None and joined.kind in ("answer", "clarify"):
            reply, text, held = joined, together, None  # the earlier pieces are answered with this one
    if held is not None:
        await held()  # the piece before was not part of this question: its reply goes first
    if user_id is not None:
        if reply.answer in _PIECE_REPLIES:
            s.dialogue.unanswered(user_id, text)
            if reply.answer == messages.FALLBACK and len(text.split()) <= PIECE_WORDS:
                s.hold(user_id, lambda: send_reply(message, reply, s, user_id, text),
                       lambda coro: context.application.create_task(coro, update=update))
                return
        else:
            s.dialogue.answered(user_id)
        if reply.kind == "clarify":
            s.dialogue.offered(user_id, reply.options)
    if len(text) > MAX_QUESTION_CHARS and reply.kind != "fallback":
        await message.reply_text(messages.LONG_MESSAGE_NOTE)
    await send_reply(message, reply, s, user_id, text)


async def not_text(update: Update, context: Context) -> None:
    """A photo, location, contact or file for a conversation in progress; else, in a private chat,
    say what the assistant can read."""
    if not update.effective_chat or not update.effective_user or not update.message:
        return
    s = context.services
    private = update.effective_chat.type == ChatType.PRIVATE
    staff = await s.conversations.get(update.effective_user.id, STAFF)
    if staff is not None and staff.chat_id == update.effective_chat.id and (update.message.photo or update.message.document) \
            and unit.answers_prompt(staff, update.message, private):
        await unit.take_reply(update, context, staff)  # evidence for the citizen
        return
    if not private:
        return
    conversation = await petition.current_conversation(s, update)
    if conversation is not None and conversation.step != petition.OFFERED:
        await petition.take_media(update, context, conversation)
    elif update.message.photo:
        await petition.offer_petition_with_photo(update, context)
    else:
        await update.effective_message.reply_text(messages.NOT_TEXT)


async def show_menu(update: Update, context: Context) -> None:
    """/menu: the main menu."""
    s = context.services
    official = await _is_official(s, update.effective_user.id)
    await update.effective_message.reply_text(messages.MAIN_MENU, reply_markup=render.menu_keyboard(official))


async def show_topics(update: Update, context: Context) -> None:
    """/chude: the topics as buttons."""
    s = context.services
    await update.effective_message.reply_text(messages.TOPICS, reply_markup=render.topics_keyboard(s.themes))


async def _edit(query, text: str, **kwargs) -> None:
    """Edit the message behind a button; an unchanged message is not an error."""
    try:
        await query.edit_message_text(text, **kwargs)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def _menu_home(query, update: Update, context: Context, official: bool) -> None:
    await _edit(query, messages.MAIN_MENU, reply_markup=render.menu_keyboard(official))


async def _menu_topics(query, update: Update, context: Context, official: bool) -> None:
    await _edit(query, messages.TOPICS, reply_markup=render.topics_keyboard(context.services.themes))


async def _menu_ask(query, update: Update, context: Context, official: bool) -> None:
    await query.message.reply_text(messages.ASK_HINT)


async def _menu_search(query, update: Update, context: Context, official: bool) -> None:
    await query.message.reply_text(messages.SEARCH_PROMPT)


async def _menu_petition(query, update: Update, context: Context, official: bool) -> None:
    await petition.start_petition(update, context)


async def _menu_mine(query, update: Update, context: Context, official: bool) -> None:
    await petition.my_petitions(update, context)


async def _menu_help(query, update: Update, context: Context, official: bool) -> None:
    await _edit(query, messages.HELP, reply_markup=render.menu_keyboard(official))


async def _menu_deadlines(query, update: Update, context: Context, official: bool) -> None:
    chunks = await official_tools.deadlines_messages(context.services, update.effective_user.id)
    await _show_in_place(query, chunks, render.menu_keyboard(official).to_dict())


async def _menu_reminders(query, update: Update, context: Context, official: bool) -> None:
    text, keyboard = await official_tools.reminders_screen(context.services, update.effective_user.id)
    await _edit(query, text, reply_markup=keyboard)


MENU_ITEMS = {"home": _menu_home, "topics": _menu_topics, "ask": _menu_ask, "search": _menu_search,
              "petition": _menu_petition, "mine": _menu_mine, "help": _menu_help, "deadlines": _menu_deadlines,
              "reminders": _menu_reminders}
MENU_PATTERN = rf"^{render.MENU}:({'|'.join(MENU_ITEMS)})$"


async def press_menu(update: Update, context: Context) -> None:
    """m:<item> pressed: navigate the menu (by editing the same message where it can)."""
    query = update.callback_query
    await query.answer()
    official = await _is_official(context.services, update.effective_user.id)
    await MENU_ITEMS[context.match.group(1)](query, update, context, official)


async def press_theme(update: Update, context: Context) -> None:
    """t:<n> pressed: the intents of a theme, in the same message."""
    query = update.callback_query
    s = context.services
    number = query.data.partition(":")[2]
    if not number.isdigit() or int(number) >= len(s.themes):
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return
    await query.answer()
    official = await _is_official(s, update.effective_user.id)
    ids = s.theme_intents(int(number), official)
    await _edit(
        query, messages.THEME_HEADER.format(theme=s.themes[int(number)]),
        reply_markup=render.theme_keyboard(ids, s.assistant),
    )


async def _pressed_intent(update: Update, s: Services) -> str | None:
    """The intent a button names, the press answered; None (and a polite alert) when it names none."""
    query = update.callback_query
    intent_id = query.data.partition(":")[2]
    if intent_id not in s.assistant.intents:
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return None
    await query.answer()
    return intent_id


async def press_answer(update: Update, context: Context) -> None:
    """a:<intent> pressed while browsing: the answer replaces the list, with a way back."""
    query = update.callback_query
    s = context.services
    intent_id = await _pressed_intent(update, s)
    if intent_id is None:
        return
    reply = s.assistant.answer_intent(intent_id)
    s.remember_topic(update.effective_user.id, intent_id)
    await _show_in_place(query, *s.rendered_answer(reply, back_theme=s.theme_of(intent_id)))


async def _show_in_place(query, chunks: list[str], keyboard: dict) -> None:
    """An answer in the message behind a button; what does not fit follows, the buttons under the last part."""
    if len(chunks) == 1:
        await _edit(query, chunks[0], parse_mode=ParseMode.HTML,
                    reply_markup=InlineKeyboardMarkup.de_json(keyboard, query.get_bot()))
        return
    await _edit(query, chunks[0], parse_mode=ParseMode.HTML)
    for chunk in chunks[1:-1]:
        await send(query.message, chunk)
    await send(query.message, chunks[-1], keyboard)


async def press_more(update: Update, context: Context) -> None:
    """more:<token>:<intent> pressed under a long answer's first screen: the message becomes the whole
    answer.  A token no longer kept (after a restart) still shows the intent's answer, without its quote."""
    query = update.callback_query
    s = context.services
    _, _, rest = query.data.partition(":")
    token, _, intent_id = rest.partition(":")
    reply, back_theme = s.page(token) or (None, None)
    if reply is None and intent_id in s.assistant.intents:
        reply, back_theme = s.assistant.answer_intent(intent_id), None
    if reply is None or query.message is None:
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return
    await query.answer()
    await _show_in_place(query, *s.rendered_answer(reply, back_theme=back_theme, paged=False))


async def press_related(update: Update, context: Context) -> None:
    """r:<intent> pressed (related topic or clarifying choice): the answer as a new message."""
    s = context.services
    intent_id = await _pressed_intent(update, s)
    if intent_id is None:
        return
    reply = s.assistant.answer_intent(intent_id)
    await send_reply(update.callback_query.message, reply, s, update.effective_user.id, "")


async def press_vote(update: Update, context: Context) -> None:
    """v:<+|->:<intent> pressed: store the vote, thank the user."""
    query = update.callback_query
    s = context.services
    _, sign, intent_id = (query.data.split(":", 2) + ["", ""])[:3]
    if sign not in ("+", "-") or intent_id not in s.assistant.intents:
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return
    await s.store.vote(update.effective_user.id, intent_id, 1 if sign == "+" else -1)
    asked = s.question_answered(update.effective_user.id, intent_id) if sign == "-" else None
    if asked:  # for admins to read among the unanswered questions, with what it was answered instead
        await s.store.log_unanswered(update.effective_user.id, asked[:MAX_QUESTION_CHARS], answered_intent=intent_id)
    await query.answer(messages.VOTE_THANKS if sign == "+" else messages.VOTE_SORRY)


async def press_feedback(update: Update, context: Context) -> None:
    """fb:<id> pressed under a fallback: start a petition with the user's own unanswered question."""
    query = update.callback_query
    s = context.services
    number = query.data.partition(":")[2]
    found = await s.store.forward_unanswered(int(number), update.effective_user.id) if number.isdigit() else None
    if found is None:
        await query.answer(messages.FEEDBACK_GONE, show_alert=True)
        return
    await query.answer()
    await petition.drop_buttons(query)
    await petition.start_petition(update, context, prefilled=found.question)


async def press_unknown(update: Update, context: Context) -> None:
    """Any other callback data: forged or from an older version of the bot."""
    await update.callback_query.answer(messages.STALE_BUTTON, show_alert=True)
