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
# The store's tests run on PostgreSQL too (a throwaway cluster per run): Debian's package, when
# missing and this shell may install it (as root, as CI runs); otherwise those tests are skipped.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
exec .venv/bin/python -m pytest -q "$@"
