"""The share-link QPM limit counted in the database (`services/share/limits.py`), on both backends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Connection, text

from pyfastgpt.core.errors import TooManyRequests
from pyfastgpt.services.share.limits import SWEEP_EVERY_S, WINDOW_S, QpmLimiter
from pyfastgpt.store.db import Database
from tests.support.databases import migrated_database


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "pg"])
async def db(request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    async with migrated_database(request) as database:
        yield database


async def rows(db: Database) -> dict[str, int]:
    def read(conn: Connection) -> dict[str, int]:
        result = conn.execute(text("SELECT event_id, amount FROM frequency_limits"))
        return {str(event): int(amount) for event, amount in result}

    return await db.run_read(read)


async def test_a_window_holds_qpm_requests_per_link_and_ip(db: Database) -> None:
    clock = Clock()
    limiter = QpmLimiter(db, clock)
    await limiter.check("link", "10.0.0.1", 2)
    clock.now += 30
    await limiter.check("link", "10.0.0.1", 2)
    with pytest.raises(TooManyRequests) as refused:
        await limiter.check("link", "10.0.0.1", 2)
    assert refused.value.headers == {"Retry-After": "30"}  # the window opened by the first request ends then
    await limiter.check("link", "10.0.0.2", 2)  # another client, another counter
    await limiter.check("other", "10.0.0.1", 2)  # another link too
    clock.now += 30  # the first window has ended: a new one opens
    await limiter.check("link", "10.0.0.1", 2)
    assert (await rows(db))["outlink-qpm:link:10.0.0.1"] == 1


async def test_qpm_zero_is_unlimited_and_counts_nothing(db: Database) -> None:
    limiter = QpmLimiter(db, Clock())
    for _ in range(5):
        await limiter.check("free", "10.0.0.1", 0)
    assert await rows(db) == {}


async def test_concurrent_requests_get_exactly_qpm_passes(db: Database) -> None:
    limiter = QpmLimiter(db, Clock())

    async def attempt() -> bool:
        try:
            await limiter.check("busy", "10.0.0.1", 10)
        except TooManyRequests:
            return False
        return True

    outcomes = await asyncio.gather(*(attempt() for _ in range(25)))
    assert outcomes.count(True) == 10
    assert (await rows(db))["outlink-qpm:busy:10.0.0.1"] == 25


async def test_ended_windows_are_swept(db: Database) -> None:
    clock = Clock()
    limiter = QpmLimiter(db, clock)
    await limiter.check("old", "10.0.0.1", 5)
    clock.now += WINDOW_S + 1
    await limiter.check("new", "10.0.0.1", 5)  # within the sweep interval: nothing is swept yet
    assert set(await rows(db)) == {"outlink-qpm:old:10.0.0.1", "outlink-qpm:new:10.0.0.1"}
    clock.now += SWEEP_EVERY_S
    await limiter.check("newest", "10.0.0.1", 5)
    assert set(await rows(db)) == {"outlink-qpm:newest:10.0.0.1"}
