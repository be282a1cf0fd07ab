from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.assistant import Assistant

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def assistant() -> Assistant:
    return Assistant.load(ROOT / "content", ROOT / "intents")


@pytest.fixture(scope="session")
def postgres():
    """One throwaway PostgreSQL server for the whole run (a database of its own per test)."""
    from bot.testing.postgres import PostgresServer, binaries

    if binaries() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: .ci/run installs Debian's postgresql")
        pytest.skip("PostgreSQL is not installed (apt-get install -y postgresql); bash test.sh installs it as root")
    with PostgresServer() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> str:
    """Where a store lives, on each engine: a fresh SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("postgres").new_database()
