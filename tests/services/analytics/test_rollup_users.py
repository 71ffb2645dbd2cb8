"""The user rollups' cases that random traffic rarely hits, against the oracle: partial days read from
the part in the range or from the rest of the day (whichever holds fewer rows), a range inside one
day, whole days, a row moved across midnight, for day, week and month buckets, 0/1/2 sources, offsets."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pyfastgpt.core.ids import new_id
from pyfastgpt.services.analytics.chart import ChartQuery
from pyfastgpt.services.analytics.local_days import LocalDays
from pyfastgpt.services.analytics.timespans import Timespan
from tests.services.analytics import oracle
from tests.services.analytics.conftest import TEAM, Backend
from tests.services.analytics.test_chart_property import chart_from_rollups, write

ZONE = ZoneInfo("America/New_York")
DAY = date(2024, 11, 5)


def at(day: date, hour: float) -> datetime:
    """Local ``hour`` of ``day`` in UTC."""
    return (datetime.combine(day, time(), ZONE) + timedelta(hours=hour)).astimezone(UTC)


def rounds() -> list[oracle.Round | oracle.Vote]:
    one = timedelta(days=1)
    rows = [  # (local day, hour, chat, user, source)
        (DAY - one, 23.9, "c6", "u6", "online"),  # a row that moves past midnight …
        (DAY, 0.1, "c6", "u6", "online"),  # … to the next day
        (DAY, 1, "c4a", "u4", "api"),
        (DAY, 2, "c1", "u1", "api"),
        (DAY, 3, "c2", "u2", "share"),
        *((DAY, hour, "c5", "u5", "test") for hour in (6, 7, 8, 9, 10)),
        (DAY, 15, "c3", "u3", "api"),
        (DAY, 20, "c1", "u1", "api"),
        (DAY, 22, "c4b", "u4", "share"),
        (DAY + one, 10, "c3", "u3", "api"),
        (DAY + one, 11, "c7", "u7", "share"),
        (DAY + 2 * one, 1, "c2", "u2", "share"),
        (DAY + 2 * one, 13, "c1", "u1", "api"),
        (DAY + 8 * one, 12, "c3", "u3", "api"),
    ]
    return [oracle.Round(at(day, hour), chat, user, source, 0.25, False, 0.5) for day, hour, chat, user, source in rows]


RANGES = {  # the rows of the partial days in the range (part) and out of it (rest)
    "start: rest shorter": (at(DAY, 4), at(DAY + timedelta(days=2), 12)),  # 4 rows before 04:00, 8 after
    "start: part shorter": (at(DAY, 21), at(DAY + timedelta(days=2), 2)),  # 1 row after 21:00; end: 1 and 1
    "end: rest shorter": (at(DAY - timedelta(days=1), 0), at(DAY, 21)),  # 12 rows before 21:00, 1 after
    "inside one day": (at(DAY, 2.5), at(DAY, 21)),
    "whole days, to the millisecond": (at(DAY, 0), at(DAY + timedelta(days=3), 0) - timedelta(milliseconds=1)),
    "a week": (at(DAY - timedelta(days=1), 12), at(DAY + timedelta(days=9), 0) - timedelta(microseconds=1)),
}


def written(backend: Backend, events: list[oracle.Round | oracle.Vote]) -> tuple[str, oracle.Model]:
    """A new app holding ``events``, and the oracle's model of them."""
    app_id = new_id()
    backend.run(write(backend.db, app_id, events, ZONE))
    model = oracle.Model()
    for event in events:
        model.apply(event)
    return app_id, model


def charts_match(
    backend: Backend, traffic: tuple[str, oracle.Model], span: str, sources: tuple[str, ...], offset: int,
    start: datetime, end: datetime,
) -> dict[str, Any]:  # fmt: skip
    """The chart from the rollups equals the oracle's; returns it."""
    app_id, model = traffic
    query = ChartQuery(team_id=TEAM, app_id=app_id, date_start=start, date_end=end, sources=sources,
                       offset=offset, user_timespan=Timespan(span), app_timespan=Timespan(span))  # fmt: skip
    expected = oracle.chart(model, ZONE, start, end, sources, offset, (span, "day", span))
    assert chart_from_rollups(backend, query, ZONE) == expected, (span, sources, offset)
    return expected


@pytest.fixture(scope="module")
def traffic(backend: Backend) -> tuple[str, oracle.Model]:
    return written(backend, rounds())


@pytest.mark.parametrize("name", RANGES)
@pytest.mark.parametrize("span", ["day", "week", "month"])
@pytest.mark.parametrize("sources", [(), ("api",), ("api", "share")])
def test_user_rollups_match_oracle(
    backend: Backend, traffic: tuple[str, oracle.Model], name: str, span: str, sources: tuple[str, ...]
) -> None:
    for offset in (0, 1):
        charts_match(backend, traffic, span, sources, offset, *RANGES[name])


def test_local_days_cut() -> None:
    tick, next_day, later = timedelta(microseconds=1), DAY + timedelta(days=1), DAY + timedelta(days=2)
    days = LocalDays.cut(*RANGES["start: rest shorter"], ZONE)
    assert days.inner == (next_day, next_day)
    first, last = days.edges
    assert (first.day, first.lo, first.hi, first.rest) == (
        DAY,
        at(DAY, 4),
        at(next_day, 0) - tick,
        (at(DAY, 0), at(DAY, 4) - tick),
    )
    assert (last.day, last.lo, last.hi, last.rest) == (
        later,
        at(later, 0),
        at(later, 12),
        (at(later, 12) + tick, at(later, 24) - tick),
    )
    inside = LocalDays.cut(*RANGES["inside one day"], ZONE)
    assert inside.inner is None and [(edge.day, edge.rest) for edge in inside.edges] == [(DAY, None)]
    whole = LocalDays.cut(at(DAY, 0), at(DAY + timedelta(days=3), 0) - tick, ZONE)
    assert whole.inner == (DAY, later) and whole.edges == ()
    # FastGPT's dateEnd (…59.999Z) leaves the last day partial, with a rest of 999 µs (no rows to read).
    (edge,) = LocalDays.cut(*RANGES["whole days, to the millisecond"], ZONE).edges
    assert edge.day == later and edge.rest == (at(later, 24) - timedelta(milliseconds=1) + tick, at(later, 24) - tick)


def months_of_rounds() -> list[oracle.Round | oracle.Vote]:
    """Users joining one by one over four months, coming back: the week, month and quarter counters answer
    whole buckets, with retention."""
    first = date(2024, 9, 2)
    rows: list[oracle.Round | oracle.Vote] = []
    for index in range(150):
        day, user = first + timedelta(days=index * 5 // 6), index * 7 % (min(index // 8, 14) + 1)
        hour = (index * 5) % 24 + 0.25
        source = ("api", "share", "online")[index % 3 if user % 2 else 0]
        rows.append(oracle.Round(at(day, hour), f"m{user}{index % 2}", f"mu{user}", source, 0.25, False, 0.5))
    return rows


LONG_RANGES = {
    "mid-month to mid-month": (at(date(2024, 9, 18), 5), at(date(2024, 12, 10), 13)),
    "whole months": (at(date(2024, 10, 1), 0), at(date(2024, 12, 1), 0) - timedelta(milliseconds=1)),
    "from a Wednesday noon": (at(date(2024, 9, 11), 12), at(date(2024, 11, 30), 20)),
}


@pytest.fixture(scope="module")
def long_traffic(backend: Backend) -> tuple[str, oracle.Model]:
    return written(backend, months_of_rounds())


@pytest.mark.parametrize("name", LONG_RANGES)
@pytest.mark.parametrize("span", ["week", "month", "quarter"])
@pytest.mark.parametrize("sources", [(), ("share",), ("api", "share")])
def test_span_rollups_match_oracle(
    backend: Backend, long_traffic: tuple[str, oracle.Model], name: str, span: str, sources: tuple[str, ...]
) -> None:
    for offset in (0, 1, 2):
        expected = charts_match(backend, long_traffic, span, sources, offset, *LONG_RANGES[name])
        if not (offset or sources):  # the range holds newcomers
            assert any(point["summary"]["retentionUserCount"] for point in expected["userData"])


@pytest.mark.parametrize("sources", [(), ("api", "share")])
def test_decades_of_day_buckets(backend: Backend, traffic: tuple[str, oracle.Model], sources: tuple[str, ...]) -> None:
    """Every day of forty years is a retention bucket: the statement stays within the drivers' limits. (Past
    `MAX_FILLED_BUCKETS` a chart lists only the buckets with rows, as FastGPT does; the oracle lists all.)"""
    app_id, model = traffic
    start, end = datetime(1990, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC)
    query = ChartQuery(team_id=TEAM, app_id=app_id, date_start=start, date_end=end, sources=sources, offset=1)
    got = chart_from_rollups(backend, query, ZONE)
    expected = oracle.chart(model, ZONE, start, end, sources, 1, ("day", "day", "day"))
    for series, points in expected.items():
        listed = {point["timestamp"] for point in got[series]}
        assert got[series] == [point for point in points if point["timestamp"] in listed]
        assert listed == {point["timestamp"] for point in expected["chatData"] if point["summary"]["chatCount"]}
    assert sum(point["summary"]["retentionUserCount"] for point in got["userData"]) > 0
