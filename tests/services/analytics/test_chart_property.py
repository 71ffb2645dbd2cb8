"""Random traffic written through `record_round`/`adjust_feedback` must chart exactly as the oracle says.

Runs on SQLite and on a throwaway PostgreSQL. Points and durations are multiples of 1/4 so every
sum is exact in floating point and the comparison can be strict. In the app's rollup zone the rollups
must answer every figure (the raw-row queries of `ChartBuilder` fail the test).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pyfastgpt.core.ids import new_id
from pyfastgpt.services.analytics.chart import ChartBuilder, ChartQuery, chart_data
from pyfastgpt.services.analytics.chat_logs import adjust_feedback, record_round
from pyfastgpt.services.analytics.timespans import Timespan
from pyfastgpt.store.db import Database
from tests.services.analytics import oracle
from tests.services.analytics.conftest import TEAM, Backend

ZONES = ("UTC", "Asia/Shanghai", "America/New_York", "Asia/Kathmandu", "Australia/Adelaide", "Pacific/Chatham")
# Instants next to month and quarter ends, a leap day and DST changes.
ANCHORS = (
    datetime(2024, 3, 31, 14, 0, tzinfo=UTC),
    datetime(2024, 12, 31, 15, 50, tzinfo=UTC),
    datetime(2024, 2, 28, 22, 0, tzinfo=UTC),
    datetime(2024, 11, 3, 4, 30, tzinfo=UTC),
    datetime(2025, 6, 30, 23, 45, tzinfo=UTC),
    datetime(2025, 4, 5, 15, 0, tzinfo=UTC),
)
SPANS = st.sampled_from(["day", "day", "week", "month", "quarter"])
QUARTERS = st.integers(0, 40).map(lambda n: n / 4)


@st.composite
def traffic(draw: st.DrawFn) -> dict[str, Any]:
    anchor = draw(st.sampled_from(ANCHORS))
    chats = draw(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(oracle.SOURCES[:4])), min_size=1, max_size=5))
    events: list[oracle.Round | oracle.Vote] = []
    moment = anchor
    for _ in range(draw(st.integers(1, 24))):
        # Gaps mix "same window" (≤ 15 min), "new window" and jumps of days to weeks.
        gap = draw(st.sampled_from([0, 1, 5, 14, 15, 15, 16, 40, 60 * 9, 60 * 24, 60 * 24 * 9, 60 * 24 * 35]))
        moment += timedelta(minutes=gap, seconds=draw(st.sampled_from([0, 0, 30, 59])))
        index = draw(st.integers(0, len(chats) - 1))
        user, source = chats[index]
        if draw(st.integers(0, 4)) == 0:
            events.append(oracle.Vote(f"chat{index}", draw(st.integers(-1, 1)), draw(st.integers(-1, 1))))
        else:
            events.append(
                oracle.Round(
                    moment, f"chat{index}", f"user{user}", source, draw(QUARTERS), draw(st.booleans()), draw(QUARTERS)
                )
            )
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    start = anchor + timedelta(minutes=draw(st.integers(-60 * 24 * 3, 60 * 24 * 10)))
    end = start + timedelta(minutes=draw(st.integers(0, 60 * 24 * 150)))
    if draw(st.booleans()):  # a dashboard's range: from a local midnight …
        start = datetime.combine(start.astimezone(zone).date(), time(), zone).astimezone(UTC)
    if draw(st.booleans()):  # … to the end of a local day (FastGPT sends milliseconds)
        next_midnight = datetime.combine(end.astimezone(zone).date() + timedelta(days=1), time(), zone)
        end = next_midnight.astimezone(UTC) - draw(
            st.sampled_from([timedelta(microseconds=1), timedelta(milliseconds=1)])
        )
    return {
        "events": events,
        "zone": zone.key,
        "start": start,
        "end": end,
        "sources": tuple(draw(st.sets(st.sampled_from(oracle.SOURCES[:4]), max_size=3))),
        "offset": draw(st.integers(0, 2)),
        "spans": (draw(SPANS), draw(SPANS), draw(SPANS)),
        "rollup_in_chart_zone": draw(st.booleans()),
    }


async def write(
    db: Database, app_id: str, events: list[oracle.Round | oracle.Vote], zone: ZoneInfo | None = None
) -> None:
    """Write the events; ``zone`` is the rollup zone (the deployment's TIMEZONE)."""
    for event in events:
        if isinstance(event, oracle.Vote):
            unit = partial(
                adjust_feedback, app_id=app_id, chat_id=event.chat, good_delta=event.good, bad_delta=event.bad
            )
        else:
            unit = partial(
                record_round,
                team_id=TEAM,
                app_id=app_id,
                chat_id=event.chat,
                user_id=event.user,
                source=event.source,
                source_name="key",
                points=event.points,
                error=event.error,
                duration_s=event.duration,
                now=event.at,
                zone=zone,
            )
        await db.run_write(unit)


async def read_chart(db: Database, query: ChartQuery, zone: ZoneInfo) -> dict[str, Any]:
    async with db.read() as session:
        return await chart_data(session, query, zone)


def chart_from_rollups(backend: Backend, query: ChartQuery, zone: ZoneInfo) -> dict[str, Any]:
    """The chart, failing if any figure falls back to the raw-row queries."""

    def raw_rows(*_: object) -> None:
        raise AssertionError("the rollups did not answer")

    with pytest.MonkeyPatch.context() as patch:
        for method in ("stats", "users_per_source", "retention"):
            patch.setattr(ChartBuilder, method, raw_rows)
        return backend.run(read_chart(backend.db, query, zone))


@settings(
    max_examples=100,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: each example writes a database
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(case=traffic())
def test_chart_matches_oracle(backend: Backend, case: dict[str, Any]) -> None:
    app_id = new_id()
    # Half the examples keep the user counters in the chart's zone (they answer), half in UTC (raw rows do).
    rollup_zone = ZoneInfo(case["zone"]) if case["rollup_in_chart_zone"] else None
    backend.run(write(backend.db, app_id, case["events"], rollup_zone))
    model = oracle.Model()
    for event in case["events"]:
        model.apply(event)
    zone = ZoneInfo(case["zone"])
    user_span, chat_span, app_span = (Timespan(span) for span in case["spans"])
    query = ChartQuery(
        team_id=TEAM,
        app_id=app_id,
        date_start=case["start"],
        date_end=case["end"],
        sources=case["sources"],
        offset=case["offset"],
        user_timespan=user_span,
        chat_timespan=chat_span,
        app_timespan=app_span,
    )
    # The app's first round claims its rollup zone; an app without rounds has none (raw rows answer).
    has_rounds = any(isinstance(event, oracle.Round) for event in case["events"])
    in_rollup_zone = has_rounds and (case["rollup_in_chart_zone"] or zone.key == "UTC")
    got = (
        chart_from_rollups(backend, query, zone) if in_rollup_zone else backend.run(read_chart(backend.db, query, zone))
    )
    expected = oracle.chart(model, zone, case["start"], case["end"], case["sources"], case["offset"], case["spans"])
    for series in ("userData", "chatData", "appData"):
        assert got[series] == expected[series], series
