"""The Telegram layer: the only part of the project that imports ``telegram``."""
