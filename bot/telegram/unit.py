"""Petitions on Telegram, the unit's side: the buttons on a forwarded petition, a staff member's reply
or reason for rejecting (a conversation of its own, bound to the unit's chat), overdue reminders.

Who may act is decided by the domain (bot/petitions.py), on every press and every reply.
"""

from __future__ import annotations

import logging

from telegram import ForceReply, Message, Update

from bot import messages
from bot.conversations import STAFF, Conversation
from bot.petitions import STATUSES, Actor, Outcome, Result
from bot.telegram.notices import MOVE, UNIT, UNIT_ACTS
from bot.telegram.petition import actor, drop_buttons
from bot.telegram.render import data, keyboard
from bot.telegram.services import Context, Services

log = logging.getLogger(__name__)
UNIT_PATTERN = rf"^{UNIT}:(acc|prog|done|rej|move):(\d{{1,12}})$"
CONFIRM_PATTERN = rf"^{UNIT}:(send|notyet):(\d{{1,12}})$"
MOVE_PATTERN = rf"^{MOVE}:(\d{{1,12}}):(\d{{1,3}})$"
REPLY, REASON = "reply", "reason"  # the staff conversation's steps: resolving, rejecting
REPLY_MAX = 3500


async def refusal_for(result: Result, s: Services, who: Actor) -> str:
    """:func:`refusal`, but a member of a unit that had the petition before it was handed over is
    told where it went (pressing an old card), not that they have no right."""
    petition = result.petition
    if result.outcome is Outcome.NOT_ALLOWED and petition is not None:
        had = await s.petitions.chats_that_had(petition.id)
        if any(who.user_id in unit.staff and unit.chat_id in had for unit in s.settings.units):
            return messages.UNIT_MOVED_ELSEWHERE.format(code=petition.code, unit=s.petitions.unit(petition.unit_id).name)
    return refusal(result)


def refusal(result: Result) -> str:
    """What a unit member is told when an act did not happen."""
    if result.outcome is Outcome.NOT_ALLOWED:
        return messages.UNIT_NOT_ALLOWED
    if result.outcome is Outcome.NOT_NOW and result.petition is not None:
        return messages.UNIT_NOT_NOW.format(status=STATUSES[result.petition.status])
    return messages.STALE_BUTTON


async def press_unit(update: Update, context: Context) -> None:
    """pu:<act>:<id> pressed in a unit's chat: accept and start at once; resolve and reject ask for the text."""
    query = update.callback_query
    s = context.services
    what, petition_id, who = context.match.group(1), int(context.match.group(2)), actor(update)
    if what in ("acc", "prog"):
        result = await s.petitions.act(who, petition_id, UNIT_ACTS[what])
        if not result.done:
            log.info("user %s: %s on petition %s %s", who.user_id, what, petition_id, result.outcome)
            await query.answer(await refusal_for(result, s, who), show_alert=True)
            return
        s.wake_outbox()
        await query.answer()
        await query.message.reply_text(messages.UNIT_UPDATED.format(
            code=result.petition.code, status=STATUSES[result.petition.status], who=who.name))
        return
    result = await s.petitions.may_answer(who, petition_id)
    if not result.done:
        log.info("user %s: %s on petition %s %s", who.user_id, what, petition_id, result.outcome)
        await query.answer(await refusal_for(result, s, who), show_alert=True)
        return
    petition = result.petition
    if what == "move":
        others = [(n, u) for n, u in enumerate(s.settings.units) if u.id != petition.unit_id]
        if not others:
            await query.answer(messages.UNIT_NOWHERE_TO_MOVE, show_alert=True)
            return
        await query.answer()
        rows = [[(u.name[:60], data(MOVE, str(petition.id), str(n)))] for n, u in others]
        await query.message.reply_text(messages.UNIT_CHOOSE.format(code=petition.code), reply_markup=keyboard(*rows))
        return
    await query.answer()
    step = REPLY if what == "done" else REASON
    # Bound to this chat: a question the member asks elsewhere never becomes the reply.  Each prompt
    # is remembered with its petition, so that replying to an older prompt answers that petition.
    pending = await s.conversations.get(who.user_id, STAFF)
    prompts = dict(pending.data.get("prompts", {})) if pending and pending.chat_id == query.message.chat_id else {}
    template = messages.UNIT_ASK_REPLY if step == REPLY else messages.UNIT_ASK_REASON
    # Not selective: the prompt answers the bot's own card, so a selective reply box would open for nobody.
    prompt = await query.message.reply_text(template.format(code=petition.code, who=who.name), reply_markup=ForceReply(
        input_field_placeholder=messages.UNIT_REPLY_PLACEHOLDER))
    prompts[str(prompt.message_id)] = [petition.id, step]
    await s.conversations.save(who.user_id, STAFF, query.message.chat_id, step,
                               {"petition": petition.id, "prompts": prompts, "who": who.name})


def answers_prompt(conversation: Conversation, message: Message, private: bool) -> bool:
    """Whether ``message`` is the reply a staff conversation waits for: a reply to one of its prompts;
    in a group also the member's next message with text (a photo or file needs a caption or a reply)."""
    replied = message.reply_to_message
    if replied is not None and str(replied.message_id) in conversation.data.get("prompts", {}):
        return True
    return not private and bool(message.text or message.caption)


async def press_move(update: Update, context: Context) -> None:
    """pm:<id>:<unit> pressed: hand the petition to another unit."""
    query = update.callback_query
    s = context.services
    petition_id, number = int(context.match.group(1)), int(context.match.group(2))
    units = s.settings.units
    if number >= len(units):
        await query.answer(messages.STALE_BUTTON, show_alert=True)
        return
    result = await s.petitions.reassign(actor(update), petition_id, units[number].id)
    if not result.done:
        await query.answer(refusal(result), show_alert=True)
        return
    s.wake_outbox()
    await query.answer()
    await query.edit_message_text(messages.UNIT_MOVED.format(code=result.petition.code, unit=units[number].name))


async def take_reply(update: Update, context: Context, conversation: Conversation) -> None:
    """The reply (or the reason for rejecting) a unit member sent, with any photo or document as
    evidence: it reaches the citizen in the unit's name and closes the petition.  A reply to the
    prompt is sent at once; a message just typed in the group is confirmed first (it may be talk
    among colleagues), saying which petition it would answer."""
    s = context.services
    message, who = update.effective_message, actor(update)
    if conversation.expired:
        await s.conversations.drop(who.user_id, STAFF)
        await message.reply_text(messages.UNIT_REPLY_EXPIRED)
        return
    prompts = dict(conversation.data.get("prompts", {}))
    replied = message.reply_to_message
    key = str(replied.message_id) if replied is not None and str(replied.message_id) in prompts else None
    petition_id, step = prompts[key] if key else (conversation.data.get("petition"), conversation.step)
    evidence: list[list[str]] = []
    if message.photo:
        evidence = [["photo", message.photo[-1].file_id]]
    elif message.document:
        evidence = [["document", message.document.file_id]]
    text = (message.text or message.caption or "").strip()
    if not text and not evidence:
        await message.reply_text(messages.UNIT_NEED_REPLY)
        return
    answer = {"petition": petition_id, "step": step, "text": text[:REPLY_MAX], "evidence": evidence}
    if key is None:
        # Each message typed gets its own confirmation, its button bound to that message's text.
        petition = await s.petitions.get(int(petition_id or 0))
        pending = dict(conversation.data.get("pending", {}))
        number = str(max(map(int, pending), default=0) + 1)
        pending[number] = answer
        await s.conversations.save(who.user_id, STAFF, conversation.chat_id, conversation.step,
                                   {**conversation.data, "pending": pending})
        await message.reply_text(
            messages.UNIT_CONFIRM_REPLY.format(code=petition.code if petition else "?", text=text[:300]),
            reply_markup=keyboard([(messages.UNIT_CONFIRM_SEND, data(UNIT, "send", number))],
                                  [(messages.UNIT_CONFIRM_NOT, data(UNIT, "notyet", number))]))
        return
    await _send_answer(update, context, conversation, answer)


async def _send_answer(update: Update, context: Context, conversation: Conversation, answer: dict) -> None:
    """The unit's answer reaches the citizen: the petition is resolved or rejected, its prompt done with."""
    s = context.services
    message, who = update.effective_message, actor(update)
    petition_id = answer["petition"]
    prompts = {k: v for k, v in conversation.data.get("prompts", {}).items() if v[0] != petition_id}
    pending = {k: v for k, v in conversation.data.get("pending", {}).items() if v["petition"] != petition_id}
    if prompts:  # other prompts still wait: the latest of them is next
        latest_id, latest_step = list(prompts.values())[-1]
        await s.conversations.save(who.user_id, STAFF, conversation.chat_id, latest_step,
                                   {"petition": latest_id, "prompts": prompts, "who": who.name, "pending": pending})
    else:
        await s.conversations.drop(who.user_id, STAFF)
    act = "resolve" if answer["step"] == REPLY else "reject"
    result = await s.petitions.act(who, int(petition_id or 0), act, answer["text"] or messages.EVIDENCE_ONLY,
                                   tuple(tuple(e) for e in answer["evidence"]))
    if not result.done:
        await message.reply_text(refusal(result))
        return
    s.wake_outbox()
    await message.reply_text(messages.UNIT_UPDATED.format(
        code=result.petition.code, status=STATUSES[result.petition.status], who=who.name))


async def press_confirm(update: Update, context: Context) -> None:
    """pu:<send|notyet>:<id> pressed under a message typed in the group: it is the answer, or it is not."""
    query = update.callback_query
    s = context.services
    what, number, who = context.match.group(1), context.match.group(2), actor(update)
    conversation = await s.conversations.get(who.user_id, STAFF)
    pending = dict(conversation.data.get("pending", {})) if conversation else {}
    if number not in pending:  # someone else's button, or an answer already sent or withdrawn
        await query.answer(messages.UNIT_CONFIRM_GONE, show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    answer = pending.pop(number)
    if what == "notyet":
        await s.conversations.save(who.user_id, STAFF, conversation.chat_id, conversation.step,
                                   {**conversation.data, "pending": pending})
        await query.message.reply_text(messages.UNIT_CONFIRM_KEPT)
        return
    await _send_answer(update, context, conversation, answer)


async def remind_overdue(context: Context) -> None:
    """The overdue job: petitions past their working-day deadline remind their unit daily, the admins once."""
    s = context.services
    if await s.petitions.remind_overdue(s.today()):
        s.wake_outbox()


async def remind_pending_replies(context: Context) -> None:
    """The pending-replies job: a reply asked for and not given within 30 minutes is not dropped
    silently; the unit's chat is told which petition still waits, and by whom."""
    s = context.services
    for conversation in await s.conversations.stale(STAFF):
        for petition_id, _step in conversation.data.get("prompts", {}).values():
            await s.petitions.remind_reply(int(petition_id), conversation.chat_id, conversation.data.get("who", ""))
        await s.conversations.drop(conversation.user_id, STAFF)
    s.wake_outbox()
