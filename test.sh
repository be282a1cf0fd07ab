#!/usr/bin/env bash
# Run the test suite.  Sets up .venv with the test dependencies on first use.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/pytest ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -e ".[test]"
fi
exec .venv/bin/python -m pytest -q "$@"
