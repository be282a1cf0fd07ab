#!/usr/bin/env bash
# Run the test suite.  Sets up .venv with the test dependencies on first use.
set -euo pipefail
cd "$(dirname "$0")"
# Again whenever pyproject.toml changed since (a new dependency reaches an existing .venv too).
if [ ! -x .venv/bin/pytest ] || [ pyproject.toml -nt .venv/.installed-pytest ]; then
  [ -d .venv ] || python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -e ".[test]"
  touch .venv/.installed-pytest
fi
# Debian packages some tests need, installed when missing and this shell may (as root, as CI runs);
# otherwise those tests are skipped with a note: postgresql, for the store's tests on PostgreSQL too
# (a throwaway cluster per run), and chromium, which the dashboard's browser tests drive
# (Playwright cannot download its own browser here).
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# One worker per core (pytest-xdist): each has its own throwaway PostgreSQL cluster and free ports.
exec .venv/bin/python -m pytest -q -n auto "$@"
