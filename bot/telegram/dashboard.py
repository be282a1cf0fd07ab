"""/web: a one-time link to the web dashboard (bot/web/), for admins and units' staff, in a private chat."""

from __future__ import annotations

import logging

from telegram import LinkPreviewOptions, Update
from telegram.constants import ChatType

from bot import messages
from bot.telegram.services import Context
from bot.web.app import may_use
from bot.web.auth import Auth

log = logging.getLogger(__name__)


async def send_web_link(update: Update, context: Context) -> None:
    """/web: staff get a link good once, for 10 minutes; anyone else a polite refusal."""
    s = context.services
    message, user = update.effective_message, update.effective_user
    if user is None or not may_use(s, user.id):
        log.info("web link refused for user %s", user.id if user else None)
        await message.reply_text(messages.WEB_NOT_STAFF)
        return
    if not s.settings.web_url:
        await message.reply_text(messages.WEB_OFF)
        return
    if update.effective_chat.type != ChatType.PRIVATE:  # a link in a group could be opened by anyone there
        await message.reply_text(messages.WEB_PRIVATE_ONLY)
        return
    token = await Auth(s.store).new_link(user.id)
    # no preview: Telegram's preview fetch must not be what opens the page (it only shows the sign-in button anyway)
    await message.reply_text(messages.WEB_LINK.format(url=f"{s.settings.web_url}/login/{token}"),
                             link_preview_options=LinkPreviewOptions(is_disabled=True))
