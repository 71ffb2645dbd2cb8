"""Calendar buckets of the analytics charts: day, ISO week (Monday), month and quarter, in a timezone.

A bucket is named by the local calendar date it starts on. Its chart ``timestamp`` follows FastGPT:
that date at 00:00 UTC, in milliseconds (the documented example `1758585600000` is a UTC midnight
for a range expressed in UTC+8), so a client reads the label back with ``datetime.fromtimestamp(ts /
1000, UTC).date()`` whatever its own timezone.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Timespan(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    quarter = "quarter"


def bucket_start(day: date, span: Timespan) -> date:
    """The first local date of the bucket that holds ``day``."""
    if span is Timespan.day:
        return day
    if span is Timespan.week:
        return day - timedelta(days=day.weekday())
    if span is Timespan.month:
        return day.replace(day=1)
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def add_months(day: date, months: int) -> date:
    """Calendar month arithmetic that clamps to the month's end (Jan 31 + 1 month = Feb 28/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def shift(day: date, span: Timespan, count: int) -> date:
    """``day`` moved by ``count`` spans (a quarter is three months)."""
    if span is Timespan.day:
        return day + timedelta(days=count)
    if span is Timespan.week:
        return day + timedelta(weeks=count)
    return add_months(day, count * (3 if span is Timespan.quarter else 1))


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def shift_instant(instant: datetime, span: Timespan, count: int, zone: ZoneInfo) -> datetime:
    """Move an instant by ``count`` spans on the local calendar, keeping its local wall-clock time."""
    local = instant.astimezone(zone)
    moved = datetime.combine(shift(local.date(), span, count), local.timetz().replace(tzinfo=None), zone)
    return moved.astimezone(UTC)


def buckets_between(start: date, end: date, span: Timespan) -> Iterator[date]:
    """Every bucket start from the bucket of ``start`` through the bucket of ``end``."""
    current, last = bucket_start(start, span), bucket_start(end, span)
    while current <= last:
        yield current
        current = shift(current, span, 1)


def count_buckets(start: date, end: date, span: Timespan) -> int:
    first, last = bucket_start(start, span), bucket_start(end, span)
    if last < first:
        return 0
    if span is Timespan.day:
        return (last - first).days + 1
    if span is Timespan.week:
        return (last - first).days // 7 + 1
    months = (last.year - first.year) * 12 + last.month - first.month
    return months // (3 if span is Timespan.quarter else 1) + 1


def bucket_timestamp_ms(start: date) -> int:
    return int(datetime.combine(start, time(), UTC).timestamp()) * 1000
