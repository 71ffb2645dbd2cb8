from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from sqlalchemy import func, select, text

from pyfastgpt.store import migrate
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import SystemSetting, Team


async def _fresh_sqlite() -> Database:
    url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'w.db'}"
    await migrate.upgrade(url)
    return Database(url)


def test_sqlite_is_in_wal_mode_and_readers_are_read_only() -> None:
    async def check() -> tuple[str, str]:
        db = await _fresh_sqlite()
        try:
            async with db.read() as session:
                mode = (await session.execute(text("PRAGMA journal_mode"))).scalar_one()
                try:
                    await session.execute(
                        text("INSERT INTO teams (id, name, create_time) VALUES ('x', 'y', '2020-01-01')")
                    )
                except Exception as exc:  # the reader pool refuses writes
                    refused = type(exc).__name__
                else:
                    refused = "allowed"
            return str(mode), refused
        finally:
            await db.dispose()

    mode, refused = asyncio.run(check())
    assert mode == "wal"
    assert refused != "allowed"


def test_concurrent_writers_are_serialised_without_lock_errors() -> None:
    async def hammer() -> int:
        db = await _fresh_sqlite()

        async def one(i: int) -> None:
            async with db.write() as session:
                session.add(Team(name=f"team {i}"))
                await session.flush()
                # a read-modify-write inside the transaction must see a consistent counter
                row = await session.get(SystemSetting, "counter")
                if row is None:
                    session.add(SystemSetting(key="counter", value={"n": 1}))
                else:
                    row.value = {"n": int(row.value["n"]) + 1}

        try:
            await asyncio.gather(*(one(i) for i in range(200)))
            async with db.read() as session:
                teams = (await session.execute(select(func.count()).select_from(Team))).scalar_one()
                counter = await session.get(SystemSetting, "counter")
            assert counter is not None
            assert counter.value["n"] == 200
            return int(teams)
        finally:
            await db.dispose()

    assert asyncio.run(hammer()) == 200


def test_failed_write_rolls_back() -> None:
    async def run() -> int:
        db = await _fresh_sqlite()
        try:
            try:
                async with db.write() as session:
                    session.add(Team(name="doomed"))
                    await session.flush()
                    raise RuntimeError("boom")
            except RuntimeError:
                pass
            async with db.read() as session:
                return int((await session.execute(select(func.count()).select_from(Team))).scalar_one())
        finally:
            await db.dispose()

    assert asyncio.run(run()) == 0
