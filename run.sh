#!/usr/bin/env bash
# Run the assistant: the Telegram bot when TELEGRAM_BOT_TOKEN is set, otherwise
# the same assistant as a chat in this terminal.  Sets itself up on first use.
set -euo pipefail
cd "$(dirname "$0")"
# Again whenever pyproject.toml changed since (a new dependency reaches an existing .venv too).
if [ ! -x .venv/bin/danvan ] || [ pyproject.toml -nt .venv/.installed-danvan ]; then
  [ -d .venv ] || python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -e .
  touch .venv/.installed-danvan
fi
if [ -n "${TELEGRAM_BOT_TOKEN:-}" ]; then
  exec .venv/bin/danvan run "$@"
fi
exec .venv/bin/danvan chat "$@"
