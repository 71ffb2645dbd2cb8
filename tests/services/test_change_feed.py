"""What a PostgreSQL replica caches of shared rows: API keys and share links are kept only while it hears every
change to them (migration 0013's triggers, `store/notify.py`), apps are dropped when they change; a change
made anywhere, by anyone, drops them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import cast

import asyncpg
import pytest
from sqlalchemy import text

from pyfastgpt.core.errors import ApiKeyInvalid, NotFound
from pyfastgpt.core.secrets import hash_key
from pyfastgpt.services.apps import AppDraft, AppService
from pyfastgpt.services.auth import AuthContext, Authenticator, RootIdentity
from pyfastgpt.services.change_feed import listen_for_changes
from pyfastgpt.services.keys import KeyService
from pyfastgpt.services.share.hooks import ShareHooks
from pyfastgpt.services.share.links import ShareLinkService
from pyfastgpt.store import migrate
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import App, ShareLink
from pyfastgpt.store.notify import API_KEY_CHANGES, APP_CHANGES, SHARE_LINK_CHANGES, ChangeListener, driver_dsn
from tests.support.pg import ThrowawayPostgres
from tests.support.polling import until
from tests.support.tenants import add_team_with_key

SHARE_ID = "shared-link-1"


@dataclass
class Replica:
    db: Database
    auth: Authenticator
    share: ShareLinkService
    apps: AppService
    owner: AuthContext
    key: str  # a team key, no usage limit
    listener: ChangeListener

    @property
    def key_hash(self) -> str:
        return hash_key(self.key)

    async def sql(self, statement: str, **binds: str) -> None:
        """A change made elsewhere (another replica, an operator): not through this replica's services."""
        binds |= {"hash": self.key_hash, "share": SHARE_ID}
        await self.db.run_write(lambda conn: conn.execute(text(statement), binds))

    async def hear_changes_so_far(self) -> None:
        """Wait until every change committed so far has been heard: PostgreSQL delivers notifications in commit
        order, so once a marker notified now drops its entry, the earlier ones have been handled too."""
        marker = "heard-so-far"
        self.apps._apps.put(marker, cast(App, object()))
        await self.sql("SELECT pg_notify(:channel, :marker)", channel=APP_CHANGES, marker=marker)
        await until(lambda: self.apps._apps.get(marker) is None, "the changes made so far heard")


@pytest.fixture
async def replica(pg: ThrowawayPostgres) -> AsyncIterator[Replica]:
    url = pg.new_database()
    await migrate.upgrade(url)
    db = Database(url)
    team = await db.run_write_session(lambda s: add_team_with_key(s, "t", owner="o", key_name="k"))
    ctx = team.ctx
    await db.run_write_session(
        lambda s: s.add(ShareLink(share_id=SHARE_ID, team_id=ctx.team_id, tmb_id=ctx.tmb_id, app_id="a" * 24, name="l"))
    )
    apps = AppService(db)
    keys = KeyService(db, apps, prefix="t", max_count=10)
    share = ShareLinkService(db, apps, ShareHooks(1.0))
    listener = await listen_for_changes(db, 60.0, keys=keys.cache, links=share.cache, apps=apps)
    assert listener is not None and listener.live
    root = RootIdentity(key="root-key", key_hash="", team_id=ctx.team_id, tmb_id=ctx.tmb_id)
    try:
        yield Replica(db, Authenticator(db, root, keys.cache), share, apps, ctx, team.key, listener)
    finally:
        await listener.close()
        await share.hooks.aclose()
        await db.dispose()


async def test_a_key_is_kept_until_it_changes_anywhere(replica: Replica) -> None:
    assert (await replica.auth.authenticate(replica.key)).key_name == "k"
    assert replica.auth.key_cache.get(replica.key_hash) is not None

    await replica.sql("UPDATE api_keys SET name = 'renamed' WHERE key_hash = :hash")
    await until(lambda: replica.auth.key_cache.get(replica.key_hash) is None, "the rename heard")
    assert (await replica.auth.authenticate(replica.key)).key_name == "renamed"
    assert replica.auth.key_cache.get(replica.key_hash) is not None

    await replica.sql("DELETE FROM api_keys WHERE key_hash = :hash")
    await until(lambda: replica.auth.key_cache.get(replica.key_hash) is None, "the deletion heard")
    with pytest.raises(ApiKeyInvalid):
        await replica.auth.authenticate(replica.key)


async def test_a_share_link_is_kept_until_it_changes_anywhere(replica: Replica) -> None:
    assert (await replica.share.visitor_for_init(SHARE_ID, "visitor")).link.name == "l"
    assert replica.share.cache.get(SHARE_ID) is not None
    await replica.sql(
        "UPDATE share_links SET usage_points = usage_points + 1, last_time = now() WHERE share_id = :share"
    )
    await replica.sql("UPDATE share_links SET name = 'renamed' WHERE share_id = :share")
    await until(lambda: replica.share.cache.get(SHARE_ID) is None, "the rename heard")
    assert (await replica.share.visitor_for_init(SHARE_ID, "visitor")).link.name == "renamed"

    await replica.sql("UPDATE share_links SET max_usage_points = 5 WHERE share_id = :share")
    await until(lambda: replica.share.cache.get(SHARE_ID) is None, "the limit heard")
    await replica.share.visitor_for_init(SHARE_ID, "visitor")
    assert replica.share.cache.get(SHARE_ID) is None  # limited: read on every visit

    await replica.sql("DELETE FROM share_links WHERE share_id = :share")
    with pytest.raises(NotFound):
        await replica.share.visitor_for_init(SHARE_ID, "visitor")


async def test_an_app_and_its_published_version_are_dropped_when_they_change_anywhere(replica: Replica) -> None:
    app_id = await replica.apps.create(replica.owner, AppDraft(name="first", type="simple"))
    await replica.hear_changes_so_far()  # the creation's own notifications must not race the reads below
    app = await replica.apps.get(replica.owner, app_id)
    assert (await replica.apps.published_of(app)).version_id is not None
    assert replica.apps._apps.get(app_id) is app and replica.apps._published.get(app_id) is not None

    await replica.sql("UPDATE apps SET name = 'renamed' WHERE id = :app", app=app_id)
    await until(lambda: replica.apps._apps.get(app_id) is None, "the rename heard")
    assert (await replica.apps.get(replica.owner, app_id)).name == "renamed"

    published = (await replica.apps.published_of(await replica.apps.get(replica.owner, app_id))).version_id
    await replica.sql(  # another replica publishes a new version
        "INSERT INTO app_versions (id, app_id, team_id, tmb_id, nodes, edges, chat_config, is_publish, version_name, time)"
        " SELECT 'v2' || substr(id, 3), app_id, team_id, tmb_id, nodes, edges, chat_config, true, 'second', now()"
        " FROM app_versions WHERE app_id = :app",
        app=app_id,
    )
    await until(lambda: replica.apps._published.get(app_id) is None, "the new version heard")
    newest = await replica.apps.published_of(await replica.apps.get(replica.owner, app_id))
    assert newest.version_id != published


async def test_nothing_is_kept_while_the_replica_cannot_hear_changes(replica: Replica) -> None:
    await replica.auth.authenticate(replica.key)
    await replica.share.visitor_for_init(SHARE_ID, "visitor")
    await replica.sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = current_database() AND query LIKE 'LISTEN%'"
    )
    await until(lambda: not replica.listener.live, "the lost listener noticed")
    for cache in (replica.auth.key_cache, replica.share.cache):
        assert cache.ttl_s == 0 and cache.generation > 0
    assert replica.auth.key_cache.get(replica.key_hash) is None and replica.share.cache.get(SHARE_ID) is None
    await replica.auth.authenticate(replica.key)
    assert replica.auth.key_cache.get(replica.key_hash) is None  # nothing kept meanwhile

    await until(lambda: replica.listener.live, "listening again")
    await replica.auth.authenticate(replica.key)
    await replica.share.visitor_for_init(SHARE_ID, "visitor")
    assert replica.auth.key_cache.get(replica.key_hash) is not None and replica.share.cache.get(SHARE_ID) is not None


async def test_only_the_changes_that_matter_notify(replica: Replica) -> None:
    app_id = await replica.apps.create(replica.owner, AppDraft(name="first", type="simple"))
    heard: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    connection = await asyncpg.connect(driver_dsn(replica.db.url))
    try:
        for channel in (API_KEY_CHANGES, SHARE_LINK_CHANGES, APP_CHANGES):
            await connection.add_listener(
                channel, lambda _c, _p, channel, payload: heard.put_nowait((channel, payload))
            )
        await replica.sql(
            "UPDATE api_keys SET usage_points = usage_points + 1, last_used_time = now() WHERE key_hash = :hash"
        )
        await replica.sql(
            "UPDATE share_links SET usage_points = usage_points + 1, last_time = now() WHERE share_id = :share"
        )
        await replica.sql("SELECT pg_notify('api_key_changes', 'barrier')")
        assert await asyncio.wait_for(heard.get(), 5) == (API_KEY_CHANGES, "barrier")  # counting usage said nothing
        for change, expected in (
            ("UPDATE api_keys SET expired_time = now() WHERE key_hash = :hash", (API_KEY_CHANGES, replica.key_hash)),
            ("UPDATE api_keys SET max_usage_points = 1 WHERE key_hash = :hash", (API_KEY_CHANGES, replica.key_hash)),
            ("DELETE FROM api_keys WHERE key_hash = :hash", (API_KEY_CHANGES, replica.key_hash)),
            ("UPDATE share_links SET qpm = 5 WHERE share_id = :share", (SHARE_LINK_CHANGES, SHARE_ID)),
            ("UPDATE share_links SET hook_url = 'http://h' WHERE share_id = :share", (SHARE_LINK_CHANGES, SHARE_ID)),
            ("DELETE FROM share_links WHERE share_id = :share", (SHARE_LINK_CHANGES, SHARE_ID)),
            ("UPDATE apps SET name = 'x' WHERE id = :app", (APP_CHANGES, app_id)),
            ("UPDATE app_versions SET version_name = 'x' WHERE app_id = :app", (APP_CHANGES, app_id)),
            ("DELETE FROM apps WHERE id = :app", (APP_CHANGES, app_id)),
        ):
            await replica.sql(change, app=app_id)
            assert await asyncio.wait_for(heard.get(), 5) == expected, change
    finally:
        await connection.close()
