from __future__ import annotations

from pathlib import Path

import pytest

from bot.assistant import Assistant

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def assistant() -> Assistant:
    return Assistant.load(ROOT / "content", ROOT / "intents")
