"""getTotalData and getChartData: the app dashboard, grouped per bucket in SQL.

Semantics (FastGPT's `getChartData`, made consistent):
- the rows are the `app_chat_logs` rows whose ``update_time`` lies in ``[dateStart, dateEnd]`` (and whose
  source is in ``source`` when given), bucketed by the local date of ``update_time``;
- per bucket: ``userCount`` distinct users, ``newUserCount`` distinct users of rows with ``is_first_chat``,
  ``chatCount`` rows (chat segments), ``chatItemCount``/``errorCount``/``points``/feedback/response time sums,
  ``sourceCountMap`` distinct users per source (in ``userData`` as documented and in ``appData`` as the
  open-source code does);
- ``retentionUserCount`` of bucket B: users whose first row was created in B (and in the range) that are
  active again ``offset`` spans later — a row updated in bucket B+offset, within the range moved ``offset``
  spans later on the local calendar;
- every bucket of the range is returned (zeros included) when the range holds at most
  `MAX_FILLED_BUCKETS` buckets; beyond that only buckets with rows are returned, as FastGPT always does.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pyfastgpt.services.analytics.rollup_read import RollupReader, additive_days, fold
from pyfastgpt.services.analytics.rollup_users import UserRollups
from pyfastgpt.services.analytics.sql_buckets import Segments, bucket_expression, parse_bucket
from pyfastgpt.services.analytics.timespans import (
    Timespan,
    bucket_timestamp_ms,
    buckets_between,
    count_buckets,
    local_date,
    shift_instant,
)
from pyfastgpt.store.models import AppChatLog
from pyfastgpt.store.models.analytics import AppChatStat, utc_offsets

MAX_FILLED_BUCKETS = 1000
CHAT_SOURCES = (
    "test", "online", "share", "api", "cronJob", "team", "feishu", "official_account", "wecom", "mcp"
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ChartQuery:
    team_id: str
    app_id: str
    date_start: datetime
    date_end: datetime
    sources: tuple[str, ...] = ()
    offset: int = 1
    user_timespan: Timespan = Timespan.day
    chat_timespan: Timespan = Timespan.day
    app_timespan: Timespan = Timespan.day


@dataclass(slots=True)
class BucketStats:
    chat_count: int = 0
    chat_item_count: int = 0
    error_count: int = 0
    points: float = 0.0
    good: int = 0
    bad: int = 0
    response_time: float = 0.0
    users: int = 0
    new_users: int = 0


def _scope(query: ChartQuery) -> list[Any]:
    conditions: list[Any] = [AppChatLog.team_id == query.team_id, AppChatLog.app_id == query.app_id]
    if query.sources:
        conditions.append(AppChatLog.source.in_(query.sources))
    return conditions


class ChartBuilder:
    """Runs the grouped queries of one getChartData request on one session."""

    def __init__(self, session: AsyncSession, query: ChartQuery, zone: ZoneInfo) -> None:
        self.session = session
        self.query = query
        self.zone = zone
        self.dialect = session.get_bind().dialect.name
        self.in_range = [*_scope(query), AppChatLog.update_time.between(query.date_start, query.date_end)]

    @cached_property
    def segments(self) -> Segments:
        """The zone's offsets over the range and the retention's later range (only the raw queries need them)."""
        query = self.query
        ends = [query.date_start, query.date_end]
        for span in {query.user_timespan, query.chat_timespan, query.app_timespan}:
            ends += [
                shift_instant(moment, span, query.offset, self.zone) for moment in (query.date_start, query.date_end)
            ]
        return utc_offsets(self.zone, min(ends), max(ends))

    def _bucket(self, column: Any, span: Timespan, back: int = 0) -> Any:
        return bucket_expression(column, dialect=self.dialect, segments=self.segments, span=span, back=back)

    async def stats(self, span: Timespan) -> dict[date, BucketStats]:
        rows = (
            select(
                self._bucket(AppChatLog.update_time, span).label("bucket"),
                AppChatLog.user_id,
                AppChatLog.is_first_chat,
                AppChatLog.chat_item_count,
                AppChatLog.error_count,
                AppChatLog.total_points,
                AppChatLog.good_feedback_count,
                AppChatLog.bad_feedback_count,
                AppChatLog.total_response_time,
            )
            .where(*self.in_range)
            .subquery()
        )
        # Two-level grouping (bucket, user) then bucket: hash aggregates instead of COUNT(DISTINCT) sorts.
        per_user = (
            select(
                rows.c.bucket,
                func.count().label("chats"),
                func.sum(rows.c.chat_item_count).label("item_count"),
                func.sum(rows.c.error_count).label("errors"),
                func.sum(rows.c.total_points).label("points"),
                func.sum(rows.c.good_feedback_count).label("good"),
                func.sum(rows.c.bad_feedback_count).label("bad"),
                func.sum(rows.c.total_response_time).label("response_time"),
                func.max(case((rows.c.is_first_chat.is_(True), 1), else_=0)).label("new_user"),
            )
            .group_by(rows.c.bucket, rows.c.user_id)
            .subquery()
        )
        grouped = select(
            per_user.c.bucket,
            func.sum(per_user.c.chats),
            func.sum(per_user.c.item_count),
            func.sum(per_user.c.errors),
            func.sum(per_user.c.points),
            func.sum(per_user.c.good),
            func.sum(per_user.c.bad),
            func.sum(per_user.c.response_time),
            func.count(),
            func.sum(per_user.c.new_user),
        ).group_by(per_user.c.bucket)
        result: dict[date, BucketStats] = {}
        for row in await self.session.execute(grouped):
            result[parse_bucket(row[0])] = BucketStats(
                chat_count=int(row[1] or 0),
                chat_item_count=int(row[2] or 0),
                error_count=int(row[3] or 0),
                points=float(row[4] or 0),
                good=int(row[5] or 0),
                bad=int(row[6] or 0),
                response_time=float(row[7] or 0),
                users=int(row[8]),
                new_users=int(row[9] or 0),
            )
        return result

    async def users_per_source(self, span: Timespan) -> dict[date, dict[str, int]]:
        rows = (
            select(self._bucket(AppChatLog.update_time, span).label("bucket"), AppChatLog.source, AppChatLog.user_id)
            .where(*self.in_range)
            .subquery()
        )
        pairs = select(rows.c.bucket, rows.c.source).group_by(rows.c.bucket, rows.c.source, rows.c.user_id).subquery()
        grouped = select(pairs.c.bucket, pairs.c.source, func.count()).group_by(pairs.c.bucket, pairs.c.source)
        result: dict[date, dict[str, int]] = defaultdict(dict)
        for bucket, source, users in await self.session.execute(grouped):
            result[parse_bucket(bucket)][source] = int(users)
        return result

    async def retention(self, span: Timespan) -> dict[date, int]:
        query, offset = self.query, self.query.offset
        new_users = (
            select(self._bucket(AppChatLog.create_time, span).label("bucket"), AppChatLog.user_id)
            .where(
                *_scope(query),
                AppChatLog.is_first_chat.is_(True),
                AppChatLog.create_time.between(query.date_start, query.date_end),
            )
            .distinct()
            .subquery()
        )
        later_start = shift_instant(query.date_start, span, offset, self.zone)
        later_end = shift_instant(query.date_end, span, offset, self.zone)
        returning = (
            select(self._bucket(AppChatLog.update_time, span, back=offset).label("bucket"), AppChatLog.user_id)
            .where(
                *_scope(query),
                AppChatLog.update_time.between(later_start, later_end),
            )
            .distinct()
            .subquery()
        )
        joined = (
            select(new_users.c.bucket, func.count())
            .join(
                returning,
                and_(returning.c.bucket == new_users.c.bucket, returning.c.user_id == new_users.c.user_id),
            )
            .group_by(new_users.c.bucket)
        )
        return {parse_bucket(bucket): int(count) for bucket, count in await self.session.execute(joined)}

    def bucket_list(self, span: Timespan, present: set[date]) -> list[date]:
        first, last = local_date(self.query.date_start, self.zone), local_date(self.query.date_end, self.zone)
        if count_buckets(first, last, span) <= MAX_FILLED_BUCKETS:
            return list(buckets_between(first, last, span))
        return sorted(present)


def _source_map(counts: dict[str, int]) -> dict[str, int]:
    result = dict.fromkeys(CHAT_SOURCES, 0)
    result.update(counts)
    return result


def _from_figures(figures: list[float]) -> BucketStats:
    chats, items, errors, points, good, bad, response_time, first = figures
    return BucketStats(int(chats), int(items), int(errors), points, int(good), int(bad), response_time, 0, int(first))


async def _rollup_figures(
    builder: ChartBuilder,
    reader: RollupReader,
    stats: dict[Timespan, dict[date, BucketStats]],
    sources: dict[Timespan, dict[date, dict[str, int]]],
) -> dict[date, int]:
    """Fill ``stats``/``sources`` from the rollups in one statement (the user figures from raw rows when the
    user rollups count days in another zone); returns retention."""
    query, users = builder.query, UserRollups(reader)
    user_spans = list(dict.fromkeys((query.user_timespan, query.app_timespan)))
    figures = [reader.additive(), users.retention(query.user_timespan), *(users.users(span) for span in user_spans)]
    users_in_zone, (days, retention, *counted) = await reader.read(figures)
    for span in {query.user_timespan, query.chat_timespan, query.app_timespan}:
        stats[span] = {bucket: _from_figures(figures) for bucket, figures in fold(additive_days(days), span).items()}
    for span, rows in zip(user_spans, counted, strict=True):
        if users_in_zone:
            counts, sources[span] = users.user_counts(rows)
        else:
            counts = {bucket: figures.users for bucket, figures in (await builder.stats(span)).items()}
            sources[span] = await builder.users_per_source(span)
        for bucket, count in counts.items():
            stats[span].setdefault(bucket, BucketStats()).users = count
    if users_in_zone:
        return users.retention_counts(retention)
    return await builder.retention(query.user_timespan)


async def chart_data(session: AsyncSession, query: ChartQuery, zone: ZoneInfo) -> dict[str, list[dict[str, Any]]]:
    builder = ChartBuilder(session, query, zone)
    stats: dict[Timespan, dict[date, BucketStats]] = {}
    sources: dict[Timespan, dict[date, dict[str, int]]] = {}
    reader = RollupReader.open(session, query, zone)
    if reader is not None:
        retention = await _rollup_figures(builder, reader, stats, sources)
    else:
        for span in (query.user_timespan, query.chat_timespan, query.app_timespan):
            if span not in stats:
                stats[span] = await builder.stats(span)
        for span in (query.user_timespan, query.app_timespan):
            if span not in sources:
                sources[span] = await builder.users_per_source(span)
        retention = await builder.retention(query.user_timespan)

    empty = BucketStats()
    user_stats = stats[query.user_timespan]
    user_data = [
        {
            "timestamp": bucket_timestamp_ms(bucket),
            "summary": {
                "userCount": user_stats.get(bucket, empty).users,
                "newUserCount": user_stats.get(bucket, empty).new_users,
                "retentionUserCount": retention.get(bucket, 0),
                "points": user_stats.get(bucket, empty).points,
                "sourceCountMap": _source_map(sources[query.user_timespan].get(bucket, {})),
            },
        }
        for bucket in builder.bucket_list(query.user_timespan, set(user_stats))
    ]
    chat_stats = stats[query.chat_timespan]
    chat_data = [
        {
            "timestamp": bucket_timestamp_ms(bucket),
            "summary": {
                "chatItemCount": chat_stats.get(bucket, empty).chat_item_count,
                "chatCount": chat_stats.get(bucket, empty).chat_count,
                "errorCount": chat_stats.get(bucket, empty).error_count,
                "points": chat_stats.get(bucket, empty).points,
            },
        }
        for bucket in builder.bucket_list(query.chat_timespan, set(chat_stats))
    ]
    app_stats = stats[query.app_timespan]
    app_data = [
        {
            "timestamp": bucket_timestamp_ms(bucket),
            "summary": {
                "goodFeedBackCount": app_stats.get(bucket, empty).good,
                "badFeedBackCount": app_stats.get(bucket, empty).bad,
                "chatCount": app_stats.get(bucket, empty).chat_count,
                "totalResponseTime": app_stats.get(bucket, empty).response_time,
                "sourceCountMap": _source_map(sources[query.app_timespan].get(bucket, {})),
            },
        }
        for bucket in builder.bucket_list(query.app_timespan, set(app_stats))
    ]
    return {"userData": user_data, "chatData": chat_data, "appData": app_data}


async def total_data(session: AsyncSession, *, team_id: str, app_id: str) -> dict[str, Any]:
    """All-time ``totalUsers`` (users with a first chat: each user has exactly one), ``totalChats``
    (rounds) and ``totalPoints``, summed from the quarter-hour rollup."""
    row = (
        await session.execute(
            select(
                func.sum(AppChatStat.first_chat_count),
                func.sum(AppChatStat.chat_item_count),
                func.sum(AppChatStat.total_points),
            ).where(AppChatStat.team_id == team_id, AppChatStat.app_id == app_id)
        )
    ).one()
    return {"totalUsers": int(row[0] or 0), "totalChats": int(row[1] or 0), "totalPoints": float(row[2] or 0)}
