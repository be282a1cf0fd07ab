"""Settings from the environment and an optional YAML file, validated once and frozen.

Environment: ``TELEGRAM_BOT_TOKEN``, ``TELEGRAM_API_BASE_URL`` (another Bot API server, e.g.
``http://127.0.0.1:8081``), ``DANVAN_DB`` (SQLite file) or ``DANVAN_DATABASE_URL`` (PostgreSQL,
shared by several processes), ``DANVAN_PROCESS_NAME`` (in the logs), ``DANVAN_CONFIG`` (YAML with
``admins`` and ``units``), and for webhook mode ``DANVAN_WEBHOOK_URL``, ``DANVAN_WEBHOOK_LISTEN``,
``DANVAN_WEBHOOK_PORT``, ``DANVAN_WEBHOOK_SECRET``; ``DANVAN_WEB_LISTEN`` and ``DANVAN_WEB_URL`` for the web dashboard;
``DANVAN_CONCURRENT_UPDATES`` (default 4) users
served at once; ``DANVAN_FLOOD_BURST`` (default 8) messages a user may send at once.  A bad setting
raises :class:`ConfigError` with one line, in Vietnamese (``bot/messages.py``), saying what to fix.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot import messages

_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    chat_id: int
    categories: tuple[str, ...]
    areas: tuple[str, ...] = ()
    staff: tuple[int, ...] = ()


@dataclass(frozen=True)
class Settings:
    token: str
    api_base_url: str | None = None
    db_path: Path = Path("danvan.db")
    database_url: str | None = None  # PostgreSQL shared by several processes (then db_path is not used)
    process_name: str = "danvan"  # in every log line, to tell the processes of one bot apart
    health_listen: str | None = None  # HOST:PORT for GET /health in polling mode (webhook mode: on its port)
    web_listen: str | None = None  # HOST:PORT of the web dashboard (bot/web/), in this process
    web_url: str | None = None  # the dashboard's public base URL, for the links /web gives
    admins: frozenset[int] = frozenset()
    units: tuple[Unit, ...] = ()
    holidays: frozenset[dt.date] = frozenset()  # local days off, beyond the national holidays (bot/workdays.py)
    working_days: frozenset[dt.date] = frozenset()  # weekend days worked in exchange for a day off (yearly swaps)
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = None
    concurrent_updates: int = 4  # users handled at once (a user's own updates stay in order)
    flood_burst: int = 8  # messages a user may send at once
    flood_per_second: float = 0.5  # then this many a second
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def store_target(self) -> str | Path:
        """What the store opens: the PostgreSQL URL when one is set, else the SQLite file."""
        return self.database_url or self.db_path

    @property
    def base_url(self) -> str | None:
        return f"{self.api_base_url}/bot" if self.api_base_url else None

    @property
    def base_file_url(self) -> str | None:
        return f"{self.api_base_url}/file/bot" if self.api_base_url else None


def _int_list(value: Any, where: str) -> tuple[int, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ConfigError(messages.CONFIG_ID_LIST.format(where=where))
    return tuple(value)


def _units(raw: Any, path: str) -> tuple[Unit, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(messages.CONFIG_UNITS_NOT_LIST.format(path=path))
    units, seen = [], set()
    for number, item in enumerate(raw, 1):
        where = f"{path}: units[{number}]"
        if not isinstance(item, dict):
            raise ConfigError(messages.CONFIG_UNIT_NOT_MAPPING.format(where=where))
        for key in ("id", "name", "chat_id", "categories"):
            if key not in item:
                raise ConfigError(messages.CONFIG_UNIT_KEY_MISSING.format(where=where, key=key))
        if not isinstance(item["chat_id"], int) or isinstance(item["chat_id"], bool):
            raise ConfigError(messages.CONFIG_UNIT_CHAT_ID.format(where=where))
        categories = item["categories"]
        if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
            raise ConfigError(messages.CONFIG_UNIT_CATEGORIES.format(where=where))
        areas = item.get("areas") or []
        if not isinstance(areas, list) or not all(isinstance(a, str) for a in areas):
            raise ConfigError(messages.CONFIG_UNIT_AREAS.format(where=where))
        if item["id"] in seen:
            raise ConfigError(messages.CONFIG_UNIT_DUPLICATE.format(where=where, id=item['id']))
        seen.add(item["id"])
        units.append(Unit(
            id=str(item["id"]), name=str(item["name"]), chat_id=item["chat_id"], categories=tuple(categories),
            areas=tuple(areas), staff=_int_list(item.get("staff"), f"{where}.staff"),
        ))
    return tuple(units)


def _holidays(raw: Any, where: str, key: str = "holidays") -> frozenset[dt.date]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list):
        raise ConfigError(messages.CONFIG_HOLIDAYS_NOT_LIST.format(where=where, key=key))
    days = set()
    for value in raw:
        if isinstance(value, dt.date):
            days.add(value)
            continue
        try:
            days.add(dt.date.fromisoformat(str(value)))
        except ValueError:
            raise ConfigError(messages.CONFIG_HOLIDAY_NOT_DATE.format(where=where, value=value)) from None
    return frozenset(days)


def load_config_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(messages.CONFIG_FILE_MISSING.format(path=path))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date YAML reads itself, such as 2025-13-01
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", exc)
        raise ConfigError(messages.CONFIG_FILE_BAD_YAML.format(where=where, problem=problem)) from None
    if not isinstance(data, dict):
        raise ConfigError(messages.CONFIG_FILE_NOT_MAPPING.format(path=path))
    unknown = set(data) - {"admins", "units", "holidays", "working_days"}
    if unknown:
        keys = ", ".join(repr(key) for key in sorted(unknown))
        raise ConfigError(messages.CONFIG_FILE_UNKNOWN_KEYS.format(path=path, keys=keys))
    return data


def load_settings(env: Mapping[str, str] | None = None, require_token: bool = True) -> Settings:
    env = os.environ if env is None else env
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if require_token and not token:
        raise ConfigError(messages.CONFIG_TOKEN_MISSING)
    if token and not _TOKEN.match(token):
        raise ConfigError(messages.CONFIG_TOKEN_MALFORMED)
    base = env.get("TELEGRAM_API_BASE_URL", "").strip().rstrip("/") or None
    if base and not re.match(r"^https?://[^\s/]+", base):
        raise ConfigError(messages.CONFIG_API_BASE_URL.format(value=base))
    config: dict[str, Any] = {}
    config_path = env.get("DANVAN_CONFIG", "").strip()
    if config_path:
        config = load_config_file(Path(config_path))
    where = config_path or "config"
    webhook_url = env.get("DANVAN_WEBHOOK_URL", "").strip() or None
    if webhook_url and not webhook_url.startswith("https://"):
        raise ConfigError(messages.CONFIG_WEBHOOK_URL)
    port_text = env.get("DANVAN_WEBHOOK_PORT", "8443").strip()
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(messages.CONFIG_WEBHOOK_PORT.format(value=port_text))
    secret = env.get("DANVAN_WEBHOOK_SECRET", "").strip() or None
    if secret and not _SECRET.match(secret):
        raise ConfigError(messages.CONFIG_WEBHOOK_SECRET_CHARS)
    if webhook_url and not secret:  # else anyone who finds the URL can post updates in an admin's name
        raise ConfigError(messages.CONFIG_WEBHOOK_SECRET_MISSING)
    database_url = env.get("DANVAN_DATABASE_URL", "").strip() or None
    if database_url and not re.match(r"^postgres(ql)?://\S+$", database_url):
        raise ConfigError(messages.CONFIG_DATABASE_URL)
    health_listen = env.get("DANVAN_HEALTH_LISTEN", "").strip() or None
    if health_listen and not re.match(r"^[^\s:]*:\d{1,5}$", health_listen):
        raise ConfigError(messages.CONFIG_HEALTH_LISTEN.format(value=health_listen))
    web_listen = env.get("DANVAN_WEB_LISTEN", "").strip() or None
    if web_listen and not re.match(r"^[^\s:]*:\d{1,5}$", web_listen):
        raise ConfigError(messages.CONFIG_WEB_LISTEN.format(value=web_listen))
    web_url = env.get("DANVAN_WEB_URL", "").strip().rstrip("/") or None
    if web_url and not re.match(r"^https?://[^\s/]+(/\S*)?$", web_url):
        raise ConfigError(messages.CONFIG_WEB_URL.format(value=web_url))
    if web_listen and not web_url:  # the links /web gives must reach this listener: said, not guessed
        raise ConfigError(messages.CONFIG_WEB_URL_MISSING)
    burst = env.get("DANVAN_FLOOD_BURST", "8").strip()
    if not burst.isdigit() or int(burst) < 1:
        raise ConfigError(messages.CONFIG_FLOOD_BURST.format(value=burst))
    concurrency = env.get("DANVAN_CONCURRENT_UPDATES", "4").strip()
    if not concurrency.isdigit() or not 1 <= int(concurrency) <= 256:
        raise ConfigError(messages.CONFIG_CONCURRENT_UPDATES.format(value=concurrency))
    admins = frozenset(_int_list(config.get("admins"), f"{where}: 'admins'"))
    units = _units(config.get("units"), where)
    if units and not admins:  # else a petition no unit takes, or a denunciation, would reach nobody
        raise ConfigError(messages.CONFIG_UNITS_WITHOUT_ADMINS.format(where=where))
    return Settings(
        token=token,
        concurrent_updates=int(concurrency),
        flood_burst=int(burst),
        api_base_url=base,
        db_path=Path(env.get("DANVAN_DB", "").strip() or "danvan.db"),
        database_url=database_url,
        health_listen=health_listen,
        web_listen=web_listen,
        web_url=web_url,
        process_name=env.get("DANVAN_PROCESS_NAME", "").strip() or f"{socket.gethostname()}-{os.getpid()}",
        admins=admins,
        units=units,
        holidays=_holidays(config.get("holidays"), where),
        working_days=_holidays(config.get("working_days"), where, "working_days"),
        webhook_url=webhook_url,
        webhook_listen=env.get("DANVAN_WEBHOOK_LISTEN", "0.0.0.0").strip() or "0.0.0.0",
        webhook_port=int(port_text),
        webhook_secret=secret,
    )
