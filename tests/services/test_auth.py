"""API-key cache: on PostgreSQL kept only while this replica hears every change to the keys (migration
0013's trigger, `store/notify.py`); keys with a usage limit are read on every request on both backends."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text

from pyfastgpt.core.cache import TtlCache
from pyfastgpt.core.errors import ApiKeyInvalid, LimitExceeded
from pyfastgpt.core.secrets import hash_key
from pyfastgpt.services.auth import Authenticator, RootIdentity, key_cache_for, listen_for_key_changes
from pyfastgpt.store import migrate
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import ApiKey
from pyfastgpt.store.notify import API_KEY_CHANGES, ChangeListener, driver_dsn
from tests.support.pg import ThrowawayPostgres
from tests.support.tenants import add_team_with_key


@dataclass
class Replica:
    db: Database
    auth: Authenticator
    cache: TtlCache[str, ApiKey]
    key: str  # a team key, no usage limit
    listener: ChangeListener | None

    async def sql(self, statement: str) -> None:
        """A change made elsewhere (another replica, an operator): not through this replica's services."""
        binds = {"hash": hash_key(self.key)} if ":hash" in statement else {}
        await self.db.run_write(lambda conn: conn.execute(text(statement), binds))


async def _until(condition: Callable[[], bool], what: str) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


async def _replica(url: str) -> Replica:
    await migrate.upgrade(url)
    db = Database(url)
    team = await db.run_write_session(lambda s: add_team_with_key(s, "t", owner="o", key_name="k"))
    cache = key_cache_for(db)
    listener = await listen_for_key_changes(db, cache, 60.0)
    root = RootIdentity(key="root-key", key_hash="", team_id=team.ctx.team_id, tmb_id=team.ctx.tmb_id)
    return Replica(db, Authenticator(db, root, cache), cache, team.key, listener)


@pytest.fixture(params=["sqlite", "pg"])
async def replica(request: pytest.FixtureRequest) -> AsyncIterator[Replica]:
    if request.param == "pg":
        url = request.getfixturevalue("pg").new_database()
    else:
        url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'auth.db'}"
    made = await _replica(url)
    try:
        yield made
    finally:
        if made.listener is not None:
            await made.listener.close()
        await made.db.dispose()


@pytest.fixture
async def pg_replica(pg: ThrowawayPostgres) -> AsyncIterator[Replica]:
    made = await _replica(pg.new_database())
    try:
        assert made.listener is not None and made.listener.live
        yield made
    finally:
        assert made.listener is not None
        await made.listener.close()
        await made.db.dispose()


async def test_postgres_keeps_a_key_until_it_changes_anywhere(pg_replica: Replica) -> None:
    replica, key_hash = pg_replica, hash_key(pg_replica.key)
    assert (await replica.auth.authenticate(replica.key)).key_name == "k"
    assert replica.cache.get(key_hash) is not None

    await replica.sql("UPDATE api_keys SET name = 'renamed' WHERE key_hash = :hash")
    await _until(lambda: replica.cache.get(key_hash) is None, "the rename heard")
    assert (await replica.auth.authenticate(replica.key)).key_name == "renamed"
    assert replica.cache.get(key_hash) is not None

    await replica.sql("DELETE FROM api_keys WHERE key_hash = :hash")
    await _until(lambda: replica.cache.get(key_hash) is None, "the deletion heard")
    with pytest.raises(ApiKeyInvalid):
        await replica.auth.authenticate(replica.key)


async def test_postgres_reads_every_key_while_it_cannot_hear_changes(pg_replica: Replica) -> None:
    replica, key_hash = pg_replica, hash_key(pg_replica.key)
    listener = replica.listener
    assert listener is not None
    await replica.auth.authenticate(replica.key)
    await replica.sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = current_database() AND query LIKE 'LISTEN%'"
    )
    await _until(lambda: not listener.live, "the lost listener noticed")
    assert replica.cache.get(key_hash) is None and replica.cache.ttl_s == 0
    await replica.auth.authenticate(replica.key)
    assert replica.cache.get(key_hash) is None  # nothing kept meanwhile

    await _until(lambda: listener.live, "listening again")
    await replica.auth.authenticate(replica.key)
    assert replica.cache.get(key_hash) is not None


async def test_a_key_with_a_usage_limit_is_read_on_every_request(replica: Replica) -> None:
    await replica.sql("UPDATE api_keys SET max_usage_points = 10 WHERE key_hash = :hash")
    await replica.auth.authenticate(replica.key)
    assert replica.cache.get(hash_key(replica.key)) is None
    await replica.sql("UPDATE api_keys SET usage_points = 10 WHERE key_hash = :hash")  # used up elsewhere
    with pytest.raises(LimitExceeded):
        await replica.auth.authenticate(replica.key)


async def test_only_changes_to_who_a_key_is_notify(pg_replica: Replica) -> None:
    heard: asyncio.Queue[str] = asyncio.Queue()
    connection = await asyncpg.connect(driver_dsn(pg_replica.db.url))
    try:
        await connection.add_listener(API_KEY_CHANGES, lambda *args: heard.put_nowait(args[-1]))
        await pg_replica.sql("UPDATE api_keys SET usage_points = usage_points + 1 WHERE key_hash = :hash")
        await pg_replica.sql("UPDATE api_keys SET last_used_time = now() WHERE key_hash = :hash")
        await pg_replica.sql("SELECT pg_notify('api_key_changes', 'barrier')")
        assert await asyncio.wait_for(heard.get(), 5) == "barrier"  # counting usage said nothing
        for change in (
            "UPDATE api_keys SET expired_time = now() WHERE key_hash = :hash",
            "UPDATE api_keys SET max_usage_points = 1 WHERE key_hash = :hash",
            "DELETE FROM api_keys WHERE key_hash = :hash",
        ):
            await pg_replica.sql(change)
            assert await asyncio.wait_for(heard.get(), 5) == hash_key(pg_replica.key)
    finally:
        await connection.close()
