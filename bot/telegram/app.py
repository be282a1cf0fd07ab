"""The python-telegram-bot Application: every handler wired here, in reading order."""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Awaitable, Callable

from telegram import BotCommand, Update
from telegram.constants import ChatType
from telegram.warnings import PTBUserWarning
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import messages
from bot.assistant import Assistant
from bot.config import Settings
from bot.deadlines import Deadline
from bot.inbox import Inbox
from bot.outbox import TELEGRAM, Pace
from bot.store import Store
from bot.telegram import admin, citizen, dashboard, official, outbox, petition, render, unit
from bot.telegram.pacing import SharedPace
from bot.telegram.request import AiohttpRequest
from bot.telegram.services import BotData, Context, Services

log = logging.getLogger(__name__)
# citizen.send() and the outbox call do_api_request on purpose (raw payloads, no parse of the
# sent message back); PTB would warn on every call.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.\w+' instead of 'Bot\.do_api_request", category=PTBUserWarning)


MAX_FLOOD_WAIT = 10.0  # seconds a message over a user's rate may wait its turn
TAP_COST = 0.25  # of a message's share of the flood gate: four taps weigh one message
FIRST_ROUND = 2.0  # seconds after start-up before the first reminders and overdue checks


class FloodGate:
    """A token bucket per user: a burst, then a steady rate.  A message over the rate waits its turn
    (up to MAX_FLOOD_WAIT seconds: a user who types fast is answered, a little later); past that, a
    flood is told once that what it sends now is not read, and its messages are let go."""

    def __init__(self, burst: int, per_second: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.burst, self.rate, self.clock = burst, per_second, clock
        self.buckets: dict[int, tuple[float, float, bool]] = {}  # user -> (tokens, last time, told)

    def allow(self, user_id: int, cost: float = 1.0) -> tuple[float | None, bool]:
        """(seconds to wait before handling the update, or None to let it go; whether to tell the user now).
        A tap on a button costs less than a message (``cost``): browsing taps come quickly."""
        now = self.clock()
        tokens, last, told = self.buckets.get(user_id, (float(self.burst), now, False))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        wait = max(0.0, (cost - tokens) / self.rate)
        if wait <= MAX_FLOOD_WAIT:
            # a token reserved, maybe ahead of time; told stays true while the user is waiting
            self.buckets[user_id] = (tokens - cost, now, wait > 0)
            return wait, wait > 0 and not told
        self.buckets[user_id] = (tokens, now, True)
        return None, not told


class PerUserOrder(BaseUpdateProcessor):
    """Different users' updates are handled concurrently; one user's strictly in order.

    While one reply waits on Telegram, another user's question is matched; a
    user's own messages (a conversation) never overtake each other.
    """

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def process_update(self, update: object, coroutine) -> None:  # type: ignore[override]
        key = _order_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:  # the user's turn first, then a slot: a flood holds one slot at most
                await super().process_update(update, coroutine)
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key], self._locks[key]

    async def do_process_update(self, update: object, coroutine) -> None:  # type: ignore[override]
        await coroutine

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def _order_key(update: object) -> int:
    if isinstance(update, Update):
        if update.effective_user:
            return update.effective_user.id
        if update.effective_chat:
            return update.effective_chat.id
    return 0


async def slow_down_floods(update: Update, context: Context) -> None:
    """Runs before every handler: a user sending too fast is slowed politely, others are not."""
    gate: FloodGate = context.bot_data.flood
    user = update.effective_user
    if user is None:
        return
    wait, tell = gate.allow(user.id, TAP_COST if update.callback_query else 1.0)
    private = update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE
    if tell and private:
        await context.bot.send_message(update.effective_chat.id, messages.TOO_FAST if wait else messages.TOO_MANY)
    if wait is not None:
        if wait:  # this user's turn only (PerUserOrder): the others are not held up beyond one slot
            await asyncio.sleep(wait)
        return
    if update.callback_query:  # said plainly on the button itself: this tap was not taken
        await update.callback_query.answer(messages.TAP_NOT_TAKEN)
    raise ApplicationHandlerStop


async def report_error(update: object, context: Context) -> None:
    """Log the problem with its traceback, apologise to the user, tell the admins."""
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat:
        try:
            await context.bot.send_message(update.effective_chat.id, messages.ERROR_APOLOGY)
        except Exception:
            log.warning("could not apologise to chat %s", update.effective_chat.id, exc_info=True)
    s = context.services
    update_id = update.update_id if isinstance(update, Update) else "?"
    text = messages.ADMIN_ERROR.format(update=update_id, error=type(context.error).__name__)
    for admin_id in s.settings.admins:
        try:
            await context.bot.send_message(admin_id, text)
        except Exception:
            log.warning("could not tell admin %s about an error", admin_id, exc_info=True)


async def open_resources(application: Application) -> None:
    """post_init: open the database, register the command menu, start the outbox and the daily rounds."""
    s: Services = application.bot_data.services
    await s.open()
    await application.bot.set_my_commands([BotCommand(c, d) for c, d in messages.COMMANDS.items()])
    # Reminders and overdue petitions: PTB jobs, whose errors reach report_error.  The first round
    # a moment after start-up: a job due before the scheduler starts would wait a whole interval.
    # PTB's job queue is per process: of several processes on one database, the one that holds the
    # "jobs" lead runs them (another takes over when it dies).
    for callback, name, interval in (
            (official.send_reminders, "reminders", s.reminder_interval),
            (unit.remind_overdue, "overdue", s.reminder_interval),
            (unit.remind_pending_replies, "pending replies", s.pending_interval),
            (forget_old_updates, "inbox", s.reminder_interval)):
        application.job_queue.run_repeating(once_in_all(callback), interval=interval, first=FIRST_ROUND, name=name)
    # The outbox runs on its own, woken the moment a petition is queued (a job would wait for its turn).
    application.bot_data.outbox_task = asyncio.create_task(outbox.outbox_loop(application))
    if not s.settings.units and not s.settings.admins:
        log.warning("no units and no admins configured (DANVAN_CONFIG): petitions are stored but wait undelivered")


def once_in_all(callback: Callable[[Context], Awaitable[None]]) -> Callable[[Context], Awaitable[None]]:
    """A job that runs only in the process holding the "jobs" lead (bot/leadership.py)."""
    async def job(context: Context) -> None:
        if await context.services.jobs_leader.try_acquire():
            await callback(context)

    job.__name__ = job.__qualname__ = callback.__name__
    return job


async def forget_old_updates(context: Context) -> None:
    """Webhook updates handled a day ago are forgotten (kept that long to recognise a late repeat)."""
    await Inbox(context.services.store).forget_old()


async def close_resources(application: Application) -> None:
    """post_shutdown: stop the outbox, close the database (the job queue is stopped by PTB before)."""
    task = getattr(application.bot_data, "outbox_task", None)
    if task is not None:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
    await application.bot_data.services.close()


def build_application(
    settings: Settings, assistant: Assistant, deadlines: list[Deadline], pace: Pace = TELEGRAM,
    **service_options: object
) -> Application:
    """The bot, every handler wired; ``pace`` is Telegram's limits (a test against a fake without
    limits may lift them)."""
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .context_types(ContextTypes(context=Context, bot_data=BotData))
        .post_init(open_resources)
        .post_shutdown(close_resources)
        .concurrent_updates(PerUserOrder(settings.concurrent_updates))
        # a connection per update in flight, and spare for the outbox and reminders;
        # aiohttp, not httpx (see bot/telegram/request.py)
        .request(AiohttpRequest(connection_pool_size=settings.concurrent_updates + 4))
        .get_updates_request(AiohttpRequest(connection_pool_size=1, read_timeout=30))
        # every message within Telegram's limits, in all processes together (bot/telegram/pacing.py)
        .rate_limiter(SharedPace(lambda: services.outbox if services.store.is_open else None, pace))
    )
    if settings.base_url:
        builder = builder.base_url(settings.base_url).base_file_url(settings.base_file_url)
    services = Services(settings=settings, assistant=assistant, deadlines={d.id: d for d in deadlines},
                        store=Store(settings.store_target), pace=pace, **service_options)
    application = builder.build()
    application.bot_data.services = services
    application.bot_data.flood = FloodGate(settings.flood_burst, settings.flood_per_second)
    add_handlers(application)
    return application


def add_handlers(application: Application) -> None:
    # Group -1 runs first for every update: flooding users are stopped here.
    application.add_handler(TypeHandler(Update, slow_down_floods), group=-1)

    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("start", citizen.start))
    application.add_handler(CommandHandler("vaitro", citizen.change_role))
    application.add_handler(CommandHandler(["trogiup", "help"], citizen.show_help))
    application.add_handler(CommandHandler("menu", citizen.show_menu))
    application.add_handler(CommandHandler("chude", citizen.show_topics))
    application.add_handler(CommandHandler("tracuu", official.search_documents))
    application.add_handler(CommandHandler("thoihan", official.show_deadlines))
    application.add_handler(CommandHandler("nhacviec", official.manage_reminders))
    application.add_handler(CommandHandler("phananh", petition.start_petition))
    application.add_handler(CommandHandler("huy", petition.cancel))
    application.add_handler(CommandHandler("phananhcuatoi", petition.my_petitions))
    application.add_handler(CommandHandler("trangthai", petition.petition_status))
    # Admins (each command checks the sender against the configuration).
    application.add_handler(CommandHandler("ds", admin.list_petitions))
    application.add_handler(CommandHandler("xem", admin.view_petition))
    application.add_handler(CommandHandler("chuyen", admin.reassign))
    application.add_handler(CommandHandler("traloi", admin.reply))
    application.add_handler(CommandHandler("dong", admin.close))
    application.add_handler(CommandHandler("taplai", admin.reload_knowledge))
    # Admins and units' staff: a one-time link to the web dashboard (checked there too, at every request).
    application.add_handler(CommandHandler("web", dashboard.send_web_link))

    application.add_handler(CallbackQueryHandler(citizen.choose_role, pattern=rf"^{render.ROLE}:"))
    application.add_handler(CallbackQueryHandler(citizen.choose_locality, pattern=rf"^{render.PLACE}:"))
    application.add_handler(CallbackQueryHandler(citizen.press_menu, pattern=citizen.MENU_PATTERN))
    application.add_handler(CallbackQueryHandler(citizen.press_theme, pattern=rf"^{render.THEME}:"))
    application.add_handler(CallbackQueryHandler(citizen.press_answer, pattern=rf"^{render.ANSWER}:"))
    application.add_handler(CallbackQueryHandler(citizen.press_related, pattern=rf"^{render.RELATED}:"))
    application.add_handler(CallbackQueryHandler(citizen.press_more, pattern=rf"^{render.MORE}:"))
    application.add_handler(CallbackQueryHandler(citizen.press_vote, pattern=rf"^{render.VOTE}:"))
    application.add_handler(CallbackQueryHandler(citizen.press_feedback, pattern=rf"^{render.FEEDBACK}:"))
    application.add_handler(CallbackQueryHandler(official.press_reminder, pattern=rf"^{render.REMIND}:"))
    # Petitions: the patterns take the whole data, so malformed data never reaches these handlers.
    application.add_handler(CallbackQueryHandler(petition.press_flow, pattern=petition.FLOW_PATTERN))
    application.add_handler(CallbackQueryHandler(petition.press_follow, pattern=petition.FOLLOW_PATTERN))
    application.add_handler(CallbackQueryHandler(unit.press_unit, pattern=unit.UNIT_PATTERN))
    application.add_handler(CallbackQueryHandler(unit.press_confirm, pattern=unit.CONFIRM_PATTERN))
    application.add_handler(CallbackQueryHandler(unit.press_move, pattern=unit.MOVE_PATTERN))
    application.add_handler(CallbackQueryHandler(admin.press_page, pattern=admin.PAGE_PATTERN))
    # Anything else pressed is forged or stale: answered politely, last.
    application.add_handler(CallbackQueryHandler(citizen.press_unknown))

    # Text: in a private chat it feeds a petition being written, else it is a question (edits too);
    # in groups only mentions and replies count (a unit member's reply to the bot among them).
    application.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, citizen.ask_question))
    application.add_handler(MessageHandler(filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND, citizen.ask_in_group))
    # Unknown commands in private chats are read as questions too ("/5khong" is still a question).
    application.add_handler(MessageHandler(private & filters.COMMAND, citizen.ask_question))
    application.add_handler(MessageHandler(~filters.TEXT & ~filters.COMMAND, citizen.not_text))

    application.add_error_handler(report_error)


def run(settings: Settings, assistant: Assistant, deadlines: list[Deadline]) -> None:
    """Long polling by default; a webhook when DANVAN_WEBHOOK_URL is set (bot/telegram/serve.py)."""
    from bot.telegram.serve import run as serve

    serve(settings, assistant, deadlines)
