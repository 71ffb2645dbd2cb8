"""`ChangeListener`: hears NOTIFY on its channels, says when it stops hearing, and comes back."""

from __future__ import annotations

import asyncio

import asyncpg

from pyfastgpt.store.notify import ChangeListener, driver_dsn
from tests.support.pg import ThrowawayPostgres
from tests.support.polling import until


async def test_it_hears_notifications_and_reports_a_lost_connection(pg: ThrowawayPostgres) -> None:
    url = pg.new_database()
    heard: list[str] = []
    states: list[bool] = []
    other_channel: list[str] = []
    handlers = {"test_changes": heard.append, "other_changes": other_channel.append}
    listener = ChangeListener(url, handlers, on_state=states.append, retry_s=0.05)
    await listener.start()
    other = await asyncpg.connect(driver_dsn(url))
    try:
        assert listener.live and states == [True]
        await other.execute(
            "SELECT pg_notify('test_changes', 'a'), pg_notify('elsewhere', 'b'), pg_notify('other_changes', 'o')"
        )
        async with other.transaction():
            await other.execute("SELECT pg_notify('test_changes', 'c')")
            await asyncio.sleep(0.05)
            assert heard == ["a"]  # nothing before the commit
        await until(lambda: heard == ["a", "c"], "the committed notification")
        assert other_channel == ["o"]

        await other.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
        )
        await until(lambda: states[:2] == [True, False], "the lost connection reported")
        await until(lambda: states == [True, False, True] and listener.live, "listening again")
        await other.execute("SELECT pg_notify('test_changes', 'd')")
        await until(lambda: heard == ["a", "c", "d"], "a notification after reconnecting")
    finally:
        await other.close()
        await listener.close()


async def test_start_returns_when_the_database_cannot_be_reached() -> None:
    states: list[bool] = []
    url = "postgresql+asyncpg://nobody:secret@127.0.0.1:9/none"  # port 9 (discard): refused at once
    listener = ChangeListener(url, {"test_changes": lambda _: None}, on_state=states.append, retry_s=60)
    await listener.start()
    try:
        assert not listener.live and states == []
    finally:
        await listener.close()


def test_driver_dsn_keeps_credentials_and_options() -> None:
    dsn = driver_dsn("postgresql+asyncpg://user:p%40ss@db:5433/app?ssl=require")
    assert dsn == "postgresql://user:p%40ss@db:5433/app?ssl=require"
