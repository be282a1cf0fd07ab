"""A fake Telegram Bot API server on 127.0.0.1, for end-to-end tests and benchmarks.

The real bot (a python-telegram-bot ``Application`` with ``base_url`` pointed
here) talks HTTP to it exactly as to Telegram.  The tests push updates (a user's
message, a button press...), and read what the bot sent: every call is recorded.
It is as strict as Telegram where our bot could go wrong: text over 4096 UTF-16
units, invalid HTML with ``parse_mode=HTML``, callback data over 64 bytes,
captions over 1024 units are refused with Telegram's error.  Failures can be
scripted per method (429 with retry_after, 5xx, "bot was blocked by the user").
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import sys
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from bot.text import utf16_len  # counted as Telegram counts

TOKEN = "123456:TEST-token-for-the-fake-bot-api-0000"
BOT_ID = 123456
BOT_USERNAME = "danvan_test_bot"
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler",
                "span", "blockquote", "tg-emoji"}
_NUMERIC = {"chat_id", "message_id", "offset", "limit", "timeout", "user_id", "cache_time", "from_chat_id",
            "reply_to_message_id", "message_thread_id"}


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

    def __init__(self, token: str = TOKEN, strict: bool = True) -> None:
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

            do_GET = do_POST

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
                pending = bool(self.updates)
                last = self.calls[-1].at if self.calls else 0.0
            if not pending and time.monotonic() - last >= quiet:
                return
            await asyncio.sleep(0.02)
        raise AssertionError("the bot did not go quiet")

    # the HTTP side ---------------------------------------------------------------

    def _params(self, request: BaseHTTPRequestHandler) -> dict[str, Any]:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        kind = request.headers.get("Content-Type", "")
        raw: dict[str, Any] = {}
        if kind.startswith("application/json"):
            raw = json.loads(body or b"{}")
            return raw
        if kind.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(
                b"Content-Type: " + kind.encode() + b"\r\n\r\n" + body
            )
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True)
                if part.get_filename():
                    raw[name] = {"__file__": part.get_filename(), "size": len(payload or b"")}
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
        return out

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
        params = self._params(request)
        if method == "getUpdates":
            if not self.polled:
                self.polled, self.polled_at = True, time.monotonic()
            self._reply(request, 200, {"ok": True, "result": self._get_updates(params)})
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
        if self.latency and method.startswith("send"):
            time.sleep(self.latency)
        result = self._result(method, params)
        call.params["__result__"] = result
        call.status = 200
        self._reply(request, 200, {"ok": True, "result": result})
        with self._answered_changed:
            self._answered[method] += 1
            self._answered_changed.notify_all()

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
        with self._lock:
            while self.updates and self.updates[0]["update_id"] < offset:
                self.updates.popleft()
            while not self.updates and time.monotonic() < deadline and self._server is not None:
                self._lock.wait(timeout=max(0.0, deadline - time.monotonic()))
                while self.updates and self.updates[0]["update_id"] < offset:
                    self.updates.popleft()
            return list(itertools.islice(self.updates, limit))

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
        return None

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        chat_id = params.get("chat_id")
        if method == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "Trợ lý dân vận", "username": BOT_USERNAME,
                    "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
        if method in ("setMyCommands", "deleteWebhook", "answerCallbackQuery", "setWebhook", "deleteMessage",
                      "sendChatAction", "close", "logOut"):
            return True
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": len(self.updates)}
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
