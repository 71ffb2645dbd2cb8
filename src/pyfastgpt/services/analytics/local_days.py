"""A UTC range cut on a zone's local calendar: the buckets (days, weeks, months, quarters) wholly inside it
and the partial buckets at its ends.

The rollups count whole local days and buckets (`store/models/analytics.py`), so a chart reads the buckets
wholly inside its range from them and the (at most two) partial buckets at the range's ends otherwise.
Days are numbered as in the rollups: days since 1970-01-01; a bucket by the number of its first day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pyfastgpt.services.analytics.timespans import Timespan, bucket_start, shift

EPOCH = date(1970, 1, 1)
TICK = timedelta(microseconds=1)  # the stored timestamps' resolution


def day_number(day: date) -> int:
    return (day - EPOCH).days


def day_of(number: int) -> date:
    return EPOCH + timedelta(days=number)


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first and last instant (UTC) of a local day."""
    first = datetime.combine(day, time(), zone).astimezone(UTC)
    return first, datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC) - TICK


def bucket_bounds(first_day: date, span: Timespan, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first and last instant (UTC) of the local bucket starting on ``first_day``."""
    return day_bounds(first_day, zone)[0], day_bounds(shift(first_day, span, 1) - timedelta(days=1), zone)[1]


@dataclass(frozen=True, slots=True)
class Edge:
    """The part ``[lo, hi]`` of a local bucket (of the day ``day``, or of the bucket starting on it) that lies
    in the range.

    ``rest`` is the bucket's other part when the range cuts the bucket on one side only: the users of
    the part can then be counted from the rows of the rest, when it holds fewer rows."""

    day: date
    lo: datetime
    hi: datetime
    rest: tuple[datetime, datetime] | None


@dataclass(frozen=True, slots=True)
class LocalDays:
    """The range's local days (or buckets of another span, each named by its first day)."""

    inner: tuple[date, date] | None  # the first and last local day (bucket) wholly inside the range
    edges: tuple[Edge, ...]

    @classmethod
    def cut(cls, start: datetime, end: datetime, zone: ZoneInfo, span: Timespan = Timespan.day) -> LocalDays:
        if end < start:
            return cls(None, ())
        first = bucket_start(start.astimezone(zone).date(), span)
        last = bucket_start(end.astimezone(zone).date(), span)
        first_inner = first if bucket_bounds(first, span, zone)[0] >= start else shift(first, span, 1)
        last_inner = last if bucket_bounds(last, span, zone)[1] <= end else shift(last, span, -1)
        edges = []
        for day in sorted({first, last}):
            if first_inner <= day <= last_inner:
                continue
            day_first, day_last = bucket_bounds(day, span, zone)
            lo, hi = max(day_first, start), min(day_last, end)
            rest = None
            if lo == day_first:
                rest = (hi + TICK, day_last)
            elif hi == day_last:
                rest = (day_first, lo - TICK)
            edges.append(Edge(day, lo, hi, rest))
        return cls((first_inner, last_inner) if first_inner <= last_inner else None, tuple(edges))

    def is_inner(self, day: date) -> bool:
        return self.inner is not None and self.inner[0] <= day <= self.inner[1]
