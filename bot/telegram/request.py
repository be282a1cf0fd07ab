"""The Bot API over aiohttp: python-telegram-bot's documented way to swap its networking.

PTB talks HTTP through httpx by default.  Measured on the benchmark harness
(``bench/bench_bot.py``), one Bot API call costs about 1 ms of this process's
CPU through httpx and a quarter of that through aiohttp, whose HTTP parser is
written in C; every answer is at least one call, so this is most of what a
message costs.  Parameters go as a JSON body (Python percent-encodes a form one
byte at a time, and Vietnamese text is mostly multi-byte characters); uploads
go as multipart forms.

Timeouts keep PTB's meaning: ``connect`` covers waiting for a free connection
(``pool``) and opening one, ``read`` the wait for Telegram's answer.  aiohttp
has no separate write timeout: a request body is at most a few megabytes and
the read timeout starts once it is written.
"""

from __future__ import annotations

import asyncio
import json

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

DEFAULTS = {"read": 5.0, "connect": 5.0, "pool": 1.0}  # PTB's own defaults (seconds)
_DEFAULT = type(BaseRequest.DEFAULT_NONE)


class AiohttpRequest(BaseRequest):
    def __init__(self, connection_pool_size: int = 8, read_timeout: float | None = DEFAULTS["read"],
                 connect_timeout: float | None = DEFAULTS["connect"], pool_timeout: float | None = DEFAULTS["pool"]) -> None:
        self._pool_size = connection_pool_size
        self._timeouts = {"read": read_timeout, "connect": connect_timeout, "pool": pool_timeout}
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
            self._session = aiohttp.ClientSession(connector=connector, headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(  # type: ignore[override]
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=BaseRequest.DEFAULT_NONE,
        write_timeout=BaseRequest.DEFAULT_NONE,
        connect_timeout=BaseRequest.DEFAULT_NONE,
        pool_timeout=BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        # A call that sets no timeout of its own passes one of PTB's default values (BaseRequest.DEFAULT_NONE
        # is the public one; its class is private to PTB, so it is taken from there)
        read = self._timeouts["read"] if isinstance(read_timeout, _DEFAULT) else read_timeout
        connect = self._timeouts["connect"] if isinstance(connect_timeout, _DEFAULT) else connect_timeout
        pool = self._timeouts["pool"] if isinstance(pool_timeout, _DEFAULT) else pool_timeout
        timeout = aiohttp.ClientTimeout(
            total=None, sock_read=read, sock_connect=connect,
            connect=None if connect is None or pool is None else connect + pool,
        )
        body: bytes | aiohttp.FormData | None = None
        headers: dict[str, str] = {}
        if request_data is not None and request_data.contains_files:
            body = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                body.add_field(name, value)
            for name, (filename, content, mimetype) in request_data.multipart_data.items():
                body.add_field(name, content, filename=filename, content_type=mimetype)
        elif request_data is not None:
            body = json.dumps(request_data.parameters, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        try:
            async with self._session.request(method, url, data=body, headers=headers, timeout=timeout) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as err:
            raise TimedOut("Timed out connecting (or waiting for a free connection): the request was not sent") from err
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err
