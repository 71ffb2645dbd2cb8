"""The migration's backfill (`rebuild_rollups`) equals the rollups the rounds maintained, and a change
of TIMEZONE makes the user counters stale (raw rows answer) until a rebuild."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text

from pyfastgpt.core.ids import new_id
from pyfastgpt.store.models.analytics import ROLLUP_TABLES, rebuild_rollups
from tests.services.analytics import oracle
from tests.services.analytics.conftest import Backend
from tests.services.analytics.test_chart_property import write

ZONE = ZoneInfo("America/New_York")
T0 = datetime(2024, 11, 2, 3, 50, tzinfo=UTC)  # across the DST change and local midnights


def traffic() -> list[oracle.Round | oracle.Vote]:
    events: list[oracle.Round | oracle.Vote] = []
    moment = T0
    for step in range(40):
        moment += timedelta(minutes=(7, 14, 16, 50, 600)[step % 5])
        chat = f"chat{step // 5 % 3}"  # bursts: rounds 7 and 14 minutes apart extend a row
        events.append(
            oracle.Round(moment, chat, f"user{step % 3}", ("api", "share")[step % 4 == 3], 0.5, step % 6 == 0, 1.25)
        )
        if step % 7 == 0:
            events.append(oracle.Vote(chat, 1, 0))
    return events


def empty(table: str, row: tuple[object, ...]) -> bool:
    """Counters that went back to zero: the rounds keep them, the backfill never creates them."""
    if table == "app_chat_stats":
        return row[4] == 0  # chat_count: a quarter-hour whose rows all moved on
    return table != "app_chat_users" and table != "app_chat_rollup_zones" and row[-1] == 0


def snapshot(backend: Backend, app_id: str) -> dict[str, list[tuple[object, ...]]]:
    async def read() -> dict[str, list[tuple[object, ...]]]:
        result = {}
        async with backend.db.read() as session:
            for table in ROLLUP_TABLES:
                rows = (
                    await session.execute(text(f"SELECT * FROM {table} WHERE app_id = :app"), {"app": app_id})
                ).all()
                result[table] = sorted(tuple(row) for row in rows if not empty(table, tuple(row)))
        return result

    return backend.run(read())


def test_backfill_equals_maintained_rollups(backend: Backend) -> None:
    app_id = new_id()
    backend.run(write(backend.db, app_id, traffic(), ZONE))
    maintained = snapshot(backend, app_id)
    assert maintained["app_chat_presence"] and maintained["app_chat_retention"]
    assert maintained["app_chat_span_presence"] and maintained["app_chat_span_retention"]
    backend.run(backend.db.run_write(lambda conn: rebuild_rollups(conn, ZONE.key, app_id)))
    assert snapshot(backend, app_id) == maintained


def test_changed_timezone_marks_counters_stale(backend: Backend) -> None:
    app_id = new_id()
    events = traffic()
    backend.run(write(backend.db, app_id, events[:10], ZONE))
    backend.run(write(backend.db, app_id, events[10:], ZoneInfo("Asia/Shanghai")))
    assert snapshot(backend, app_id)["app_chat_rollup_zones"] == [(app_id, None)]
