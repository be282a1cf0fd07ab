"""Where the knowledge lives: ``content/`` and ``intents/`` beside the package, or as configured."""

from __future__ import annotations

import os
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


def _find(env: str, name: str) -> Path:
    configured = os.environ.get(env)
    if configured:
        return Path(configured)
    for base in (_ROOT, Path.cwd()):
        if (base / name).is_dir():
            return base / name
    return _ROOT / name


def content_dir() -> Path:
    return _find("DANVAN_CONTENT_DIR", "content")


def intents_dir() -> Path:
    return _find("DANVAN_INTENTS_DIR", "intents")
