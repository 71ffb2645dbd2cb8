"""The SQLite writer commits queued units of work together, and each unit still stands alone."""

from __future__ import annotations

import asyncio
import tempfile
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from pyfastgpt.store.db import Database


@pytest.fixture
async def db() -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'g.db'}")
    await database.run_write(lambda conn: conn.execute(text("CREATE TABLE parents (id INTEGER PRIMARY KEY)")).close())
    await database.run_write(
        lambda conn: conn.execute(
            text(
                "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT UNIQUE, parent INTEGER"
                " REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED)"
            )
        ).close()
    )
    yield database
    await database.dispose()


def _insert(body: str, parent: int | None = None) -> object:
    def unit(conn: Connection) -> str:
        conn.execute(text("INSERT INTO notes (body, parent) VALUES (:b, :p)"), {"b": body, "p": parent})
        return body

    return unit


async def _bodies(db: Database) -> list[str]:
    return await db.run_read(lambda conn: [row[0] for row in conn.execute(text("SELECT body FROM notes ORDER BY id"))])


async def _queue_behind_a_blocked_unit(db: Database, units: list[object]) -> list[object]:
    """Hold the writer on one unit while `units` queue up, so they run as one batch."""
    gate = threading.Event()
    blocker = asyncio.ensure_future(db.run_write(lambda conn: gate.wait(10)))
    await asyncio.sleep(0.05)
    tasks = [asyncio.ensure_future(db.run_write(unit)) for unit in units]  # type: ignore[arg-type]
    await asyncio.sleep(0.05)
    gate.set()
    await blocker
    return list(await asyncio.gather(*tasks, return_exceptions=True))


async def test_waiting_units_are_committed_in_one_batch(db: Database) -> None:
    writer = db._writer
    before = (writer.batches, writer.units)
    results = await _queue_behind_a_blocked_unit(db, [_insert(f"n{i}") for i in range(20)])
    assert results == [f"n{i}" for i in range(20)]
    assert writer.units - before[1] == 21
    assert writer.batches - before[0] == 2  # the blocker, then the 20 that waited for it
    assert await _bodies(db) == [f"n{i}" for i in range(20)]


async def test_a_failing_unit_rolls_back_alone(db: Database) -> None:
    def half_then_fail(conn: Connection) -> None:
        conn.execute(text("INSERT INTO notes (body) VALUES ('half')"))
        raise ValueError("unit failed")

    results = await _queue_behind_a_blocked_unit(db, [_insert("a"), half_then_fail, _insert("a"), _insert("b")])
    assert results[0] == "a"
    assert isinstance(results[1], ValueError)
    assert "UNIQUE" in str(results[2])  # a constraint error reaches its own caller
    assert results[3] == "b"
    assert await _bodies(db) == ["a", "b"]


async def test_a_batch_that_cannot_commit_is_retried_unit_by_unit(db: Database) -> None:
    await db.run_write(lambda conn: conn.execute(text("INSERT INTO parents (id) VALUES (1)")).close())
    # The dangling reference only fails at COMMIT (deferred foreign key): the batch's commit fails,
    # then every unit runs on its own and only the guilty one is refused.
    results = await _queue_behind_a_blocked_unit(db, [_insert("ok1", 1), _insert("dangling", 99), _insert("ok2", 1)])
    assert results[0] == "ok1"
    assert "FOREIGN KEY" in str(results[1])
    assert results[2] == "ok2"
    assert await _bodies(db) == ["ok1", "ok2"]


async def test_a_cancelled_caller_does_not_stop_its_unit(db: Database) -> None:
    gate = threading.Event()
    blocker = asyncio.ensure_future(db.run_write(lambda conn: gate.wait(10)))
    await asyncio.sleep(0.05)
    waiting = asyncio.ensure_future(db.run_write(_insert("kept")))  # type: ignore[arg-type]
    await asyncio.sleep(0.01)
    waiting.cancel()
    gate.set()
    await blocker
    await db.run_write(lambda conn: None)  # the writer has moved past the cancelled caller's unit
    assert await _bodies(db) == ["kept"]
