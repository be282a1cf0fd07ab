"""Petitions as Telegram messages: a unit's copy with its buttons, the citizen's news, the admins' alerts.

The outbox stores events (bot/outbox.py); they become Bot API calls here, when they are sent.
Texts are plain (no parse mode): petitions carry whatever citizens type.
"""

from __future__ import annotations

from typing import Any

from bot import messages
from bot.outbox import Notice
from bot.petitions import ADMINS_UNIT, CATEGORIES, STATUSES, TRANSITIONS, Petition, Petitions
from bot.telegram.render import clip, data, keyboard
from bot.workdays import date_vn, day_in_vietnam

# Callback data of the buttons on petitions.
UNIT = "pu"  # pu:<acc|prog|done|rej|move>:<petition id>
MOVE = "pm"  # pm:<petition id>:<unit number>
FOLLOW = "pc"  # pc:<add|rate|del>:<petition id>[:<+|->]
UNIT_ACTS = {"acc": "accept", "prog": "start", "done": "resolve", "rej": "reject"}

Call = tuple[str, dict[str, Any]]  # (Bot API method, parameters)


def unit_text(petition: Petition, petitions: Petitions, chat_id: int | None = None) -> str:
    """A petition as its unit reads it (personal data included: the unit handles it), with its
    present status; in the chat of a unit it has been moved away from (``chat_id``), saying where to."""
    area = messages.UNIT_AREA.format(area=petition.area) if petition.area else ""
    place = petition.place or (messages.LOCATION.format(lat=petition.latitude, lon=petition.longitude)
                               if petition.latitude is not None else messages.NONE)
    contact = messages.CONTACT_DELETED if petition.personal_deleted else messages.ANONYMOUS_LABEL \
        if not petition.contact_phone else f"{petition.contact_name or ''} {petition.contact_phone}".strip()
    # in a unit's chat a petition received or handed over has arrived: "forwarded" to them
    shown = "forwarded" if petition.status in ("received", "redirected") else petition.status
    title = messages.UNIT_TITLE_NEW if shown == "forwarded" else messages.UNIT_TITLE
    text = messages.UNIT_NEW.format(
        title=title, code=petition.code, category=CATEGORIES.get(petition.category, petition.category), area=area,
        description=petition.description, place=place, contact=contact,
        date=date_vn(day_in_vietnam(petition.created_at)), due=_due(petition), status=STATUSES[shown],
    )
    if petition.complaint:
        text += "\n" + messages.UNIT_COMPLAINT
    unit = petitions.unit(petition.unit_id)
    if chat_id is not None and chat_id not in petitions.unit_chats(unit):
        text += "\n" + messages.UNIT_CARD_MOVED.format(unit=unit.name)
    elif petition.status == "redirected":
        text += "\n" + messages.UNIT_REDIRECTED.format(unit=unit.name)
    if petition.personal_deleted:
        text += "\n" + messages.UNIT_PERSONAL_DELETED
    return text


def unit_keyboard(petition: Petition) -> dict[str, Any]:
    """The buttons for what may still be done with the petition in its present status (none once closed)."""
    pid, possible = str(petition.id), TRANSITIONS[petition.status]
    buttons = [(label, data(UNIT, short, pid)) for label, short, status in (
        (messages.UNIT_ACCEPT, "acc", "accepted"), (messages.UNIT_PROGRESS, "prog", "in_progress"),
        (messages.UNIT_RESOLVE, "done", "resolved"), (messages.UNIT_REJECT, "rej", "rejected"),
        (messages.UNIT_MOVE, "move", "redirected")) if status in possible]
    return keyboard(*[buttons[i:i + 2] for i in range(0, len(buttons), 2)]).to_dict()


def _card(petition: Petition, petitions: Petitions, chat_id: int) -> dict[str, Any]:
    """The text and buttons of a unit's copy of the petition, as of now."""
    moved_away = chat_id not in petitions.unit_chats(petitions.unit(petition.unit_id))
    return {"text": clip(unit_text(petition, petitions, chat_id)),
            "reply_markup": keyboard().to_dict() if moved_away else unit_keyboard(petition)}


def rating_keyboard(petition_id: int) -> dict[str, Any]:
    return keyboard([(messages.RATE_YES, data(FOLLOW, "rate", str(petition_id), "+")),
                     (messages.RATE_NO, data(FOLLOW, "rate", str(petition_id), "-"))]).to_dict()


def _due(petition: Petition) -> str:
    return date_vn(petition.due_on) if petition.due_on else messages.NONE


def _text(notice: Notice, petition: Petition | None, petitions: Petitions) -> tuple[str, dict[str, Any]] | None:
    """The text of a notice that is one message, and any extra parameters (buttons); None when there
    is no longer anything to say."""
    detail, code = notice.detail, petition.code if petition else "?"
    match notice.event:
        case "petition" if petition is not None:
            card = _card(petition, petitions, notice.chat_id)
            return card["text"], {"reply_markup": card["reply_markup"]}
        case "reopened" if notice.audience == "admin":
            return messages.ADMIN_REOPENED.format(code=code, unit=petitions.unit(detail.get("unit_id")).name), {}
        case "reopened":
            return messages.UNIT_REOPENED.format(code=code), {}
        case "reply_pending" if petition is not None and not petition.closed:
            buttons = keyboard([(messages.UNIT_RESOLVE, data(UNIT, "done", str(petition.id))),
                                (messages.UNIT_REJECT, data(UNIT, "rej", str(petition.id)))]).to_dict()
            return messages.UNIT_REPLY_PENDING.format(code=code, who=detail.get("who") or messages.ACTOR_SOMEONE), {
                "reply_markup": buttons}
        case "reply_pending":  # answered meanwhile (by someone else): nothing to say
            return None
        case "desk_act":
            said = f"\n{detail['text']}" if detail.get("text") else ""
            return messages.UNIT_DESK_ACT.format(code=code, status=STATUSES[detail["status"]], text=said), {}
        case "desk_said":
            return messages.UNIT_DESK_SAID.format(code=code, text=detail["text"]), {}
        case "moved_away":
            return messages.UNIT_MOVED_AWAY.format(code=code, unit=petitions.unit(detail["unit_id"]).name), {}
        case "info":
            return messages.UNIT_INFO.format(code=code, text=detail["text"]), {}
        case "overdue" if petition is not None:
            return messages.UNIT_OVERDUE.format(code=code, due=_due(petition)), {}
        case "status" if petition is not None and petition.unit_id == ADMINS_UNIT.id \
                and detail["status"] in messages.DESK_STATUSES:  # no unit has it: said as the admins' desk
            return messages.CITIZEN_STATUS.format(code=code, status=messages.DESK_STATUSES[detail["status"]]), {}
        case "status":
            return messages.CITIZEN_STATUS.format(code=code, status=STATUSES[detail["status"]]), {}
        case "answer":
            signed = detail.get("unit_id")
            unit = messages.ADMIN_DESK if signed == ADMINS_UNIT.id else petitions.unit(signed).name
            template = messages.CITIZEN_REJECTED if detail.get("status") == "rejected" else messages.CITIZEN_REPLY
            return template.format(unit=unit, code=code, text=detail["text"]), {}
        case "rate" if petition is not None:
            return messages.RATE_ASK, {"reply_markup": rating_keyboard(petition.id)}
        case "moved":
            return messages.CITIZEN_MOVED.format(code=code, unit=petitions.unit(detail["unit_id"]).name), {}
        case "escalated" if petition is not None:
            return messages.ADMIN_OVERDUE.format(code=code, due=_due(petition),
                                                 unit=petitions.unit(detail.get("unit_id")).name), {}
        case "undelivered":
            return messages.ADMIN_DEAD.format(code=code, chat=detail["chat"], attempts=detail["attempts"],
                                              error=detail["error"]), {}
        case "unredacted":
            return messages.ADMIN_REDACT_FAILED.format(code=code, chat=detail["chat"], error=detail["error"]), {}
    raise ValueError(f"no message for event {notice.event!r} of petition {notice.petition_id}")


def render(notice: Notice, petition: Petition | None, petitions: Petitions) -> Call | None:
    """The Bot API call a notice is, as of now (a petition's copy shows its present state; None when
    nothing is left to send).  A notice sent again after a crash says so, so that a unit can
    recognise the repeat."""
    resent = messages.RESENT_NOTE + "\n" if notice.resend else ""
    target = {"chat_id": notice.chat_id}
    match notice.event:
        case "raw" | "raw_media":  # queued before the outbox held events: its call as it was rendered then
            return notice.detail["method"], {**notice.detail["params"], **target}
        case "photo":
            caption = resent + messages.UNIT_PHOTO.format(code=petition.code if petition else "?")
            return "sendPhoto", {**target, "photo": notice.detail["file_id"], "caption": caption}
        case "location" if petition is not None and petition.latitude is not None:
            return "sendLocation", {**target, "latitude": petition.latitude, "longitude": petition.longitude}
        case "location":  # the citizen deleted it meanwhile
            return None
        case "evidence":
            kind = notice.detail["kind"]
            caption = {"caption": messages.RESENT_NOTE} if notice.resend else {}
            # (a file uploaded on the dashboard: its bytes, or its file id once sent, are put in by the outbox)
            return f"send{kind.title()}", {**target, kind: notice.detail.get("file_id"), **caption}
        case "card" if petition is not None:
            return "editMessageText", {**target, "message_id": notice.detail["message_id"],
                                       **_card(petition, petitions, notice.chat_id)}
        case "redact" if notice.detail.get("edit") and petition is not None:
            return "editMessageText", {**target, "message_id": notice.detail["message_id"],
                                       "text": clip(unit_text(petition, petitions))}
        case "redact":
            return "deleteMessage", {**target, "message_id": notice.detail["message_id"]}
    rendered = _text(notice, petition, petitions)
    if rendered is None:
        return None
    text, extra = rendered
    return "sendMessage", {**target, "text": clip(resent + text), **extra}
