"""`record_round` / `adjust_feedback` rules, concurrency on PostgreSQL, and the bucket helpers."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Connection, select

from pyfastgpt.core.ids import new_id
from pyfastgpt.services.analytics.chart import MAX_FILLED_BUCKETS, ChartQuery, chart_data, total_data
from pyfastgpt.services.analytics.chat_logs import adjust_feedback, record_round
from pyfastgpt.services.analytics.timespans import (
    Timespan,
    add_months,
    bucket_timestamp_ms,
    buckets_between,
    count_buckets,
)
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import AppChatLog
from pyfastgpt.store.models.analytics import utc_offsets
from tests.services.analytics.conftest import TEAM, Backend

T0 = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)


async def one_round(db: Database, app_id: str, chat_id: str, user: str, now: datetime, **extra: Any) -> None:
    values: dict[str, Any] = {"source": "api", "source_name": "k", "points": 1.0, "error": False, "duration_s": 2.0}
    values.update(extra)
    await db.run_write(
        partial(record_round, team_id=TEAM, app_id=app_id, chat_id=chat_id, user_id=user, now=now, **values)
    )


async def rows_of(db: Database, app_id: str) -> list[AppChatLog]:
    async with db.read() as session:
        query = select(AppChatLog).where(AppChatLog.app_id == app_id).order_by(AppChatLog.create_time)
        return list((await session.execute(query)).scalars())


def test_windows_first_chat_and_feedback(backend: Backend) -> None:
    app_id = new_id()

    async def scenario() -> list[AppChatLog]:
        await one_round(backend.db, app_id, "c1", "u1", T0, points=0.5, error=True)
        await one_round(backend.db, app_id, "c1", "u1", T0 + timedelta(minutes=15), duration_s=1.5)
        await one_round(backend.db, app_id, "c1", "u1", T0 + timedelta(minutes=31))  # a new window
        await one_round(backend.db, app_id, "c2", "u1", T0 + timedelta(minutes=32))  # same user: not first
        await one_round(backend.db, app_id, "c3", "u2", T0 + timedelta(minutes=33), source="share")

        def vote(conn: Connection) -> None:
            adjust_feedback(conn, app_id=app_id, chat_id="c1", good_delta=1, bad_delta=-1)
            adjust_feedback(conn, app_id=app_id, chat_id="c3", good_delta=0, bad_delta=1)

        await backend.db.run_write(vote)
        return await rows_of(backend.db, app_id)

    rows = backend.run(scenario())
    summary = [(r.chat_id, r.chat_item_count, r.error_count, r.is_first_chat, r.good_feedback_count, r.bad_feedback_count)
               for r in rows]  # fmt: skip
    assert summary == [
        ("c1", 2, 1, True, 0, 0),
        ("c1", 1, 0, False, 1, 0),  # the vote lands on the newest row, never below zero
        ("c2", 1, 0, False, 0, 0),
        ("c3", 1, 0, True, 0, 1),
    ]
    assert rows[0].total_points == 1.5 and rows[0].total_response_time == 3.5
    assert rows[0].update_time == T0 + timedelta(minutes=15) and rows[0].create_time == T0

    async def totals() -> dict[str, Any]:
        async with backend.db.read() as session:
            return await total_data(session, team_id=TEAM, app_id=app_id)

    assert backend.run(totals()) == {"totalUsers": 2, "totalChats": 5, "totalPoints": 4.5}


def test_concurrent_rounds_do_not_split_or_double_count(backend: Backend) -> None:
    """Two rounds of one chat and two first chats of one user, committed at the same time."""
    app_id = new_id()

    async def scenario() -> list[AppChatLog]:
        await asyncio.gather(*(one_round(backend.db, app_id, "same", "u9", T0) for _ in range(4)))
        await asyncio.gather(*(one_round(backend.db, app_id, f"chat{i}", "u7", T0) for i in range(4)))
        return await rows_of(backend.db, app_id)

    rows = backend.run(scenario())
    same = [row for row in rows if row.chat_id == "same"]
    assert len(same) == 1 and same[0].chat_item_count == 4
    newcomer = [row for row in rows if row.user_id == "u7"]
    assert len(newcomer) == 4 and sum(row.is_first_chat for row in newcomer) == 1


def test_rolled_back_round_leaves_nothing(backend: Backend) -> None:
    app_id = new_id()

    async def scenario() -> list[AppChatLog]:
        def failing_round(conn: Connection) -> None:
            record_round(conn, team_id=TEAM, app_id=app_id, chat_id="c", user_id="u", source="api",
                              source_name="", points=1.0, error=False, duration_s=1.0, now=T0)  # fmt: skip
            raise RuntimeError("the AI item insert failed")

        with pytest.raises(RuntimeError):
            await backend.db.run_write(failing_round)
        return await rows_of(backend.db, app_id)

    assert backend.run(scenario()) == []


def test_wide_ranges_list_only_buckets_with_rows(backend: Backend) -> None:
    app_id = new_id()
    backend.run(one_round(backend.db, app_id, "c", "u", T0))
    query = ChartQuery(team_id=TEAM, app_id=app_id, date_start=datetime(2000, 1, 1, tzinfo=UTC),
                       date_end=datetime(2100, 1, 1, tzinfo=UTC), user_timespan=Timespan.quarter)  # fmt: skip

    async def read() -> dict[str, Any]:
        async with backend.db.read() as session:
            return await chart_data(session, query, ZoneInfo("UTC"))

    chart = backend.run(read())
    # 36,525 day buckets: more than the cap, so only the day with rows is listed …
    assert count_buckets(date(2000, 1, 1), date(2100, 1, 1), Timespan.day) > MAX_FILLED_BUCKETS
    assert [point["timestamp"] for point in chart["chatData"]] == [bucket_timestamp_ms(date(2025, 3, 1))]
    # … while 401 quarters are all listed, empty ones included.
    quarters = chart["userData"]
    assert len(quarters) == 401 and quarters[0]["timestamp"] == bucket_timestamp_ms(date(2000, 1, 1))
    assert [(q["timestamp"], q["summary"]["userCount"]) for q in quarters if q["summary"]["userCount"]] == [
        (bucket_timestamp_ms(date(2025, 1, 1)), 1)
    ]


def test_bucket_helpers() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert list(buckets_between(date(2024, 12, 30), date(2025, 1, 6), Timespan.week)) == [
        date(2024, 12, 30),
        date(2025, 1, 6),
    ]
    assert list(buckets_between(date(2024, 3, 31), date(2024, 4, 1), Timespan.quarter)) == [
        date(2024, 1, 1),
        date(2024, 4, 1),
    ]
    assert bucket_timestamp_ms(date(2025, 9, 23)) == 1758585600000  # FastGPT's documented example
    segments = utc_offsets(
        ZoneInfo("America/New_York"), datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 12, 31, tzinfo=UTC)
    )
    assert segments == [
        (None, -5 * 3600),
        (datetime(2024, 3, 10, 7, 0, tzinfo=UTC), -4 * 3600),
        (datetime(2024, 11, 3, 6, 0, tzinfo=UTC), -5 * 3600),
    ]
