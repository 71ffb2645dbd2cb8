"""The API-key cache keeps keys without a usage limit only: a limited key is read on every request, on both
backends, so a limit used up by another process or replica holds at once. (PostgreSQL's cache and its
notifications: `test_change_feed.py`.)"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from pyfastgpt.core.errors import LimitExceeded
from pyfastgpt.core.secrets import hash_key
from pyfastgpt.services.auth import Authenticator, RootIdentity, key_cache_for
from pyfastgpt.store.db import Database
from tests.support.databases import migrated_database
from tests.support.tenants import TeamKey, add_team_with_key


@pytest.fixture(params=["sqlite", "pg"])
async def database(request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    async with migrated_database(request) as db:
        yield db


async def test_a_key_with_a_usage_limit_is_read_on_every_request(database: Database) -> None:
    team: TeamKey = await database.run_write_session(lambda s: add_team_with_key(s, "t", owner="o", key_name="k"))
    cache = key_cache_for(database)
    cache.switch(60.0)  # as on SQLite, or on PostgreSQL while the replica hears key changes
    root = RootIdentity(key="root-key", key_hash="", team_id=team.ctx.team_id, tmb_id=team.ctx.tmb_id)
    auth = Authenticator(database, root, cache)
    binds = {"hash": hash_key(team.key)}

    await auth.authenticate(team.key)
    assert cache.get(hash_key(team.key)) is not None  # no limit: kept
    cache.clear()
    await database.run_write(
        lambda conn: conn.execute(text("UPDATE api_keys SET max_usage_points = 10 WHERE key_hash = :hash"), binds)
    )
    await auth.authenticate(team.key)
    assert cache.get(hash_key(team.key)) is None
    await database.run_write(  # used up elsewhere
        lambda conn: conn.execute(text("UPDATE api_keys SET usage_points = 10 WHERE key_hash = :hash"), binds)
    )
    with pytest.raises(LimitExceeded):
        await auth.authenticate(team.key)
