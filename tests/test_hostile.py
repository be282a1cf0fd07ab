"""Hostile input: random Unicode, huge messages, control and right-to-left characters, markup.

No exception escapes, every reply is valid for Telegram (HTML, length), and
buttons stay within 64 bytes.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.telegram import render
from bot.testing.fake_telegram import html_error, utf16_len
from bot.text import fold, tokens

NASTY = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from("<>&\"'*_`[]()~#+-=|{}.!\\/\u200b\u200d\u202e\u2066\ufeff\x00\x1b 🙂👍🏽ĐđẫẪ"),
            max_size=200),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=5000, max_size=10000),
)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(NASTY)
@example("𝐀 𝐱𝐢𝐧 𝐜𝐡𝐚̀𝐨")  # letters from "bold font" keyboard apps: found by hypothesis in CI
@example("ＭＴＴＱ ｋｏ")  # full-width
def test_the_normaliser_never_fails_and_folds_to_plain_lower_ascii_words(text):
    folded = fold(text)
    assert folded == folded.strip()
    assert all(tok and " " not in tok for tok in tokens(text))
    assert not any(ch.isupper() for ch in folded)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(NASTY)
def test_any_text_gets_a_reply_telegram_accepts(assistant, text):
    reply = assistant.ask(text)
    assert reply.kind in ("answer", "clarify", "smalltalk", "fallback") and reply.answer
    for chunk in render.reply_html(reply):
        assert html_error(chunk) is None
        assert utf16_len(chunk) <= render.MAX_MESSAGE


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=20000))
def test_splitting_keeps_every_piece_within_a_message_and_loses_only_whitespace(text):
    pieces = render.split_plain(text)
    assert all(utf16_len(render.escape(p)) <= render.MAX_MESSAGE for p in pieces)
    assert "".join(pieces).split() == text.split() or "".join("".join(pieces).split()) == "".join(text.split())


def test_every_button_the_bot_can_build_fits_in_64_bytes(assistant):
    for intent_id in assistant.intents:
        reply = assistant.answer_intent(intent_id)
        markup = render.answer_keyboard(reply, assistant, back_theme=99)
        for row in markup.inline_keyboard:
            for button in row:
                assert len(button.callback_data.encode()) <= 64


def random_texts(count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    pool = "<>&*_`[]()~#+-=|{}.!\u200b\u202e🙂ĐđẫabcdeKHÔNG mttq ubnd 5 không "
    return ["".join(rng.choice(pool) for _ in range(rng.randint(1, 400))) for _ in range(count)]
