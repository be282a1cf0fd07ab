"""Running a real Application in-process the way ``run_polling`` does, for tests and benchmarks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Update
from telegram.ext import Application


@asynccontextmanager
async def running(application: Application, poll_timeout: float = 0.5) -> AsyncIterator[Application]:
    """initialize, post_init, poll, start ... then stop, post_stop, shutdown, post_shutdown."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.updater.start_polling(poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES)
    await application.start()
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        if application.post_stop:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
