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
exec .venv/bin/python -m pytest -q "$@"
