"""Trợ lý công tác dân vận: knowledge base, matching and the Telegram bot."""

__version__ = "0.1.0"
