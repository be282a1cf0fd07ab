"""Where the knowledge lives: ``content/`` and ``intents/`` of the checkout, or installed with the
package, or as configured."""

from __future__ import annotations

import os
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


_INSTALLED = Path(__file__).resolve().parent  # `pip install .` puts content/ at bot/_content (pyproject.toml)


def _find(env: str, name: str) -> Path:
    """The configured folder; else the checkout's; else the one installed with the package; else ./name."""
    configured = os.environ.get(env)
    if configured:
        return Path(configured)
    for folder in (_ROOT / name, _INSTALLED / f"_{name}", Path.cwd() / name):
        if folder.is_dir():
            return folder
    return _ROOT / name


def content_dir() -> Path:
    return _find("DANVAN_CONTENT_DIR", "content")


def intents_dir() -> Path:
    return _find("DANVAN_INTENTS_DIR", "intents")
