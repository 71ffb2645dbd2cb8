from __future__ import annotations

import asyncio
import tempfile
import threading
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from pyfastgpt.store import migrate
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import SystemSetting, Team
from tests.support.pg import ThrowawayPostgres


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


def test_short_sqlite_reads_run_on_the_loop_and_see_committed_writes() -> None:
    async def check() -> tuple[bool, bool, int, str]:
        db = await _fresh_sqlite()
        try:
            loop_thread = threading.get_ident()
            await db.run_write(
                lambda conn: conn.execute(text("INSERT INTO teams (id, name, create_time) VALUES ('t', 'n', '2020')"))
            )

            def read(conn: Connection) -> tuple[int, int]:
                return threading.get_ident(), int(conn.execute(text("SELECT COUNT(*) FROM teams")).scalar_one())

            (short_thread, seen), (other_thread, _) = await db.run_read(read, short=True), await db.run_read(read)
            try:
                await db.run_read(lambda conn: conn.execute(text("INSERT INTO teams (id) VALUES ('x')")), short=True)
            except Exception as exc:  # still a reader connection
                refused = type(exc).__name__
            else:
                refused = "allowed"
            return short_thread == loop_thread, other_thread == loop_thread, seen, refused
        finally:
            await db.dispose()

    on_loop, other_on_loop, seen, refused = asyncio.run(check())
    assert on_loop and not other_on_loop
    assert seen == 1
    assert refused != "allowed"


def test_sqlite_read_sessions_hold_one_snapshot_and_never_inherit_a_leaked_transaction() -> None:
    """A read session begins a transaction (its statements see one snapshot, a write committed between them is
    not seen); the read pool does not roll back on return, so a connection that comes back still inside a
    transaction is rolled back by the next session's BEGIN instead of failing it or serving a stale snapshot."""

    async def count(session: AsyncSession) -> int:
        return int((await session.execute(text("SELECT COUNT(*) FROM teams"))).scalar_one())

    async def check() -> tuple[int, int, int, int]:
        db = await _fresh_sqlite()
        insert = "INSERT INTO teams (id, name, create_time) VALUES (:id, 'n', '2020')"
        try:
            async with db.read() as session:
                before = await count(session)
                await db.run_write(lambda conn: conn.execute(text(insert), {"id": "a"}))
                within = await count(session)
            async with db.read_engine.connect() as conn:  # left inside a transaction, as a cancelled close can
                raw = await conn.get_raw_connection()
                await raw.driver_connection.execute_fetchall("BEGIN")
                await raw.driver_connection.execute_fetchall("SELECT COUNT(*) FROM teams")
            await db.run_write(lambda conn: conn.execute(text(insert), {"id": "b"}))
            async with db.read() as session:
                after = await count(session)
            async with db.read() as session:
                again = await count(session)
            return before, within, after, again
        finally:
            await db.dispose()

    assert asyncio.run(check()) == (0, 0, 2, 2)


def test_concurrent_writers_are_serialised_without_lock_errors() -> None:
    async def hammer() -> int:
        db = await _fresh_sqlite()

        def unit(session: Session, i: int) -> None:
            session.add(Team(name=f"team {i}"))
            session.flush()
            # a read-modify-write inside the transaction must see a consistent counter
            row = session.get(SystemSetting, "counter")
            if row is None:
                session.add(SystemSetting(key="counter", value={"n": 1}))
            else:
                row.value = {"n": int(row.value["n"]) + 1}

        async def one(i: int) -> None:
            await db.run_write_session(lambda session: unit(session, i))

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

            def doomed(session: Session) -> None:
                session.add(Team(name="doomed"))
                session.flush()
                raise RuntimeError("boom")

            with pytest.raises(RuntimeError, match="boom"):
                await db.run_write_session(doomed)
            async with db.read() as session:
                return int((await session.execute(select(func.count()).select_from(Team))).scalar_one())
        finally:
            await db.dispose()

    assert asyncio.run(run()) == 0


def test_session_units_return_loaded_rows_and_roll_back_alone() -> None:
    """A unit's ORM objects stay readable after it; a failing unit in a batch loses only its own rows."""

    async def run() -> tuple[list[str], int]:
        db = await _fresh_sqlite()
        try:

            def create(session: Session, name: str) -> Team:
                team = Team(name=name)
                session.add(team)
                session.flush()
                if name == "bad":
                    raise ValueError(name)
                return team

            outcomes = await asyncio.gather(
                *(db.run_write_session(lambda s, n=n: create(s, n)) for n in ("a", "bad", "c")),
                return_exceptions=True,
            )
            names = [o.name for o in outcomes if isinstance(o, Team)]
            count = await db.run_read_session(lambda s: s.execute(select(func.count()).select_from(Team)).scalar_one())
            return names, int(count)
        finally:
            await db.dispose()

    names, count = asyncio.run(run())
    assert names == ["a", "c"]
    assert count == 2


def test_a_session_unit_run_again_after_a_rollback_inserts_its_rows_again() -> None:
    """What a failed group commit does: the unit's first run is rolled back, the second must still insert
    the rows it adds, even ones built before the unit."""
    from sqlalchemy import create_engine

    from pyfastgpt.store.db import _in_session

    async def migrated() -> str:
        url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'r.db'}"
        await migrate.upgrade(url)
        return url.replace("+aiosqlite", "")

    engine = create_engine(asyncio.run(migrated()))
    team = Team(name="built outside")
    try:
        with engine.connect() as conn, conn.begin() as first:
            _in_session(lambda session: session.add(team), conn)
            first.rollback()
        with engine.begin() as conn:
            _in_session(lambda session: session.add(team), conn)
        with engine.connect() as conn:
            names = conn.execute(select(Team.name)).scalars().all()
    finally:
        engine.dispose()
    assert names == ["built outside"]
    assert team.name == "built outside" and team.id


async def test_postgres_autocommit_reads_run_each_statement_on_its_own(pg: ThrowawayPostgres) -> None:
    db = Database(pg.new_database())

    def clock(conn: Connection) -> tuple[object, object]:
        # now() is the transaction's start: equal within one transaction, later in the next one
        first = conn.execute(text("SELECT now()")).scalar_one()
        conn.execute(text("SELECT pg_sleep(0.01)"))
        return first, conn.execute(text("SELECT now()")).scalar_one()

    try:
        first, second = await db.run_read(clock)
        assert first == second
        first, second = await db.run_read(clock, autocommit=True)
        assert second > first  # type: ignore[operator]
        first, second = await db.run_read(clock)  # the pooled connection is back to one transaction per unit
        assert first == second
    finally:
        await db.dispose()
