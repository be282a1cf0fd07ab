"""The aiohttp transport: what reaches Telegram, and how failures come back to python-telegram-bot."""

from __future__ import annotations

import socket
import time

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.telegram.request import AiohttpRequest
from bot.testing.fake_telegram import TOKEN, FakeTelegram

CHAT = 4242


@pytest.fixture
def fake():
    with FakeTelegram() as server:
        yield server


def bot_for(base_url: str, **options) -> Bot:
    return Bot(TOKEN, base_url=f"{base_url}/bot", request=AiohttpRequest(**options))


async def test_text_buttons_and_markup_arrive_intact(fake):
    async with bot_for(fake.base_url) as bot:
        text = "Đồng chí hỏi về <b>“5 không”</b> &amp; quy chế dân chủ"
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("👍 Hữu ích", callback_data="v:1")]])
        message = await bot.send_message(CHAT, text, parse_mode="HTML", reply_markup=keyboard)
    call = fake.sent(CHAT, "sendMessage")[0]
    assert call.params["text"] == text and call.params["parse_mode"] == "HTML"
    assert call.buttons == [("👍 Hữu ích", "v:1")]
    assert message.chat.id == CHAT and message.message_id  # Telegram's answer parsed back by PTB


async def test_a_file_goes_as_a_multipart_upload(fake):
    async with bot_for(fake.base_url) as bot:
        await bot.send_document(CHAT, document=b"ma,trang thai\nAB12,moi\n", filename="phan-anh.csv",
                                caption="Danh sách phản ánh")
    call = fake.sent(CHAT, "sendDocument")[0]
    assert call.params["document"] == {"__file__": "phan-anh.csv", "size": 23}
    assert call.params["caption"] == "Danh sách phản ánh"


async def test_telegram_errors_keep_their_meaning(fake):
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    fake.fail_next("sendMessage", 400, "Bad Request: chat not found")
    async with bot_for(fake.base_url) as bot:
        with pytest.raises(RetryAfter) as retry:
            await bot.send_message(CHAT, "một")
        assert retry.value.retry_after.total_seconds() == 7
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.send_message(CHAT, "hai")


async def test_an_answer_that_never_comes_is_a_timeout(fake):
    fake.fail_next("sendMessage", 0, "", seconds=3)  # the fake says nothing for 3 s
    async with bot_for(fake.base_url, read_timeout=0.5) as bot:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "có ai không?")
        assert time.monotonic() - started < 2.5


async def test_nobody_listening_is_a_network_error():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError):
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()
