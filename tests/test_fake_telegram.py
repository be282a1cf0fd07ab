"""The fake Bot API's webhooks, strict polling, sending limits and files, over plain HTTP."""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.testing.fake_telegram import BY_SET_WEBHOOK, OTHER_POLL, PHOTO_SIZE, TOKEN, WEBHOOK_ACTIVE, FakeTelegram

SECRET = "bi-mat_123"


class Receiver:
    """A bot's webhook endpoint: records each POST and answers the scripted statuses (then 200)."""

    def __init__(self, statuses: list[int] | None = None, sleeps: list[float] | None = None,
                 hold: float = 0.0) -> None:
        self.statuses = list(statuses or [])
        self.sleeps = list(sleeps or [])  # seconds to wait before answering the first requests
        self.hold = hold  # seconds every answer takes (to see concurrent POSTs)
        self.requests: list[dict[str, Any]] = []
        self.busy = self.most_busy = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                receiver._handle(self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def update_ids(self) -> list[int]:
        with self._lock:
            return [r["body"]["update_id"] for r in self.requests]

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        body = json.loads(request.rfile.read(int(request.headers["Content-Length"])))
        with self._lock:
            self.busy += 1
            self.most_busy = max(self.most_busy, self.busy)
            sleep = self.sleeps.pop(0) if self.sleeps else 0.0
            status = self.statuses.pop(0) if self.statuses else 200
        time.sleep(sleep + self.hold)
        with self._lock:
            self.busy -= 1
            self.requests.append({"path": request.path, "headers": dict(request.headers), "body": body})
        try:
            request.send_response(status)
            request.send_header("Content-Length", "0")
            request.end_headers()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the fake gave up waiting (a timeout): what matters is that it delivers again

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def until(predicate: Callable[[], Any], timeout: float = 3.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.01)
    raise AssertionError("timed out")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(webhooks=True) as server:
        server.webhook_backoff = 0.05
        yield server


def api(fake: FakeTelegram, method: str, **params: Any) -> httpx.Response:
    return httpx.post(f"{fake.base_url}/bot{TOKEN}/{method}", json=params, timeout=5.0)


# webhooks ---------------------------------------------------------------------------------


def test_updates_are_posted_to_the_webhook_with_the_secret(fake, receiver):
    answer = api(fake, "setWebhook", url=f"{receiver.url}/telegram", secret_token=SECRET).json()
    assert answer == {"ok": True, "result": True}
    update_id = fake.message(42, "xin chào")
    until(lambda: receiver.requests)
    request = receiver.requests[0]
    assert request["path"] == "/telegram"
    assert request["headers"]["X-Telegram-Bot-Api-Secret-Token"] == SECRET
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["body"]["update_id"] == update_id and request["body"]["message"]["text"] == "xin chào"
    assert [(d.status, d.error) for d in fake.deliveries_of(update_id)] == [(200, "")]
    info = api(fake, "getWebhookInfo").json()["result"]
    assert info["url"] == f"{receiver.url}/telegram" and info["pending_update_count"] == 0
    assert info["max_connections"] == 1 and "last_error_message" not in info


def test_no_secret_no_header(fake, receiver):
    api(fake, "setWebhook", url=f"{receiver.url}/telegram")
    fake.message(42, "xin chào")
    until(lambda: receiver.requests)
    assert "X-Telegram-Bot-Api-Secret-Token" not in receiver.requests[0]["headers"]


def test_an_update_refused_with_500_comes_again_and_in_order():
    receiver = Receiver(statuses=[500])
    try:
        with FakeTelegram(webhooks=True) as fake:
            fake.webhook_backoff = 0.05
            api(fake, "setWebhook", url=f"{receiver.url}/telegram", secret_token=SECRET)
            first, second = fake.message(42, "một"), fake.message(42, "hai")
            until(lambda: len(receiver.requests) == 3)
            assert receiver.update_ids == [first, first, second]  # one at a time: the second waits
            assert [d.status for d in fake.deliveries_of(first)] == [500, 200]
            assert fake.deliveries_of(first)[0].error == "Wrong response from the webhook: 500 Internal Server Error"
            info = api(fake, "getWebhookInfo").json()["result"]
            assert info["last_error_message"].startswith("Wrong response from the webhook: 500")
            assert info["last_error_date"] > 0 and info["pending_update_count"] == 0
    finally:
        receiver.close()


def test_an_update_not_answered_in_time_comes_again():
    receiver = Receiver(sleeps=[1.0])
    try:
        with FakeTelegram(webhooks=True) as fake:
            fake.webhook_timeout, fake.webhook_backoff = 0.3, 0.05
            api(fake, "setWebhook", url=f"{receiver.url}/telegram")
            update_id = fake.message(42, "một")
            until(lambda: len(fake.deliveries_of(update_id)) == 2)
            assert [(d.status, d.error) for d in fake.deliveries_of(update_id)] == [
                (0, "Read timeout expired"), (200, "")]
    finally:
        receiver.close()


def test_targets_take_turns_and_keep_the_webhooks_path():
    a, b = Receiver(), Receiver()
    try:
        with FakeTelegram(webhooks=True) as fake:
            fake.webhook_backoff = 0.05
            fake.webhook_targets = [a.url, f"http://127.0.0.1:{free_port()}", b.url]  # one of them is down
            api(fake, "setWebhook", url="https://danvan.example.org/telegram?k=1", secret_token=SECRET)
            ids = [fake.message(42, str(n)) for n in range(3)]
            until(lambda: len(a.requests) + len(b.requests) == 3)
            assert a.update_ids == [ids[0], ids[2]] and b.update_ids == [ids[1]]
            assert {r["path"] for r in a.requests + b.requests} == {"/telegram?k=1"}
            assert [d.error for d in fake.deliveries_of(ids[1])] == ["Connection refused", ""]
            assert fake.deliveries_of(ids[1])[1].url == f"{b.url}/telegram?k=1"
    finally:
        a.close()
        b.close()


def test_random_targets_with_a_seed_reach_both():
    a, b = Receiver(), Receiver()
    try:
        with FakeTelegram(webhooks=True) as fake:
            fake.webhook_targets, fake.webhook_seed = [a.url, b.url], 7
            api(fake, "setWebhook", url="https://danvan.example.org/telegram")
            for n in range(12):
                fake.message(42, str(n))
            until(lambda: len(a.requests) + len(b.requests) == 12)
            assert a.requests and b.requests
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("connections, expected", [(None, 1), (3, 3)])
def test_max_connections_posts_at_once(connections, expected):
    receiver = Receiver(hold=0.2)
    try:
        with FakeTelegram(webhooks=True) as fake:
            params = {"max_connections": connections} if connections else {}
            api(fake, "setWebhook", url=f"{receiver.url}/telegram", **params)
            for n in range(3):
                fake.message(42, str(n))
            until(lambda: len(receiver.requests) == 3)
            assert receiver.most_busy == expected
    finally:
        receiver.close()


def test_get_updates_conflicts_with_a_webhook_and_nothing_is_lost(fake):
    api(fake, "setWebhook", url=f"http://127.0.0.1:{free_port()}/telegram")  # nobody listens there
    update_id = fake.message(42, "một")
    refused = api(fake, "getUpdates")
    assert refused.status_code == 409
    assert refused.json() == {"ok": False, "error_code": 409, "description": WEBHOOK_ACTIVE}
    assert fake.webhook_conflicts == 1 and not fake.polled
    until(lambda: fake.deliveries_of(update_id))
    info = api(fake, "getWebhookInfo").json()["result"]
    assert info["pending_update_count"] == 1 and info["last_error_message"] == "Connection refused"

    assert api(fake, "deleteWebhook").json()["result"] is True
    until(lambda: api(fake, "getWebhookInfo").json()["result"]["url"] == "")
    updates = until(lambda: api(fake, "getUpdates").json()["result"])
    assert [u["update_id"] for u in updates] == [update_id]  # still there for polling


def test_drop_pending_updates_and_allowed_updates(fake, receiver):
    fake.message(42, "cũ")
    api(fake, "setWebhook", url=f"{receiver.url}/telegram", drop_pending_updates=True,
        allowed_updates=["callback_query"])
    fake.message(42, "bỏ qua")
    pressed = fake.press(42, "v:1")
    until(lambda: receiver.requests)
    time.sleep(0.1)
    assert receiver.update_ids == [pressed]
    assert api(fake, "getWebhookInfo").json()["result"]["allowed_updates"] == ["callback_query"]


def test_set_webhook_ends_a_long_poll(fake, receiver):
    poll: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: poll.append(api(fake, "getUpdates", timeout=3)))
    thread.start()
    until(lambda: fake._long_poll is not None)
    api(fake, "setWebhook", url=f"{receiver.url}/telegram")
    thread.join(2)
    assert poll[0].status_code == 409 and poll[0].json()["description"] == BY_SET_WEBHOOK


def test_refused_webhooks(fake):
    bad = api(fake, "setWebhook", url="https://danvan.example.org/telegram", secret_token="bí mật")
    assert bad.status_code == 400
    assert bad.json()["description"] == "Bad Request: secret token contains unallowed characters"
    assert api(fake, "setWebhook", url="ftp://danvan.example.org/").status_code == 400
    assert fake.webhook is None


def test_webhooks_are_off_by_default():
    with FakeTelegram() as fake:
        assert api(fake, "setWebhook", url="https://danvan.example.org/telegram").json()["result"] is True
        update_id = fake.message(42, "một")
        updates = api(fake, "getUpdates").json()["result"]
        assert [u["update_id"] for u in updates] == [update_id] and not fake.deliveries
        assert api(fake, "getWebhookInfo").json()["result"]["url"] == ""


# polling ----------------------------------------------------------------------------------


def overlapping_polls(fake: FakeTelegram, second_timeout: float) -> tuple[httpx.Response, httpx.Response]:
    """A long poll, and while it waits another getUpdates; both answers."""
    first: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: first.append(api(fake, "getUpdates", timeout=1)))
    thread.start()
    until(lambda: fake._long_poll is not None)
    second = api(fake, "getUpdates", timeout=second_timeout)
    thread.join(3)
    return first[0], second


def test_an_overlapping_long_poll_ends_the_first_with_409():
    with FakeTelegram(strict_polling=True) as fake:
        first, second = overlapping_polls(fake, 0.3)
        assert first.status_code == 409
        assert first.json() == {"ok": False, "error_code": 409, "description": OTHER_POLL}
        assert second.status_code == 200 and second.json()["result"] == []
        assert fake.conflicts == 1


def test_polls_one_after_another_or_at_once_are_no_conflict():
    with FakeTelegram(strict_polling=True) as fake:
        for _ in range(2):
            assert api(fake, "getUpdates", timeout=0.1).status_code == 200
        first, second = overlapping_polls(fake, 0)  # as PTB's last call at shutdown: it ends no poll
        assert first.status_code == second.status_code == 200 and fake.conflicts == 0


def test_a_cancelled_long_poll_is_no_conflict():
    with FakeTelegram(strict_polling=True) as fake:
        host, port = fake.base_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as gone:
            body = b'{"timeout": 5}'
            gone.sendall(f"POST /bot{TOKEN}/getUpdates HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            until(lambda: fake._long_poll is not None)
        assert api(fake, "getUpdates", timeout=0.1).status_code == 200
        time.sleep(0.1)
        assert fake.conflicts == 0


def test_overlapping_polls_are_allowed_by_default():
    with FakeTelegram() as fake:
        first, second = overlapping_polls(fake, 0.2)
        assert first.status_code == second.status_code == 200 and fake.conflicts == 0


# sending limits ------------------------------------------------------------------------------


def send(fake: FakeTelegram, chat_id: int, method: str = "sendMessage", **params: Any) -> httpx.Response:
    return api(fake, method, chat_id=chat_id, **({"text": "chào"} | params))


def test_a_burst_to_one_chat_then_429_with_retry_after():
    with FakeTelegram(limits=True) as fake:
        assert [send(fake, 42).status_code for _ in range(3)] == [200, 200, 200]
        refused = send(fake, 42)
        assert refused.status_code == 429
        assert refused.json() == {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                  "parameters": {"retry_after": 1}}
        assert send(fake, 43).status_code == 200  # another chat has its own allowance
        assert fake.too_many == 1 and fake.too_many_by_chat == {42: 1}
        assert [c.status for c in fake.sent(42)] == [200, 200, 200, 429]
        assert len(fake.messages_to(42)) == 3


def test_the_allowance_comes_back_with_time():
    with FakeTelegram() as fake:
        fake.enforce_limits(per_chat=5.0, chat_burst=1)
        assert send(fake, 42).status_code == 200
        assert send(fake, 42).status_code == 429
        time.sleep(0.25)
        assert send(fake, 42).status_code == 200
        # an edit counts in its chat
        assert send(fake, 42, "editMessageText", message_id=1).status_code == 429
        assert fake.too_many_by_chat[42] == 2


def test_a_group_gets_so_many_a_window():
    with FakeTelegram() as fake:
        fake.enforce_limits(per_chat=None, per_group_minute=2, group_window=0.5)
        assert [send(fake, -100).status_code for _ in range(3)] == [200, 200, 429]
        assert send(fake, 42).status_code == send(fake, 42).status_code == 200  # private chats are not groups
        time.sleep(0.51)
        assert send(fake, -100).status_code == 200
        assert fake.too_many_by_chat == {-100: 1}


def test_all_chats_together_get_so_many_a_second():
    with FakeTelegram() as fake:
        fake.enforce_limits(per_chat=None, global_per_second=3, global_window=0.5)
        assert [send(fake, chat).status_code for chat in (1, 2, 3, 4)] == [200, 200, 200, 429]
        assert send(fake, 1, "editMessageText", message_id=1).status_code == 200  # edits are not counted in all
        fake.limits = None
        assert send(fake, 5).status_code == 200
        assert fake.too_many == 1 and fake.too_many_by_chat == {4: 1}


def test_no_limits_by_default():
    with FakeTelegram() as fake:
        assert {send(fake, 42).status_code for _ in range(10)} == {200}
        assert fake.too_many == 0


# files -------------------------------------------------------------------------------------------


def png(width: int, height: int) -> bytes:
    """A PNG's signature and header chunk: enough for a photo's width and height."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + b"IHDR" + header
            + struct.pack(">I", zlib.crc32(b"IHDR" + header)))


def jpeg(width: int, height: int) -> bytes:
    """A JPEG's start, an APP0 segment and its start of frame."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"


def download(fake: FakeTelegram, file_path: str, token: str = TOKEN) -> httpx.Response:
    return httpx.get(f"{fake.base_url}/file/bot{token}/{quote(file_path)}", timeout=5.0)


def upload(fake: FakeTelegram, method: str, field: str, filename: str, content: bytes,
           **params: Any) -> httpx.Response:
    return httpx.post(f"{fake.base_url}/bot{TOKEN}/{method}", data={"chat_id": "42", **params},
                      files={field: (filename, content)}, timeout=5.0)


def test_an_added_file_is_described_and_downloaded():
    with FakeTelegram() as fake:
        fake.add_file("AgAC-don", b"%PDF-1.4 don", "documents/đơn thư.pdf")
        answer = api(fake, "getFile", file_id="AgAC-don").json()
        assert answer["ok"] is True
        assert answer["result"] == {"file_id": "AgAC-don", "file_unique_id": answer["result"]["file_unique_id"],
                                    "file_size": 12, "file_path": "documents/đơn thư.pdf"}
        got = download(fake, "documents/đơn thư.pdf")
        assert got.status_code == 200 and got.content == b"%PDF-1.4 don"
        assert got.headers["Content-Type"] == "application/octet-stream" and got.headers["Content-Length"] == "12"
        fake.add_file("AgAC-anh", b"anh")
        assert api(fake, "getFile", file_id="AgAC-anh").json()["result"]["file_path"] == "photos/AgAC-anh.jpg"
        assert fake.file("AgAC-anh") == b"anh" and fake.file("AgAC-khac") is None


def test_unknown_files_are_refused_as_on_telegram():
    with FakeTelegram() as fake:
        fake.add_file("AgAC-anh", b"anh")
        refused = api(fake, "getFile", file_id="AgAC-khac")
        assert refused.status_code == 400
        assert refused.json() == {"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"}
        assert fake.sent(method="getFile")[0].status == 400
        not_found = {"ok": False, "error_code": 404, "description": "Not Found"}
        for answer in (download(fake, "photos/khac.jpg"), download(fake, "photos/AgAC-anh.jpg", token="123:khac")):
            assert answer.status_code == 404 and answer.json() == not_found
        assert httpx.post(f"{fake.base_url}/file/bot{TOKEN}/photos/AgAC-anh.jpg").status_code == 404


def test_an_uploaded_document_is_kept_under_a_fresh_file_id():
    with FakeTelegram() as fake:
        content = b"ma,trang thai\nAB12,moi\n"
        answer = upload(fake, "sendDocument", "document", "phan-anh.csv", content, caption="Danh sách")
        document = answer.json()["result"]["document"]
        call = fake.sent(42, "sendDocument")[0]
        assert call.params["document"] == {"__file__": "phan-anh.csv", "size": 23}
        assert document == {"file_id": call.file_id, "file_unique_id": document["file_unique_id"],
                            "file_name": "phan-anh.csv", "mime_type": "text/csv", "file_size": 23}
        assert fake.file(call.file_id) == content
        described = api(fake, "getFile", file_id=call.file_id).json()["result"]
        assert described["file_path"].endswith(".csv") and download(fake, described["file_path"]).content == content
        again = upload(fake, "sendDocument", "document", "phan-anh.csv", content).json()["result"]["document"]
        assert again["file_id"] != call.file_id and again["file_unique_id"] != document["file_unique_id"]


@pytest.mark.parametrize("content, size", [(png(3, 2), (3, 2)), (jpeg(640, 480), (640, 480)),
                                           (b"not an image", PHOTO_SIZE)])
def test_an_uploaded_photo_comes_back_with_its_size(content, size):
    with FakeTelegram() as fake:
        photo = upload(fake, "sendPhoto", "photo", "anh.jpg", content).json()["result"]["photo"]
        file_id = fake.sent(42, "sendPhoto")[0].file_id
        assert photo == [{"file_id": file_id, "file_unique_id": photo[0]["file_unique_id"], "width": size[0],
                          "height": size[1], "file_size": len(content)}]
        assert fake.file(file_id) == content


def test_a_known_file_id_is_sent_with_its_photo_or_document_and_an_unknown_one_as_before():
    with FakeTelegram() as fake:
        fake.add_file("AgAC-anh", png(4, 4))
        fake.add_file("BQAC-don", b"don", "documents/don.pdf")
        photo = api(fake, "sendPhoto", chat_id=42, photo="AgAC-anh").json()["result"]["photo"]
        assert [(p["file_id"], p["width"]) for p in photo] == [("AgAC-anh", 4)]
        document = api(fake, "sendDocument", chat_id=42, document="BQAC-don").json()["result"]["document"]
        assert (document["file_id"], document["file_name"], document["mime_type"]) == (
            "BQAC-don", "don.pdf", "application/pdf")
        unknown = api(fake, "sendPhoto", chat_id=42, photo="PHOTO-1").json()["result"]
        assert "photo" not in unknown
        assert [c.file_id for c in fake.sent(42)] == ["AgAC-anh", "BQAC-don", None]


def test_an_empty_upload_is_refused_and_not_kept():
    with FakeTelegram() as fake:
        refused = upload(fake, "sendPhoto", "photo", "anh.jpg", b"")
        assert refused.status_code == 400
        assert refused.json()["description"] == "Bad Request: file must be non-empty"
        call = fake.sent(42, "sendPhoto")[0]
        assert call.status == 400 and call.file_id is None and not fake.messages_to(42)


async def test_a_bot_uploads_a_photo_and_downloads_it_again():
    content = png(2, 3)
    with FakeTelegram() as fake:
        bot = Bot(TOKEN, base_url=f"{fake.base_url}/bot", base_file_url=f"{fake.base_url}/file/bot")
        async with bot:
            message = await bot.send_photo(42, photo=content, caption="Ảnh hiện trường")
            largest = message.photo[-1]
            assert (largest.width, largest.height, largest.file_size) == (2, 3, len(content))
            kept = await bot.get_file(largest.file_id)
            assert kept.file_size == len(content)
            assert bytes(await kept.download_as_bytearray()) == content
            with pytest.raises(BadRequest, match="Invalid file_id"):
                await bot.get_file("AgAC-khong-co")
        assert fake.sent(42, "sendPhoto")[0].file_id == largest.file_id
