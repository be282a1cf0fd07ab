"""Test helpers shared by tests/ and bench/: a fake Telegram Bot API server."""
