"""A UTC range cut on a zone's local calendar: the days wholly inside it and the partial days at its ends.

The rollups count whole local days (`store/models/analytics.py`), so a chart reads the days wholly
inside its range from them and the (at most two) partial days at the range's ends from the raw rows.
Days are numbered as in the rollups: days since 1970-01-01.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

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


@dataclass(frozen=True, slots=True)
class Edge:
    """The part ``[lo, hi]`` of a local day that lies in the range.

    ``rest`` is the day's other part when the range cuts the day on one side only: the users of the
    part can then be counted from the rows of the rest, when it holds fewer rows."""

    day: date
    lo: datetime
    hi: datetime
    rest: tuple[datetime, datetime] | None


@dataclass(frozen=True, slots=True)
class LocalDays:
    inner: tuple[date, date] | None  # the first and last local day wholly inside the range
    edges: tuple[Edge, ...]

    @classmethod
    def cut(cls, start: datetime, end: datetime, zone: ZoneInfo) -> LocalDays:
        if end < start:
            return cls(None, ())
        first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
        first_inner = first if day_bounds(first, zone)[0] >= start else first + timedelta(days=1)
        last_inner = last if day_bounds(last, zone)[1] <= end else last - timedelta(days=1)
        edges = []
        for day in sorted({first, last}):
            if first_inner <= day <= last_inner:
                continue
            day_first, day_last = day_bounds(day, zone)
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
