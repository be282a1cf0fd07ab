"""How ``danvan run`` serves Telegram, alone or as one of several processes on one database.

- **Polling** (the default): one process polls; another started on the same database stands by
  (a second getUpdates would get 409 from Telegram) and takes over within seconds of the first
  one's death (bot/leadership.py).  On SQLite every mode is one process at a time.
- **Webhook** (``DANVAN_WEBHOOK_URL``): every process behind the load balancer answers Telegram's
  POSTs, secret checked, by storing the update in the inbox (bot/inbox.py) before answering 200,
  and handles what it claims from the inbox: a repeat is handled once, a user's updates in order,
  whichever process received them, and a dead process's updates are handled by the others.
- **Dashboard** (``DANVAN_WEB_LISTEN``): the web pages for admins and units (bot/web/), in the
  process that serves the bot.
- **Health**: ``GET /health`` on the webhook's port (or on ``DANVAN_HEALTH_LISTEN``) says whether
  the database and Telegram answer, as JSON, 200 or 503.

A stop (SIGTERM, Ctrl-C) finishes what is being handled and closes the database.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
import time
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.assistant import Assistant
from bot.config import Settings
from bot.conversations import HANDLING
from bot.deadlines import Deadline
from bot.inbox import RENEW, Inbox, Received
from bot.leadership import leader_for
from bot.telegram import petition
from bot.telegram.app import build_application
from bot.telegram.services import Services

log = logging.getLogger(__name__)

STAND_BY_RETRY = 2.0  # seconds between a stand-by's tries to take the lead
INBOX_IDLE = 0.5  # seconds between looks at the inbox when nothing wakes it (updates other processes took in)
TELEGRAM_CHECK_KEPT = 30.0  # seconds a health check's getMe answer is reused (Telegram is not asked at every probe)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/telegram"


def run(settings: Settings, assistant: Assistant, deadlines: list[Deadline]) -> None:
    if not asyncio.run(serve(settings, assistant, deadlines)):
        raise SystemExit(1)  # the lead was lost: a supervisor starts the process again, as a stand-by


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    return stop


async def _stopped_within(stop: asyncio.Event, seconds: float) -> bool:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        return False
    return True


def user_key(update: dict[str, Any]) -> int:
    """Whose updates must keep their order: the sender's, else the chat's (0 when neither)."""
    for value in update.values():
        if isinstance(value, dict):
            for holder in (value.get("from"), value.get("user"), value.get("chat"),
                           (value.get("message") or {}).get("chat")):
                if isinstance(holder, dict) and isinstance(holder.get("id"), int):
                    return holder["id"]
    return 0


class Server:
    """One process of the bot: the application, its inbox worker and its web endpoints."""

    def __init__(self, application: Application, settings: Settings) -> None:
        self.application = application
        self.settings = settings
        self.services: Services = application.bot_data.services
        self.inbox = Inbox(self.services.store)
        self.wake = asyncio.Event()
        self.handling: dict[asyncio.Task, int] = {}  # task -> the update it handles
        self._telegram_checked: tuple[float, bool] = (0.0, False)
        self.runner: web.AppRunner | None = None
        self.dashboard: web.AppRunner | None = None
        self.mode = "webhook" if settings.webhook_url else "polling"

    # web -----------------------------------------------------------------------------------

    async def start_web(self, host: str, port: int, webhook: bool) -> None:
        app = web.Application(client_max_size=1 << 20)
        app.router.add_get("/health", self.health)
        if webhook:
            app.router.add_post(WEBHOOK_PATH, self.receive)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, host, port).start()

    async def start_dashboard(self, listen: str) -> None:
        """The web dashboard (bot/web/), on this process's event loop; photos fetched from Telegram."""
        from bot.web.app import Dashboard

        async def fetch_file(file_id: str) -> bytes:
            found = await self.application.bot.get_file(file_id)
            return bytes(await found.download_as_bytearray())

        secure = (self.settings.web_url or "").startswith("https://")
        app = Dashboard(self.services, fetch_file, secure=secure).app()
        self.dashboard = web.AppRunner(app, access_log=None)  # (the logs never carry who asked for what)
        await self.dashboard.setup()
        host, _, port = listen.rpartition(":")
        await web.TCPSite(self.dashboard, host or "0.0.0.0", int(port)).start()
        log.info("%s: web dashboard on %s (%s)", self.settings.process_name, listen, self.settings.web_url)

    async def receive(self, request: web.Request) -> web.Response:
        """Telegram's POST: on disk in the inbox before 200 (else Telegram delivers it again)."""
        secret = self.settings.webhook_secret or ""
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), secret.encode()):
            return web.Response(status=403)
        body = await request.text()
        try:
            update = json.loads(body)
            update_id = int(update["update_id"])
        except (ValueError, KeyError, TypeError):
            return web.Response(status=400)
        try:
            if await self.inbox.receive(update_id, user_key(update), body):
                self.wake.set()
        except Exception:  # the database is unreachable: Telegram keeps the update and tries again
            log.exception("update %s could not be stored", update_id)
            return web.Response(status=503)
        return web.Response(status=200)

    async def health(self, request: web.Request) -> web.Response:
        database = await self._database_answers()
        telegram = await self._telegram_answers()
        body = {"process": self.settings.process_name, "mode": self.mode, "database": database,
                "telegram": telegram, "handling": len(self.handling)}
        return web.json_response(body, status=200 if database and telegram else 503)

    async def _database_answers(self) -> bool:
        try:
            return await asyncio.wait_for(self.services.store.db.fetchval("SELECT 1"), timeout=3) == 1
        except Exception:
            return False

    async def _telegram_answers(self) -> bool:
        checked_at, answered = self._telegram_checked
        if time.monotonic() - checked_at < TELEGRAM_CHECK_KEPT:
            return answered
        try:
            await asyncio.wait_for(self.application.bot.get_me(), timeout=5)
            answered = True
        except (TelegramError, TimeoutError):
            answered = False
        self._telegram_checked = (time.monotonic(), answered)
        return answered

    # the inbox -----------------------------------------------------------------------------

    async def inbox_loop(self) -> None:
        """Claim and handle updates, up to the configured number of users at once."""
        room = self.settings.concurrent_updates
        while True:
            try:
                free = room - len(self.handling)
                claimed = await self.inbox.claim(free) if free > 0 else []
            except Exception as exc:
                await self.application.process_error(None, exc)
                claimed = []
            for received in claimed:
                task = asyncio.create_task(self._handle(received))
                self.handling[task] = received.update_id
                task.add_done_callback(lambda done: self.handling.pop(done, None))
            if claimed and len(claimed) == free:
                continue
            self.wake.clear()
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=INBOX_IDLE)
            except TimeoutError:
                pass

    async def _handle(self, received: Received) -> None:
        stopped = False
        try:
            if received.attempts > 1 and await self.services.conversations.took(user_key(received.body),
                                                                                received.update_id):
                # Its process died after the step was taken (and its prompt most likely sent): taking
                # it again would move the conversation twice.
                log.info("update %s was taken before its process stopped; not handled again", received.update_id)
                await petition.repeat_step(Update.de_json(received.body, self.application.bot), self.services)
                return
            HANDLING.set(received.update_id)
            update = Update.de_json(received.body, self.application.bot)
            await self.application.process_update(update)  # handlers' errors go to the error handler
        except asyncio.CancelledError:
            stopped = True  # stopped midway: left to its lease, for another process or the next start
            raise
        except Exception as exc:
            log.exception("update %s could not be handled", received.update_id)
            await self.application.process_error(None, exc)
        finally:
            try:
                if not stopped:
                    await self.inbox.done(received.update_id)
            finally:
                self.wake.set()  # the user's next update may be claimed now

    async def renew_loop(self) -> None:
        """While updates are being handled here, their claims are renewed (a dead process's lapse)."""
        while True:
            await asyncio.sleep(RENEW)
            try:
                await self.inbox.renew(list(self.handling.values()))
            except Exception as exc:
                await self.application.process_error(None, exc)

    async def finish_handling(self) -> None:
        """A stop lets what is being handled finish for a while, then stops it (before the database closes)."""
        if self.handling:
            _, unfinished = await asyncio.wait(list(self.handling), timeout=10)
            for task in unfinished:
                task.cancel()
            await asyncio.gather(*unfinished, return_exceptions=True)


async def serve(settings: Settings, assistant: Assistant, deadlines: list[Deadline],
                stop: asyncio.Event | None = None) -> bool:
    """Serve until stopped (True), or until the lead is lost (False)."""
    stop = stop or _stop_on_signals()
    shared = str(settings.store_target).startswith(("postgresql://", "postgres://"))
    primary = leader_for(settings.store_target, "polling") if not (settings.webhook_url and shared) else None
    if primary is not None:
        said = False
        while not await primary.try_acquire():
            if not said:
                log.info("%s: another process serves this bot; standing by to take over", settings.process_name)
                said = True
            if await _stopped_within(stop, STAND_BY_RETRY):
                return True
        log.info("%s: serving the bot (%s)", settings.process_name, "webhook" if settings.webhook_url else "polling")
    application = build_application(settings, assistant, deadlines)
    server = Server(application, settings)
    workers: list[asyncio.Task] = []
    kept_lead = True
    await application.initialize()
    try:
        await application.post_init(application)
        if settings.web_listen:
            await server.start_dashboard(settings.web_listen)
        if settings.webhook_url:
            await server.start_web(settings.webhook_listen, settings.webhook_port, webhook=True)
            await application.bot.set_webhook(settings.webhook_url, secret_token=settings.webhook_secret,
                                              allowed_updates=Update.ALL_TYPES, drop_pending_updates=False,
                                              max_connections=40)
            workers = [asyncio.create_task(server.inbox_loop()), asyncio.create_task(server.renew_loop())]
        else:
            if settings.health_listen:
                host, _, port = settings.health_listen.rpartition(":")
                await server.start_web(host or "0.0.0.0", int(port), webhook=False)
            await application.updater.start_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
        await application.start()
        while not await _stopped_within(stop, STAND_BY_RETRY):
            if primary is not None and not await primary.still_held():
                log.error("%s: lost the lead (the database connection failed); stopping", settings.process_name)
                kept_lead = False
                break
    finally:
        for worker in workers:
            worker.cancel()
        await server.finish_handling()
        for runner in (server.runner, server.dashboard):
            if runner is not None:
                await runner.cleanup()
        if application.updater and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
        if primary is not None:
            await primary.release()
    return kept_lead
