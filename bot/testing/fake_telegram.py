"""A fake Telegram Bot API server on 127.0.0.1, for end-to-end tests and benchmarks.

The real bot (a python-telegram-bot ``Application`` with ``base_url`` pointed
here) talks HTTP to it exactly as to Telegram.  The tests push updates (a user's
message, a button press...), and read what the bot sent: every call is recorded.
It is as strict as Telegram where our bot could go wrong: text over 4096 UTF-16
units, invalid HTML with ``parse_mode=HTML``, callback data over 64 bytes,
captions over 1024 units are refused with Telegram's error.  Failures can be
scripted per method (429 with retry_after, 5xx, "bot was blocked by the user").

Three more of Telegram's behaviours, each off unless a test asks for it:

* ``FakeTelegram(webhooks=True)``: ``setWebhook`` (url, secret_token, max_connections, allowed_updates,
  drop_pending_updates), ``deleteWebhook`` and ``getWebhookInfo`` work as on Telegram.  While a webhook
  is set, ``getUpdates`` answers 409, and pushed updates are POSTed as JSON to the webhook's URL (http
  is accepted as well as https, so a test needs no TLS), with ``X-Telegram-Bot-Api-Secret-Token`` when a
  secret was set, from background threads: ``max_connections`` POSTs at once (1 when not given, so one
  at a time and in order, where Telegram's default is 40).  An update answered with a non-2xx status, a connection
  error or no answer within ``webhook_timeout`` seconds is delivered again after ``webhook_backoff``
  seconds, doubling up to ``webhook_backoff_max`` (or after the answer's ``Retry-After``), until a 2xx
  comes: updates are not lost.  Every attempt is kept in ``deliveries``.  ``webhook_targets`` imitates a
  load balancer in front of several bot processes: with ``fake.webhook_targets = ["http://127.0.0.1:8001",
  "http://127.0.0.1:8002"]`` each attempt goes to the next target in turn (to a random one when
  ``webhook_seed`` is set), with the scheme and host:port of the target and the path and query of
  setWebhook's url.
* ``FakeTelegram(strict_polling=True)``: a long poll (getUpdates with a timeout, nothing pending)
  ends the one still waiting with Telegram's 409 "terminated by other getUpdates request", counted in
  ``conflicts`` (when its client is still there to read it).
* ``FakeTelegram(limits=True)`` or :meth:`FakeTelegram.enforce_limits`: Telegram's sending limits
  (one message a second per chat after a burst of 3, 20 a minute per group, 30 a second in all) answered
  with 429 and ``retry_after``; each refusal is counted in ``too_many`` and ``too_many_by_chat``.

Files work as on Telegram: :meth:`FakeTelegram.add_file` registers one, ``getFile`` describes it (400
"invalid file_id" for an unknown one) and ``GET /file/bot<token>/<file_path>`` downloads it.  A photo or
document uploaded with sendPhoto/sendDocument is kept under a fresh file_id (``Call.file_id``, its bytes
from :meth:`FakeTelegram.file`), and the message returned carries its ``photo`` sizes or ``document``.
"""

from __future__ import annotations

import asyncio
import http.client
import itertools
import json
import math
import mimetypes
import random
import re
import select
import socket
import struct
import sys
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from bot.text import utf16_len  # counted as Telegram counts

TOKEN = "123456:TEST-token-for-the-fake-bot-api-0000"
BOT_ID = 123456
BOT_USERNAME = "danvan_test_bot"
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler",
                "span", "blockquote", "tg-emoji"}
_NUMERIC = {"chat_id", "message_id", "offset", "limit", "timeout", "user_id", "cache_time", "from_chat_id",
            "reply_to_message_id", "message_thread_id"}
WEBHOOK_ACTIVE = ("Conflict: can't use getUpdates method while webhook is active; "
                  "use deleteWebhook to delete the webhook first")
OTHER_POLL = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
BY_SET_WEBHOOK = "Conflict: terminated by setWebhook request"
# What Telegram's sending limits count: messages sent, and edits (in their chat only).
LIMITED_SENDS = {"sendMessage", "sendPhoto", "sendDocument", "sendLocation", "sendMediaGroup", "copyMessage",
                 "forwardMessage"}
LIMITED_EDITS = {"editMessageText", "editMessageReplyMarkup", "editMessageCaption"}
# Update types Telegram leaves out when allowed_updates was never given.
NOT_BY_DEFAULT = {"chat_member", "message_reaction", "message_reaction_count"}
# The multipart field that carries each method's file.
FILE_FIELDS = {"sendPhoto": "photo", "sendDocument": "document"}
MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files ("file is too big")
PHOTO_SIZE = (800, 600)  # width and height said of a photo whose header is not a PNG or JPEG one


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    status: int = 0  # the HTTP status answered: 200 delivered, else refused (0: no answer, a timeout)

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data or url) of every inline button."""
        markup = self.params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        return [(b.get("text", ""), b.get("callback_data") or b.get("url", "")) for row in rows for b in row]

    @property
    def file_id(self) -> str | None:
        """The file_id of the photo or document this call sent (a fresh one for an upload)."""
        return self.params.get("__file_id__")


@dataclass(frozen=True)
class _Upload:
    """A multipart part that carried a file."""

    filename: str
    content: bytes
    mime_type: str


@dataclass(frozen=True)
class _File:
    """A file Telegram keeps: what getFile describes and the file URL serves."""

    file_id: str
    file_unique_id: str
    content: bytes = field(repr=False)
    file_path: str
    file_name: str
    mime_type: str

    def described(self) -> dict[str, Any]:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id, "file_size": len(self.content),
                "file_path": self.file_path}

    def as_photo(self) -> list[dict[str, Any]]:
        width, height = _image_size(self.content)
        return [{"file_id": self.file_id, "file_unique_id": self.file_unique_id, "width": width,
                 "height": height, "file_size": len(self.content)}]

    def as_document(self) -> dict[str, Any]:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id, "file_name": self.file_name,
                "mime_type": self.mime_type, "file_size": len(self.content)}


def _image_size(content: bytes) -> tuple[int, int]:
    """Width and height read from a PNG's or a JPEG's header; ``PHOTO_SIZE`` for anything else."""
    if content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return width, height
    if content.startswith(b"\xff\xd8"):
        at = 2
        while at + 9 <= len(content) and content[at] == 0xFF:
            marker = content[at + 1]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame
                height, width = struct.unpack(">HH", content[at + 5:at + 9])
                return width, height
            at += 2 + struct.unpack(">H", content[at + 2:at + 4])[0]
    return PHOTO_SIZE


@dataclass
class Delivery:
    """One attempt to POST an update to the webhook."""

    update_id: int
    url: str
    status: int = 0  # the HTTP status answered; 0 when none came (``error`` says why)
    error: str = ""
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return 200 <= self.status <= 299


@dataclass
class Webhook:
    """The webhook setWebhook set."""

    url: str
    secret_token: str = ""
    max_connections: int = 1
    allowed_updates: list[str] | None = None
    last_error_date: int = 0
    last_error_message: str = ""
    stopped: threading.Event = field(default_factory=threading.Event, repr=False)

    def allows(self, update: dict) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in NOT_BY_DEFAULT


@dataclass
class Limits:
    """Telegram's sending limits; None switches one off, and the windows shrink for fast tests."""

    per_chat: float | None = 1.0  # messages a second to one chat, sustained...
    chat_burst: int = 3  # ...after a burst of this many
    per_group_minute: int | None = 20  # messages to one group (chat_id < 0) per group_window
    group_window: float = 60.0
    global_per_second: int | None = 30  # messages to all chats per global_window (edits not counted)
    global_window: float = 1.0


class _Conflict(Exception):
    """A getUpdates answered with 409 and this description."""


@dataclass
class _LongPoll:
    ended: str | None = None  # the 409's description once another request ended this poll


def _client_gone(request: BaseHTTPRequestHandler, grace: float = 0.05) -> bool:
    """Whether the client closed its connection (a long poll it cancelled), waiting ``grace`` for its FIN."""
    try:
        readable, _, _ = select.select([request.connection], [], [], grace)
        return bool(readable) and request.connection.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


class _HTMLCheck(HTMLParser):
    """Telegram's HTML rules, roughly: known tags only, properly nested, entities escaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in ALLOWED_TAGS:
            self.error = self.error or f"Unsupported start tag \"{tag}\""
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = self.error or f"Unexpected end tag \"{tag}\""
        else:
            self.stack.pop()

    def handle_entityref(self, name: str) -> None:
        if name not in ("lt", "gt", "amp", "quot"):
            self.error = self.error or f"Unsupported entity \"{name}\""


def html_error(text: str) -> str | None:
    if re.search(r"<(?![a-zA-Z/])", text):
        return "Unsupported start tag"
    if re.search(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", text):
        return "Unsupported entity"
    checker = _HTMLCheck()
    checker.feed(text)
    checker.close()
    if checker.error:
        return checker.error
    if checker.stack:
        return f"Can't find end tag corresponding to start tag \"{checker.stack[-1]}\""
    return None




class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return  # a bot process killed mid-call (bench/bench_kill.py, tests/test_faults.py)
        super().handle_error(request, client_address)


class FakeTelegram:
    """Start with :meth:`start` (or ``with``); ``base_url`` is what the bot's TELEGRAM_API_BASE_URL gets."""

    def __init__(self, token: str = TOKEN, strict: bool = True, webhooks: bool = False,
                 strict_polling: bool = False, limits: bool | Limits = False) -> None:
        self.token = token
        self.strict = strict  # check what Telegram would refuse (off in benchmarks: Telegram's CPU is not ours)
        self.calls: list[Call] = []
        self.by_chat: dict[Any, list[Call]] = defaultdict(list)  # what each chat was sent, for fast waits
        self.updates: deque[dict] = deque()
        self.blocked_users: set[int] = set()
        self.unknown_chats: set[int] = set()
        self.latency = 0.0  # seconds Telegram takes to answer a send (benchmarks that need forwarding to last)
        self._failures: dict[str, deque[tuple[int | None, tuple[int, str, dict]]]] = defaultdict(deque)
        self._fail_rate: tuple[float, Any] | None = None
        self._update_ids = itertools.count(1)
        self.polled = False  # a bot has asked for updates (it is up)
        self.polled_at = 0.0
        self._message_ids: dict[int, itertools.count] = defaultdict(lambda: itertools.count(1))
        self._lock = threading.Condition()
        self._answered: Counter[str] = Counter()  # calls answered with success, by method
        self._answered_changed = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # files, by file_id and by file_path
        self._files: dict[str, _File] = {}
        self._paths: dict[str, str] = {}
        self._file_numbers = itertools.count(1)
        # webhooks (see the module's docstring)
        self.webhooks = webhooks
        self.webhook: Webhook | None = None
        self.webhook_timeout = 10.0
        self.webhook_backoff = 0.2
        self.webhook_backoff_max = 4.0
        self.webhook_targets: list[str] = []
        self.webhook_seed: int | None = None
        self.deliveries: list[Delivery] = []
        self.webhook_conflicts = 0  # getUpdates refused, or ended, because of a webhook
        self._in_flight: list[dict] = []  # updates being POSTed (or waiting to be again)
        self._dropped_through = 0  # drop_pending_updates dropped every update up to this id
        self._allowed_updates: list[str] | None = None  # Telegram keeps the last ones given
        self._turn = itertools.count()
        self._rng: tuple[int, random.Random] | None = None
        # polling
        self.strict_polling = strict_polling
        self.conflicts = 0  # long polls ended by another one while their client waited
        self._long_poll: _LongPoll | None = None
        # sending limits
        self.limits: Limits | None = None
        self.too_many = 0
        self.too_many_by_chat: Counter[Any] = Counter()
        self._buckets: dict[Any, tuple[float, float]] = {}  # chat -> (tokens, when counted)
        self._group_sends: dict[Any, deque[float]] = defaultdict(deque)
        self._all_sends: deque[float] = deque()
        if isinstance(limits, Limits):
            self.limits = limits
        elif limits:
            self.enforce_limits()

    # lifecycle -------------------------------------------------------------

    def start(self) -> "FakeTelegram":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else each reply waits ~40 ms for a delayed ACK

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                try:
                    fake._handle(self)
                except (ConnectionResetError, BrokenPipeError):
                    pass  # the bot's process was killed mid-call (bench/bench_kill.py): what it sent is kept

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                try:
                    if self.path.startswith("/file/"):
                        fake._download(self)
                    else:
                        fake._handle(self)  # the Bot API answers GET as it answers POST
                except (ConnectionResetError, BrokenPipeError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-telegram", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            with self._lock:
                if self.webhook is not None:
                    self.webhook.stopped.set()
                self._lock.notify_all()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeTelegram":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # scripting ---------------------------------------------------------------

    def fail_next(self, method: str, status: int, description: str, times: int = 1, chat_id: int | None = None,
                  **parameters: Any) -> None:
        """The next ``times`` calls of ``method`` (to ``chat_id`` if given) fail like Telegram would."""
        for _ in range(times):
            self._failures[method].append((chat_id, (status, description, parameters)))

    def fail_randomly(self, share: float, seed: int = 1) -> None:
        """A share of send/edit/answer calls fail with 429, 500 or a timeout (for fault tests)."""
        import random

        self._fail_rate = (share, random.Random(seed))

    def enforce_limits(self, per_chat: float | None = 1.0, chat_burst: int = 3, per_group_minute: int | None = 20,
                       group_window: float = 60.0, global_per_second: int | None = 30,
                       global_window: float = 1.0) -> Limits:
        """Answer sends over Telegram's limits with 429 from now on (``fake.limits = None`` stops it)."""
        with self._lock:
            self.limits = Limits(per_chat, chat_burst, per_group_minute, group_window, global_per_second,
                                 global_window)
            self._buckets.clear()
            self._group_sends.clear()
            self._all_sends.clear()
            return self.limits

    def add_file(self, file_id: str, content: bytes, file_path: str | None = None) -> None:
        """Telegram keeps this file under ``file_id`` (as if a user had sent it): getFile and downloads find it."""
        file_path = file_path or f"photos/{file_id}.jpg"
        name = PurePosixPath(file_path).name
        mime_type = mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"
        self._keep(_File(file_id, self._unique_id(), content, file_path, name, mime_type))

    def file(self, file_id: str) -> bytes | None:
        """The bytes Telegram keeps under ``file_id`` (added, or uploaded by the bot), None if unknown."""
        with self._lock:
            kept = self._files.get(file_id)
        return kept.content if kept else None

    def push(self, update: dict) -> int:
        with self._lock:
            update_id = next(self._update_ids)
            self.updates.append({"update_id": update_id, **update})
            self._lock.notify_all()
        return update_id

    def user(self, user_id: int, first_name: str = "Dân") -> dict:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "vi"}

    def chat(self, chat_id: int, kind: str = "private") -> dict:
        if kind == "private":
            return {"id": chat_id, "type": "private", "first_name": "Dân"}
        return {"id": chat_id, "type": kind, "title": "Nhóm thử"}

    def message(self, user_id: int, text: str | None = None, chat_id: int | None = None, kind: str = "private",
                edited: bool = False, **extra: Any) -> int:
        """A user sends (or edits) a message; text starting with / is a command."""
        chat_id = user_id if chat_id is None else chat_id
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat_id]) + 100000, "date": int(time.time()),
            "chat": self.chat(chat_id, kind), "from": self.user(user_id), **extra,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                length = len(text.split()[0])
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(text[:length])}]
            elif f"@{BOT_USERNAME}" in text:
                at = text.index(f"@{BOT_USERNAME}")
                message["entities"] = [{"type": "mention", "offset": utf16_len(text[:at]),
                                        "length": len(BOT_USERNAME) + 1}]
        if edited:
            message["edit_date"] = int(time.time())
        return self.push({"edited_message" if edited else "message": message})

    def press(self, user_id: int, data: str, message: dict | None = None, chat_id: int | None = None) -> int:
        """A user presses an inline button carrying ``data`` under ``message`` (a sent message's JSON)."""
        chat_id = user_id if chat_id is None else chat_id
        message = message or {"message_id": 1, "date": int(time.time()), "chat": self.chat(chat_id),
                              "from": self.user(BOT_ID), "text": "…"}
        return self.push({"callback_query": {
            "id": str(time.monotonic_ns()), "from": self.user(user_id), "chat_instance": str(chat_id),
            "data": data, "message": message,
        }})

    # reading what the bot did --------------------------------------------------

    def sent(self, chat_id: int | None = None, method: str | None = None) -> list[Call]:
        with self._lock:
            calls = list(self.calls)
        return [
            c for c in calls
            if (method is None or c.method == method)
            and (chat_id is None or c.params.get("chat_id") == chat_id
                 or (c.method == "answerCallbackQuery" and chat_id is None))
        ]

    def messages_to(self, chat_id: int) -> list[Call]:
        """What was delivered to a chat (calls Telegram refused are left out)."""
        with self._lock:
            calls = list(self.by_chat.get(chat_id, ()))
        return [c for c in calls if c.status == 200 and c.method in (
            "sendMessage", "editMessageText", "sendPhoto", "sendDocument", "sendLocation")]

    def deliveries_of(self, update_id: int) -> list[Delivery]:
        """Every attempt to POST this update to the webhook, in order."""
        with self._lock:
            return [d for d in self.deliveries if d.update_id == update_id]

    def as_message(self, call: Call) -> dict:
        """The JSON of the message a sendMessage call created (to press its buttons)."""
        return call.params["__result__"]

    async def wait_for(self, predicate, timeout: float = 20.0, what: str = "the bot") -> Any:
        """Wait until ``predicate()`` is truthy; fail with what was sent when it never is."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            await asyncio.sleep(0.01)
        sent = [(c.method, c.params.get("chat_id"), c.text[:80]) for c in self.sent()][-15:]
        raise AssertionError(f"timed out waiting for {what}; last calls: {sent}")

    async def wait_messages(self, chat_id: int, count: int, timeout: float = 20.0) -> list[Call]:
        return await self.wait_for(
            lambda: (m := self.messages_to(chat_id)) and len(m) >= count and m, timeout,
            what=f"{count} message(s) to chat {chat_id}",
        )

    async def wait_idle(self, quiet: float = 0.2, timeout: float = 10.0) -> None:
        """Wait until every pushed update was fetched and no call came for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                pending = bool(self.updates) or bool(self._in_flight)
                last = self.calls[-1].at if self.calls else 0.0
            if not pending and time.monotonic() - last >= quiet:
                return
            await asyncio.sleep(0.02)
        raise AssertionError("the bot did not go quiet")

    # the HTTP side ---------------------------------------------------------------

    def _params(self, request: BaseHTTPRequestHandler) -> tuple[dict[str, Any], dict[str, _Upload]]:
        """The call's parameters (a file part as {"__file__": name, "size": n}), and the file parts themselves."""
        uploads: dict[str, _Upload] = {}
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        kind = request.headers.get("Content-Type", "")
        raw: dict[str, Any] = {}
        if kind.startswith("application/json"):
            raw = json.loads(body or b"{}")
            return raw, uploads
        if kind.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(
                b"Content-Type: " + kind.encode() + b"\r\n\r\n" + body
            )
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True)
                if part.get_filename():
                    raw[name] = {"__file__": part.get_filename(), "size": len(payload or b"")}
                    uploads[name] = _Upload(part.get_filename(), payload or b"", part.get_content_type())
                else:
                    raw[name] = (payload or b"").decode("utf-8")
        else:
            raw = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        out: dict[str, Any] = {}
        for key, value in raw.items():
            if isinstance(value, str) and (key in _NUMERIC) and re.fullmatch(r"-?\d+", value):
                out[key] = int(value)
            elif isinstance(value, str) and value[:1] in "[{" and key != "text":
                try:
                    out[key] = json.loads(value)
                except json.JSONDecodeError:
                    out[key] = value
            elif value in ("true", "false") and key not in ("text", "caption", "data"):
                out[key] = value == "true"
            else:
                out[key] = value
        return out, uploads

    def _reply(self, request: BaseHTTPRequestHandler, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a long poll cancelled at shutdown): nothing to answer

    def _error(self, request: BaseHTTPRequestHandler, status: int, description: str, **parameters: Any) -> None:
        payload: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            payload["parameters"] = parameters
        self._reply(request, status, payload)

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        if request.path.startswith("/_control/"):
            self._control(request)
            return
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", request.path.split("?")[0])
        if not match or match.group(1) != self.token:
            self._error(request, 404, "Not Found")
            return
        method = match.group(2)
        params, uploads = self._params(request)
        if method == "getUpdates":
            if self.webhooks and self.webhook is not None:
                with self._lock:
                    self.webhook_conflicts += 1
                self._error(request, 409, WEBHOOK_ACTIVE)
                return
            if not self.polled:
                self.polled, self.polled_at = True, time.monotonic()
            try:
                updates = self._get_updates(params)
            except _Conflict as conflict:
                description = str(conflict)
                if description == OTHER_POLL and not _client_gone(request):
                    with self._lock:
                        self.conflicts += 1
                self._error(request, 409, description)
                return
            self._reply(request, 200, {"ok": True, "result": updates})
            return
        call = Call(method, params)
        with self._lock:
            self.calls.append(call)
            self.by_chat[params.get("chat_id")].append(call)
        failure = self._scripted_failure(method, params.get("chat_id"))
        if failure:
            status, description, extra = failure
            if status == 0:  # a timeout: say nothing for longer than the client waits
                time.sleep(extra.get("seconds", 6))
                return
            call.status = status
            call.params["__scripted__"] = True  # a failure the test asked for, not a refusal
            self._error(request, status, description, **extra)
            return
        chat_id = params.get("chat_id")
        if method.startswith(("send", "edit", "copy")) and chat_id in self.blocked_users:
            call.status = 403
            self._error(request, 403, "Forbidden: bot was blocked by the user")
            return
        if method.startswith(("send", "edit", "copy")) and chat_id in self.unknown_chats:
            call.status = 400
            call.params["__error__"] = "chat not found"
            self._error(request, 400, "Bad Request: chat not found")
            return
        problem = self._validate(method, params) if self.strict else None
        if problem:
            call.status = 400
            call.params["__error__"] = problem
            self._error(request, 400, f"Bad Request: {problem}")
            return
        if self.limits is not None and (method in LIMITED_SENDS or method in LIMITED_EDITS):
            retry_after = self._over_limits(method, chat_id)
            if retry_after:
                call.status = 429
                call.params["__error__"] = "Too Many Requests"
                self._error(request, 429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
                return
        if self.webhooks and method in ("setWebhook", "deleteWebhook"):
            problem = self._set_webhook(params if method == "setWebhook" else {**params, "url": ""})
            if problem:
                call.status = 400
                call.params["__error__"] = problem
                self._error(request, 400, f"Bad Request: {problem}")
                return
        if method == "getFile" and (problem := self._get_file_problem(params)):
            call.status = 400
            call.params["__error__"] = problem
            self._error(request, 400, f"Bad Request: {problem}")
            return
        if method in FILE_FIELDS:
            self._take_file(method, params, uploads.get(FILE_FIELDS[method]))
        if self.latency and method.startswith("send"):
            time.sleep(self.latency)
        result = self._result(method, params)
        call.params["__result__"] = result
        call.status = 200
        self._reply(request, 200, {"ok": True, "result": result})
        with self._answered_changed:
            self._answered[method] += 1
            self._answered_changed.notify_all()

    def _download(self, request: BaseHTTPRequestHandler) -> None:
        """GET /file/bot<token>/<file_path>: the file's bytes, as Telegram's file server sends them."""
        match = re.fullmatch(r"/file/bot([^/]+)/(.+)", unquote(request.path.split("?")[0]))
        with self._lock:
            file_id = self._paths.get(match.group(2)) if match and match.group(1) == self.token else None
            kept = self._files.get(file_id) if file_id else None
        if kept is None:
            self._error(request, 404, "Not Found")
            return
        try:
            request.send_response(200)
            request.send_header("Content-Type", "application/octet-stream")
            request.send_header("Content-Length", str(len(kept.content)))
            request.end_headers()
            request.wfile.write(kept.content)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: nothing more to send

    # files -------------------------------------------------------------------------------

    def _unique_id(self) -> str:
        return f"unique-{next(self._file_numbers)}"

    def _keep(self, kept: _File) -> None:
        with self._lock:
            if (old := self._files.get(kept.file_id)) is not None:
                self._paths.pop(old.file_path, None)
            self._files[kept.file_id] = kept
            self._paths[kept.file_path] = kept.file_id

    def _kept(self, file_id: Any) -> _File | None:
        with self._lock:
            return self._files.get(file_id) if isinstance(file_id, str) else None

    def _get_file_problem(self, params: dict[str, Any]) -> str | None:
        kept = self._kept(params.get("file_id"))
        if kept is None:
            return "invalid file_id"
        if len(kept.content) > MAX_DOWNLOAD:
            return "file is too big"
        return None

    def _take_file(self, method: str, params: dict[str, Any], upload: _Upload | None) -> None:
        """The file a sendPhoto/sendDocument carries: an upload is kept under a fresh file_id."""
        kept = self._kept(params.get(FILE_FIELDS[method]))
        if upload is not None:
            if method == "sendPhoto":
                suffix, mime_type = ".jpg", "image/jpeg"  # Telegram keeps every photo as a JPEG
            else:
                suffix = PurePosixPath(upload.filename).suffix
                mime_type = mimetypes.guess_type(upload.filename, strict=False)[0] or upload.mime_type
            folder = FILE_FIELDS[method] + "s"
            with self._lock:
                number = next(self._file_numbers)
                while f"file-{number}" in self._files or f"{folder}/file_{number}{suffix}" in self._paths:
                    number = next(self._file_numbers)  # taken by add_file
                kept = _File(f"file-{number}", f"unique-{number}", upload.content, f"{folder}/file_{number}{suffix}",
                             upload.filename, mime_type)
                self._keep(kept)
        if kept is not None:
            params["__file_id__"] = kept.file_id

    def _control(self, request: BaseHTTPRequestHandler) -> None:
        """For a server in another process: /_control/messages pushes [(user_id, text)],
        /_control/count/<method> counts successful calls, /_control/wait/<method>/<n> answers
        once there are n (so that a benchmark waits without polling the bot's own process)."""
        length = int(request.headers.get("Content-Length") or 0)
        body = json.loads(request.rfile.read(length) or b"null") if length else None
        if request.path == "/_control/messages":
            for user_id, text in body:
                self.message(int(user_id), text)
            self._reply(request, 200, {"ok": True})
        elif request.path.startswith("/_control/count/"):
            with self._answered_changed:
                count = self._answered[request.path.rpartition("/")[2]]
            self._reply(request, 200, {"ok": True, "result": count})
        elif match := re.fullmatch(r"/_control/wait/(\w+)/(\d+)", request.path):
            method, wanted = match.group(1), int(match.group(2))
            with self._answered_changed:
                self._answered_changed.wait_for(lambda: self._answered[method] >= wanted, timeout=600)
                count = self._answered[method]
            self._reply(request, 200, {"ok": True, "result": count})
        else:
            self._error(request, 404, "Not Found")

    def _scripted_failure(self, method: str, chat_id: Any) -> tuple[int, str, dict] | None:
        with self._lock:
            scripted = self._failures[method]
            for index, (only_chat, failure) in enumerate(scripted):
                if only_chat is None or only_chat == chat_id:
                    del scripted[index]
                    return failure
            if self._fail_rate and method.startswith(("send", "edit", "answer")):
                share, rng = self._fail_rate
                if rng.random() < share:
                    return rng.choice([
                        (429, "Too Many Requests: retry after 1", {"retry_after": 1}),
                        (500, "Internal Server Error", {}),
                        (502, "Bad Gateway", {}),
                    ])
        return None

    def _get_updates(self, params: dict[str, Any]) -> list[dict]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        poll = _LongPoll()
        with self._lock:
            while self.updates and self.updates[0]["update_id"] < offset:
                self.updates.popleft()
            if not self.updates and timeout > 0:
                # as Telegram: a long poll ends the one waiting before it (a request that returns at once does not)
                if self.strict_polling and self._long_poll is not None:
                    self._long_poll.ended = OTHER_POLL
                    self._lock.notify_all()
                self._long_poll = poll
            try:
                while (not self.updates and time.monotonic() < deadline and self._server is not None
                       and poll.ended is None):
                    self._lock.wait(timeout=max(0.0, deadline - time.monotonic()))
                    while self.updates and self.updates[0]["update_id"] < offset:
                        self.updates.popleft()
            finally:
                if self._long_poll is poll:
                    self._long_poll = None
            if poll.ended is not None:
                raise _Conflict(poll.ended)
            return list(itertools.islice(self.updates, limit))

    # Telegram's sending limits -----------------------------------------------------

    def _over_limits(self, method: str, chat_id: Any) -> int:
        """0 when this send is within the limits (it is then counted), else the retry_after to answer."""
        limits = self.limits
        assert limits is not None
        now = time.monotonic()
        waits: list[float] = []
        group = (isinstance(chat_id, int) and chat_id < 0) or (isinstance(chat_id, str) and chat_id.startswith("@"))
        with self._lock:
            tokens = float(limits.chat_burst)
            if limits.per_chat:
                tokens, at = self._buckets.get(chat_id, (tokens, now))
                tokens = min(float(limits.chat_burst), tokens + (now - at) * limits.per_chat)
                self._buckets[chat_id] = (tokens, now)
                if tokens < 1:
                    waits.append((1 - tokens) / limits.per_chat)
            windows: list[tuple[deque[float], int, float]] = []
            if group and limits.per_group_minute:
                windows.append((self._group_sends[chat_id], limits.per_group_minute, limits.group_window))
            if method in LIMITED_SENDS and limits.global_per_second:
                windows.append((self._all_sends, limits.global_per_second, limits.global_window))
            for sends, most, window in windows:
                while sends and sends[0] <= now - window:
                    sends.popleft()
                if len(sends) >= most:
                    waits.append(sends[0] + window - now)
            if waits:
                self.too_many += 1
                self.too_many_by_chat[chat_id] += 1
                return max(1, math.ceil(max(waits)))
            if limits.per_chat:
                self._buckets[chat_id] = (tokens - 1, now)
            for sends, _, _ in windows:
                sends.append(now)
            return 0

    # webhooks -------------------------------------------------------------------------

    def _set_webhook(self, params: dict[str, Any]) -> str | None:
        """setWebhook (deleteWebhook when the url is empty): None, or why Telegram refuses it."""
        url = str(params.get("url") or "")
        secret = str(params.get("secret_token") or "")
        if url:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return "invalid webhook URL specified"
            if self.strict and len(secret) > 256:
                return "secret token is too long"
            if self.strict and not re.fullmatch(r"[A-Za-z0-9_-]*", secret):
                return "secret token contains unallowed characters"
        allowed = params.get("allowed_updates")
        with self._lock:
            if isinstance(allowed, list):
                self._allowed_updates = [str(kind) for kind in allowed]
            if params.get("drop_pending_updates") in (True, "true", "True", "1", 1):
                held = [u["update_id"] for u in (*self.updates, *self._in_flight)]
                self._dropped_through = max(held, default=self._dropped_through)
                self.updates.clear()
            if self.webhook is not None:
                self.webhook.stopped.set()  # its threads put back the updates they hold
                self.webhook = None
            if not url:
                self._lock.notify_all()
                return None
            if self._long_poll is not None:
                self._long_poll.ended = BY_SET_WEBHOOK
                self.webhook_conflicts += 1
            try:
                connections = int(params.get("max_connections") or 1)
            except (TypeError, ValueError):
                connections = 1
            hook = Webhook(url, secret, max(1, min(100, connections)), self._allowed_updates)
            self.webhook = hook
            for number in range(hook.max_connections):
                threading.Thread(target=self._deliver_updates, args=(hook,), daemon=True,
                                 name=f"fake-telegram-webhook-{number}").start()
            self._lock.notify_all()
        return None

    def _webhook_info(self) -> dict[str, Any]:
        with self._lock:
            info: dict[str, Any] = {"url": "", "has_custom_certificate": False,
                                    "pending_update_count": len(self.updates) + len(self._in_flight)}
            hook = self.webhook
            if hook is not None:
                info["url"] = hook.url
                info["max_connections"] = hook.max_connections
                if hook.allowed_updates:
                    info["allowed_updates"] = list(hook.allowed_updates)
                if hook.last_error_date:
                    info["last_error_date"] = hook.last_error_date
                    info["last_error_message"] = hook.last_error_message
            return info

    def _deliver_updates(self, hook: Webhook) -> None:
        """One of the webhook's connections: POST the next pending update until it is taken, and so on."""
        while True:
            with self._lock:
                update: dict | None = None
                while update is None:
                    if hook.stopped.is_set() or self._server is None:
                        return
                    if not self.updates:
                        self._lock.wait()
                        continue
                    candidate = self.updates.popleft()
                    if hook.allows(candidate):  # Telegram does not keep the others
                        update = candidate
                        self._in_flight.append(update)
            delay = self.webhook_backoff
            while True:
                delivery, retry_after = self._post(hook, update)
                with self._lock:
                    self.deliveries.append(delivery)
                    if delivery.ok:
                        self._in_flight.remove(update)
                        break
                    hook.last_error_date = int(time.time())
                    hook.last_error_message = delivery.error or f"Wrong response from the webhook: {delivery.status}"
                if hook.stopped.wait(retry_after if retry_after is not None else delay):
                    self._put_back(update)
                    return
                delay = min(delay * 2, self.webhook_backoff_max)

    def _put_back(self, update: dict) -> None:
        """An update a stopped webhook held goes back among the pending ones, in order."""
        with self._lock:
            self._in_flight.remove(update)
            if update["update_id"] > self._dropped_through:
                pending = sorted([*self.updates, update], key=lambda u: u["update_id"])
                self.updates.clear()
                self.updates.extend(pending)
            self._lock.notify_all()

    def _target(self, url: str) -> str:
        """Where this attempt goes: the webhook's url, or the next of ``webhook_targets`` with its path."""
        with self._lock:
            targets = list(self.webhook_targets)
            if not targets:
                return url
            if self.webhook_seed is not None:
                if self._rng is None or self._rng[0] != self.webhook_seed:
                    self._rng = (self.webhook_seed, random.Random(self.webhook_seed))
                target = self._rng[1].choice(targets)
            else:
                target = targets[next(self._turn) % len(targets)]
        hook, chosen = urlsplit(url), urlsplit(target)
        return urlunsplit((chosen.scheme, chosen.netloc, hook.path, hook.query, ""))

    def _post(self, hook: Webhook, update: dict) -> tuple[Delivery, float | None]:
        """POST one update as Telegram does; the attempt, and the Retry-After the answer asked for."""
        url = self._target(hook.url)
        delivery = Delivery(update["update_id"], url)
        parts = urlsplit(url)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = kind(parts.hostname or "", parts.port, timeout=self.webhook_timeout)
        headers = {"Content-Type": "application/json"}
        if hook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        retry_after: float | None = None
        try:
            connection.request("POST", path, body=json.dumps(update).encode(), headers=headers)
            response = connection.getresponse()
            response.read()
            delivery.status = response.status
            if not delivery.ok:
                delivery.error = f"Wrong response from the webhook: {response.status} {response.reason}"
                header = response.getheader("Retry-After") or ""
                retry_after = float(header) if header.isdigit() else None
        except TimeoutError:
            delivery.error = "Read timeout expired"
        except ConnectionRefusedError:
            delivery.error = "Connection refused"
        except (OSError, http.client.HTTPException) as error:
            delivery.error = f"{type(error).__name__}: {error}"
        finally:
            connection.close()
        return delivery, retry_after

    def _validate(self, method: str, params: dict[str, Any]) -> str | None:
        text = params.get("text")
        if method in ("sendMessage", "editMessageText"):
            if not text or not str(text).strip():
                return "message text is empty"
            if utf16_len(str(text)) > 4096:
                return "message is too long"
        caption = params.get("caption")
        if caption is not None and utf16_len(str(caption)) > 1024:
            return "message caption is too long"
        if params.get("parse_mode") == "HTML":
            for value in (text, caption):
                if value is not None and (err := html_error(str(value))):
                    return f"can't parse entities: {err}"
        markup = params.get("reply_markup")
        if isinstance(markup, dict):
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    if len(str(button.get("callback_data", "")).encode()) > 64:
                        return "BUTTON_DATA_INVALID"
                    if not button.get("text"):
                        return "text buttons are unallowed in the inline keyboard"
        if method == "answerCallbackQuery" and utf16_len(str(params.get("text") or "")) > 200:
            return "MESSAGE_TOO_LONG"
        if any(isinstance(value, dict) and "__file__" in value and value.get("size") == 0
               for value in params.values()):
            return "file must be non-empty"
        return None

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        chat_id = params.get("chat_id")
        if method == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "Trợ lý dân vận", "username": BOT_USERNAME,
                    "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
        if method in ("setMyCommands", "deleteWebhook", "answerCallbackQuery", "setWebhook", "deleteMessage",
                      "sendChatAction", "close", "logOut"):
            return True
        if method == "getWebhookInfo" and self.webhooks:
            return self._webhook_info()
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": len(self.updates)}
        if method == "getFile":
            kept = self._kept(params.get("file_id"))
            assert kept is not None  # an unknown file_id was refused
            return kept.described()
        if method.startswith("send") or method.startswith("edit") or method == "copyMessage":
            chat = self.chat(int(chat_id)) if isinstance(chat_id, int) else self.chat(0)
            message_id = params.get("message_id") if method.startswith("edit") else None
            message: dict[str, Any] = {
                "message_id": message_id or next(self._message_ids[chat["id"]]), "date": int(time.time()),
                "chat": chat, "from": {"id": BOT_ID, "is_bot": True, "first_name": "Trợ lý dân vận",
                                        "username": BOT_USERNAME},
            }
            if "text" in params:
                message["text"] = params["text"]
            if "caption" in params:
                message["caption"] = params["caption"]
            markup = params.get("reply_markup")
            if isinstance(markup, dict) and "inline_keyboard" in markup:  # Telegram echoes inline keyboards only
                message["reply_markup"] = markup
            if (kept := self._kept(params.get("__file_id__"))) is not None:
                if method == "sendPhoto":
                    message["photo"] = kept.as_photo()
                else:
                    message["document"] = kept.as_document()
            return message
        return True


def serve_forever() -> None:
    """``python -m bot.testing.fake_telegram``: serve on a free port, print the base URL, run until killed."""
    import signal

    import sys

    fake = FakeTelegram(strict="--lenient" not in sys.argv).start()
    print(fake.base_url, flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    fake.stop()


if __name__ == "__main__":
    serve_forever()
