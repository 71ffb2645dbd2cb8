"""Database access for SQLite (default) and PostgreSQL.

SQLite follows Datasette's model: WAL mode, one writer, many readers. Every write is a unit of
work, a synchronous function of a connection (`run_write`) or of an ORM session
(`run_write_session`), run by the one writer thread that owns the only write connection and
commits queued units together (`group_commit.py`); writers queue instead of failing with
"database is locked". Reads use read-only pools (async sessions, or `run_read*` units in threads).
On PostgreSQL every role shares one pooled asyncpg engine.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import AdaptedConnection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, make_transient
from sqlalchemy.pool import NullPool

from pyfastgpt.store.group_commit import GroupCommitWriter
from pyfastgpt.store.wal_checkpoint import SAFETY_NET_PAGES, WalCheckpointer

T = TypeVar("T")


def _sqlite_pragmas(busy_timeout_ms: int, *, writer: bool, checkpoints_elsewhere: bool = False) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's events (below) decide where transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        if not writer:
            cursor.execute("PRAGMA query_only=ON")
        if checkpoints_elsewhere:  # WalCheckpointer does it, off the commit path
            cursor.execute(f"PRAGMA wal_autocheckpoint={SAFETY_NET_PAGES}")
        cursor.close()

    return on_connect


def _begin(statement: str) -> Any:
    def on_begin(conn: Any) -> None:
        # Straight on the DB-API cursor: every unit begins, and SQLAlchemy's execution costs more than SQLite's BEGIN.
        dbapi_connection = conn.connection.dbapi_connection
        if isinstance(dbapi_connection, AdaptedConnection):  # aiosqlite: one trip to its thread instead of three
            dbapi_connection.run_async(partial(_driver_begin, statement))
            return
        cursor = dbapi_connection.cursor()
        cursor.execute(statement)
        cursor.close()

    return on_begin


async def _driver_begin(statement: str, driver: Any) -> None:
    # A connection that came back to the pool inside a transaction (its task cancelled while closing: the read
    # pool does not roll back on return, `Database.__init__`) ends it first.
    if driver.in_transaction:
        await driver.rollback()
    await driver.execute_fetchall(statement)


class Database:
    """Owns the engines and hands out read and write sessions."""

    def __init__(self, url: str, *, busy_timeout_ms: int = 30_000, pool_size: int = 10) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        self._pg_engine: AsyncEngine | None = None
        if self.is_sqlite:
            database = make_url(url).database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            # Closing a session rolls its transaction back already: no second ROLLBACK (another trip to the
            # aiosqlite thread) when the connection goes back to the pool.
            self.read_engine = create_async_engine(
                url, pool_size=pool_size, max_overflow=pool_size, pool_reset_on_return=None
            )
            event.listen(self.read_engine.sync_engine, "connect", _sqlite_pragmas(busy_timeout_ms, writer=False))
            event.listen(self.read_engine.sync_engine, "begin", _begin("BEGIN"))
            # Hot paths run whole units of work synchronously in a thread: one hop per unit instead of
            # one per driver call (Datasette's execute_write_fn model).
            sync_url = make_url(url).set(drivername="sqlite")
            connect_args = {"check_same_thread": False}
            self._sync_writer: Engine = create_engine(sync_url, pool_size=1, max_overflow=0, connect_args=connect_args)
            self._sync_reader: Engine = create_engine(sync_url, pool_size=4, max_overflow=4, connect_args=connect_args)
            on_disk = bool(database and database != ":memory:" and "mode=memory" not in url)
            for sync_engine, writer in ((self._sync_writer, True), (self._sync_reader, False)):
                pragmas = _sqlite_pragmas(busy_timeout_ms, writer=writer, checkpoints_elsewhere=writer and on_disk)
                event.listen(sync_engine, "connect", pragmas)
                event.listen(sync_engine, "begin", _begin("BEGIN IMMEDIATE" if writer else "BEGIN"))
            self._writer = GroupCommitWriter(self._sync_writer)
            group_writer = self._writer
            self._checkpointer = WalCheckpointer(str(database), lambda: group_writer.units) if on_disk else None
            self._reader_threads = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sqlite-reader")
        else:
            self._pg_engine = create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=False)
            self.read_engine = self._pg_engine
            self._pg_autocommit = self._pg_engine.execution_options(isolation_level="AUTOCOMMIT")
        self._read_sessions = async_sessionmaker(self.read_engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return "sqlite" if self.is_sqlite else "postgresql"

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only (never commit through it)."""
        async with self._read_sessions() as session:
            yield session

    @property
    def write_engine(self) -> AsyncEngine:
        """PostgreSQL's pooled engine, for what units cannot do (advisory locks held across awaits, COPY).
        SQLite has none: its only write connection belongs to the group-commit writer."""
        if self._pg_engine is None:
            raise RuntimeError("SQLite writes go through run_write / run_write_session")
        return self._pg_engine

    async def run_write(self, fn: Callable[[Connection], T]) -> T:
        """Run `fn(connection)` inside one write transaction (committed on success)."""
        if self.is_sqlite:
            result: T = await self._writer.submit(fn)
            return result
        async with self.write_engine.begin() as conn:
            return await conn.run_sync(fn)

    async def run_write_session(self, fn: Callable[[Session], T]) -> T:
        """`run_write` with an ORM `Session` over the unit's connection (flushed; the unit commits).

        Objects `fn` inserts come back transient: readable, and inserted again should the unit run again (a
        batch that fails to commit runs each of its units alone).
        """
        return await self.run_write(partial(_in_session, fn))

    async def run_read_session(self, fn: Callable[[Session], T], *, autocommit: bool = False, short: bool = False) -> T:
        """`run_read` with an ORM `Session` (never commit through it)."""
        return await self.run_read(partial(_in_read_session, fn), autocommit=autocommit, short=short)

    async def run_read(self, fn: Callable[[Connection], T], *, autocommit: bool = False, short: bool = False) -> T:
        """Run `fn(connection)` for reads, in one transaction (one snapshot on PostgreSQL).

        ``autocommit``: each statement on its own (PostgreSQL: no BEGIN and ROLLBACK round trips around
        them), for reads that need neither one snapshot across statements nor transaction-local settings.
        ``short``: a few indexed statements over a bounded number of rows; SQLite runs them on the event
        loop's thread, as the hop to a reader thread and back (~0.3 ms of waking threads) costs more than
        the read. WAL readers never wait on the writer or on the (passive) checkpoints, so the loop waits
        only for the read itself.
        """
        if self.is_sqlite:
            if short:
                return self._sync_read(fn)
            return await asyncio.get_running_loop().run_in_executor(self._reader_threads, self._sync_read, fn)
        async with (self._pg_autocommit if autocommit else self.read_engine).connect() as conn:
            return await conn.run_sync(fn)

    def _sync_read(self, fn: Callable[[Connection], T]) -> T:
        with self._sync_reader.connect() as conn:
            return fn(conn)

    async def dispose(self) -> None:
        await self.read_engine.dispose()
        if self.is_sqlite:
            self._writer.close()
            if self._checkpointer is not None:
                self._checkpointer.close()
            self._reader_threads.shutdown(wait=True)
            self._sync_writer.dispose()
            self._sync_reader.dispose()


def _in_session(fn: Callable[[Session], T], conn: Connection) -> T:
    # "rollback_only": the Session joins the unit's transaction (or savepoint) and never ends it; an
    # error still rolls the whole unit back through the caller.
    inserted: list[object] = []
    with Session(bind=conn, expire_on_commit=False, join_transaction_mode="rollback_only") as session:
        event.listen(session, "pending_to_persistent", lambda _session, obj: inserted.append(obj))
        result = fn(session)
        session.flush()
    # The unit's transaction is not committed yet, and a batch that fails to commit runs the unit again:
    # the rows it inserted go back to transient (values kept, ids included) so a second run inserts them again.
    for obj in inserted:
        make_transient(obj)
    return result


def _in_read_session(fn: Callable[[Session], T], conn: Connection) -> T:
    # A read unit inserts nothing: no flush and no tracking of inserted rows (`_in_session`).
    with Session(bind=conn, expire_on_commit=False, join_transaction_mode="rollback_only") as session:
        return fn(session)


def migration_engine(url: str) -> AsyncEngine:
    """A short-lived engine for running migrations."""
    return create_async_engine(url, poolclass=NullPool)
