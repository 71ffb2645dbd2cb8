"""An independent model of the analytics: raw rounds and votes in, getChartData figures out.

Written from the rules (FastGPT's 15-minute chat windows and the dashboard definitions), by brute
force over Python objects, sharing no code with `pyfastgpt.services.analytics`.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

SOURCES = ("test", "online", "share", "api", "cronJob", "team", "feishu", "official_account", "wecom", "mcp")


@dataclass
class Round:
    at: datetime
    chat: str
    user: str
    source: str
    points: float
    error: bool
    duration: float


@dataclass
class Vote:
    chat: str
    good: int
    bad: int


@dataclass
class Row:
    chat: str
    user: str
    source: str
    created: datetime
    updated: datetime
    first: bool
    items: int = 0
    errors: int = 0
    points: float = 0.0
    duration: float = 0.0
    good: int = 0
    bad: int = 0


@dataclass
class Model:
    rows: list[Row] = field(default_factory=list)

    def apply(self, event: Round | Vote) -> None:
        if isinstance(event, Vote):
            mine = [row for row in self.rows if row.chat == event.chat]
            if mine:
                newest = mine[-1]
                newest.good = max(0, newest.good + event.good)
                newest.bad = max(0, newest.bad + event.bad)
            return
        mine = [row for row in self.rows if row.chat == event.chat]
        if mine and event.at - mine[-1].updated <= timedelta(minutes=15):
            row = mine[-1]
            row.updated = event.at
        else:
            first = not any(row.user == event.user for row in self.rows)
            row = Row(event.chat, event.user, event.source, event.at, event.at, first)
            self.rows.append(row)
        row.items += 1
        row.errors += int(event.error)
        row.points += event.points
        row.duration += event.duration


def label(moment: datetime, zone: ZoneInfo, span: str) -> date:
    day = moment.astimezone(zone).date()
    if span == "day":
        return day
    if span == "week":
        year, week, _ = day.isocalendar()
        return date.fromisocalendar(year, week, 1)
    if span == "month":
        return date(day.year, day.month, 1)
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def months_later(day: date, months: int) -> date:
    year, month = day.year, day.month
    for _ in range(months):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def later(moment: datetime, zone: ZoneInfo, span: str, count: int) -> datetime:
    local = moment.astimezone(zone)
    if span in ("day", "week"):
        moved = local.date() + timedelta(days=count * (7 if span == "week" else 1))
    else:
        moved = months_later(local.date(), count * (3 if span == "quarter" else 1))
    return datetime(moved.year, moved.month, moved.day, local.hour, local.minute, local.second, local.microsecond, zone)


def labels_between(first: date, last: date, span: str) -> list[date]:
    result, day = [], first
    while day <= last:
        if not result or result[-1] != label_of_date(day, span):
            result.append(label_of_date(day, span))
        day += timedelta(days=1)
    return result


def label_of_date(day: date, span: str) -> date:
    return label(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), ZoneInfo("UTC"), span)


def stamp(day: date) -> int:
    return calendar.timegm(day.timetuple()) * 1000


def chart(
    model: Model,
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
    sources: tuple[str, ...],
    offset: int,
    spans: tuple[str, str, str],
) -> dict[str, list[dict[str, object]]]:
    user_span, chat_span, app_span = spans
    rows = [row for row in model.rows if not sources or row.source in sources]
    active = [row for row in rows if start <= row.updated <= end]

    def groups(span: str) -> dict[date, list[Row]]:
        result: dict[date, list[Row]] = defaultdict(list)
        for row in active:
            result[label(row.updated, zone, span)].append(row)
        return result

    def source_map(members: list[Row]) -> dict[str, int]:
        counts = dict.fromkeys(SOURCES, 0)
        for source in {row.source for row in members}:
            counts[source] = len({row.user for row in members if row.source == source})
        return counts

    first_day, last_day = start.astimezone(zone).date(), end.astimezone(zone).date()
    by_user, by_chat, by_app = groups(user_span), groups(chat_span), groups(app_span)
    later_start, later_end = later(start, zone, user_span, offset), later(end, zone, user_span, offset)
    retention = {}
    for bucket in labels_between(first_day, last_day, user_span):
        newcomers = {
            row.user
            for row in rows
            if row.first and start <= row.created <= end and label(row.created, zone, user_span) == bucket
        }
        target = label_of_date(
            later(
                datetime(bucket.year, bucket.month, bucket.day, 12, tzinfo=UTC), ZoneInfo("UTC"), user_span, offset
            ).date(),
            user_span,
        )
        returning = {
            row.user
            for row in rows
            if later_start <= row.updated <= later_end and label(row.updated, zone, user_span) == target
        }
        retention[bucket] = len(newcomers & returning)
    user_data = [
        {
            "timestamp": stamp(bucket),
            "summary": {
                "userCount": len({row.user for row in by_user.get(bucket, [])}),
                "newUserCount": len({row.user for row in by_user.get(bucket, []) if row.first}),
                "retentionUserCount": retention[bucket],
                "points": sum(row.points for row in by_user.get(bucket, [])),
                "sourceCountMap": source_map(by_user.get(bucket, [])),
            },
        }
        for bucket in labels_between(first_day, last_day, user_span)
    ]
    chat_data = [
        {
            "timestamp": stamp(bucket),
            "summary": {
                "chatItemCount": sum(row.items for row in by_chat.get(bucket, [])),
                "chatCount": len(by_chat.get(bucket, [])),
                "errorCount": sum(row.errors for row in by_chat.get(bucket, [])),
                "points": sum(row.points for row in by_chat.get(bucket, [])),
            },
        }
        for bucket in labels_between(first_day, last_day, chat_span)
    ]
    app_data = [
        {
            "timestamp": stamp(bucket),
            "summary": {
                "goodFeedBackCount": sum(row.good for row in by_app.get(bucket, [])),
                "badFeedBackCount": sum(row.bad for row in by_app.get(bucket, [])),
                "chatCount": len(by_app.get(bucket, [])),
                "totalResponseTime": sum(row.duration for row in by_app.get(bucket, [])),
                "sourceCountMap": source_map(by_app.get(bucket, [])),
            },
        }
        for bucket in labels_between(first_day, last_day, app_span)
    ]
    return {"userData": user_data, "chatData": chat_data, "appData": app_data}
