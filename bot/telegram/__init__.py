"""The Telegram layer: the only part of the project that imports ``telegram``."""

import os

# Opt in to PTB's future behaviour: durations (RetryAfter.retry_after...) as timedelta, without the
# deprecation warning the current default emits on every access.
os.environ.setdefault("PTB_TIMEDELTA", "1")
