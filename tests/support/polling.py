"""Waiting in async tests for something another task or process makes happen (a notification, a reconnect)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def until(condition: Callable[[], bool], what: str, *, limit_s: float = 5.0) -> None:
    """Return once `condition()` holds; fail with `what` if it has not within `limit_s`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit_s
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"never happened: {what}")
        await asyncio.sleep(0.01)
