"""Settings from the environment and an optional YAML file, validated once and frozen.

Environment: ``TELEGRAM_BOT_TOKEN``, ``TELEGRAM_API_BASE_URL`` (another Bot API
server, e.g. ``http://127.0.0.1:8081``), ``DANVAN_DB`` (SQLite file),
``DANVAN_CONFIG`` (YAML with ``admins`` and ``units``), and for webhook mode
``DANVAN_WEBHOOK_URL``, ``DANVAN_WEBHOOK_LISTEN``, ``DANVAN_WEBHOOK_PORT``,
``DANVAN_WEBHOOK_SECRET``; ``DANVAN_CONCURRENT_UPDATES`` (default 4) users
served at once; ``DANVAN_FLOOD_BURST`` (default 8) messages a user may send at once.  A bad setting raises :class:`ConfigError` with one
line saying what to fix.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

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
    admins: frozenset[int] = frozenset()
    units: tuple[Unit, ...] = ()
    holidays: frozenset[dt.date] = frozenset()  # local days off, beyond the national holidays (bot/workdays.py)
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = None
    concurrent_updates: int = 4  # users handled at once (a user's own updates stay in order)
    flood_burst: int = 8  # messages a user may send at once
    flood_per_second: float = 0.5  # then this many a second
    extra: Mapping[str, Any] = field(default_factory=dict)

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
        raise ConfigError(f"{where} must be a list of Telegram numeric ids")
    return tuple(value)


def _units(raw: Any, path: str) -> tuple[Unit, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: 'units' must be a list")
    units, seen = [], set()
    for number, item in enumerate(raw, 1):
        where = f"{path}: units[{number}]"
        if not isinstance(item, dict):
            raise ConfigError(f"{where} must be a mapping with id, name, chat_id, categories")
        for key in ("id", "name", "chat_id", "categories"):
            if key not in item:
                raise ConfigError(f"{where} lacks '{key}'")
        if not isinstance(item["chat_id"], int) or isinstance(item["chat_id"], bool):
            raise ConfigError(f"{where}.chat_id must be a Telegram chat id (a number)")
        categories = item["categories"]
        if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
            raise ConfigError(f"{where}.categories must be a list of category ids")
        areas = item.get("areas") or []
        if not isinstance(areas, list) or not all(isinstance(a, str) for a in areas):
            raise ConfigError(f"{where}.areas must be a list of area names")
        if item["id"] in seen:
            raise ConfigError(f"{where}: unit id '{item['id']}' is used twice")
        seen.add(item["id"])
        units.append(Unit(
            id=str(item["id"]), name=str(item["name"]), chat_id=item["chat_id"], categories=tuple(categories),
            areas=tuple(areas), staff=_int_list(item.get("staff"), f"{where}.staff"),
        ))
    return tuple(units)


def _holidays(raw: Any, where: str) -> frozenset[dt.date]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: 'holidays' must be a list of dates (YYYY-MM-DD)")
    days = set()
    for value in raw:
        if isinstance(value, dt.date):
            days.add(value)
            continue
        try:
            days.add(dt.date.fromisoformat(str(value)))
        except ValueError:
            raise ConfigError(f"{where}: holiday {value!r} is not a date (YYYY-MM-DD)") from None
    return frozenset(days)


def load_config_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(f"DANVAN_CONFIG points at {path}, which is not a file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with 'admins' and 'units'")
    unknown = set(data) - {"admins", "units", "holidays"}
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {sorted(unknown)}; expected 'admins', 'units', 'holidays'")
    return data


def load_settings(env: Mapping[str, str] | None = None, require_token: bool = True) -> Settings:
    env = os.environ if env is None else env
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if require_token and not token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: give the bot token from @BotFather (or run 'danvan chat')")
    if token and not _TOKEN.match(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token ('123456:ABC...')")
    base = env.get("TELEGRAM_API_BASE_URL", "").strip().rstrip("/") or None
    if base and not re.match(r"^https?://[^\s/]+", base):
        raise ConfigError(f"TELEGRAM_API_BASE_URL must be an http(s) URL such as http://127.0.0.1:8081, not {base!r}")
    config: dict[str, Any] = {}
    config_path = env.get("DANVAN_CONFIG", "").strip()
    if config_path:
        config = load_config_file(Path(config_path))
    where = config_path or "config"
    webhook_url = env.get("DANVAN_WEBHOOK_URL", "").strip() or None
    if webhook_url and not webhook_url.startswith("https://"):
        raise ConfigError("DANVAN_WEBHOOK_URL must be an https:// URL (Telegram only calls https webhooks)")
    port_text = env.get("DANVAN_WEBHOOK_PORT", "8443").strip()
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"DANVAN_WEBHOOK_PORT must be a port number, not {port_text!r}")
    secret = env.get("DANVAN_WEBHOOK_SECRET", "").strip() or None
    if secret and not _SECRET.match(secret):
        raise ConfigError("DANVAN_WEBHOOK_SECRET may only hold letters, digits, '_' and '-' (1-256 characters)")
    if webhook_url and not secret:  # else anyone who finds the URL can post updates in an admin's name
        raise ConfigError("DANVAN_WEBHOOK_SECRET is required with DANVAN_WEBHOOK_URL (letters, digits, '_' and '-')")
    burst = env.get("DANVAN_FLOOD_BURST", "8").strip()
    if not burst.isdigit() or int(burst) < 1:
        raise ConfigError(f"DANVAN_FLOOD_BURST must be a positive number, not {burst!r}")
    concurrency = env.get("DANVAN_CONCURRENT_UPDATES", "4").strip()
    if not concurrency.isdigit() or not 1 <= int(concurrency) <= 256:
        raise ConfigError(f"DANVAN_CONCURRENT_UPDATES must be a number from 1 to 256, not {concurrency!r}")
    admins = frozenset(_int_list(config.get("admins"), f"{where}: 'admins'"))
    units = _units(config.get("units"), where)
    if units and not admins:  # else a petition no unit takes, or a denunciation, would reach nobody
        raise ConfigError(f"{where}: 'units' are set but 'admins' is empty; petitions no unit takes and "
                          "denunciations go to the admins, so list at least one admin's Telegram id")
    return Settings(
        token=token,
        concurrent_updates=int(concurrency),
        flood_burst=int(burst),
        api_base_url=base,
        db_path=Path(env.get("DANVAN_DB", "").strip() or "danvan.db"),
        admins=admins,
        units=units,
        holidays=_holidays(config.get("holidays"), where),
        webhook_url=webhook_url,
        webhook_listen=env.get("DANVAN_WEBHOOK_LISTEN", "0.0.0.0").strip() or "0.0.0.0",
        webhook_port=int(port_text),
        webhook_secret=secret,
    )
