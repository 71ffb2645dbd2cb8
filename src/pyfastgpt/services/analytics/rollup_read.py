"""getChartData from the rollups, exactly equal to grouping the raw rows (`chart.ChartBuilder`).

- Additive figures: the quarter-hours of `app_chat_stats` that lie wholly inside ``[dateStart,
  dateEnd]`` are grouped per local day in SQL (the zone's offset as a piecewise ``CASE`` on the slot);
  the rows of the two partial quarter-hours at the range's ends are read raw. A zone whose offsets or
  transitions are not whole quarter-hours over the range (none in today's tz database) is not served
  here: the caller groups the raw rows.
- Distinct users (``userCount``, ``sourceCountMap``, retention) of *day* buckets, with no source filter
  or one source, in the app's rollup zone: the local days wholly inside the range come from the day
  counters, the (at most two) partial days from raw rows. Other cases return None (raw rows answer).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, literal, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from pyfastgpt.services.analytics.timespans import Timespan, bucket_start, offset_segments, shift_instant
from pyfastgpt.store.models import AppChatLog
from pyfastgpt.store.models.analytics import SLOT_SECONDS, AppChatDayUsers, AppChatRetention, AppChatStat

EPOCH = date(1970, 1, 1)
TICK = timedelta(microseconds=1)
ANY_SOURCE = ""


def day_number(day: date) -> int:
    return (day - EPOCH).days


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first and last instant (UTC) of a local day."""
    first = datetime.combine(day, time(), zone).astimezone(UTC)
    return first, datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC) - TICK


def _ceil_slot(moment: datetime) -> int:
    seconds = moment.timestamp()
    return int(-(-seconds // SLOT_SECONDS))


class RollupReader:
    def __init__(self, session: AsyncSession, query: Any, zone: ZoneInfo, counters_zone: str | None) -> None:
        self.session, self.query, self.zone = session, query, zone
        self.counters = counters_zone == zone.key and len(query.sources) <= 1
        self.first_slot = _ceil_slot(query.date_start)
        self.end_slot = int((query.date_end + TICK).timestamp()) // SLOT_SECONDS  # slots < end_slot are whole
        self.segments = offset_segments(zone, query.date_start, query.date_end)

    @classmethod
    async def open(cls, session: AsyncSession, query: Any, zone: ZoneInfo) -> RollupReader | None:
        reader = cls(session, query, zone, None)
        aligned = all(
            offset % SLOT_SECONDS == 0 and (start is None or int(start.timestamp()) % SLOT_SECONDS == 0)
            for start, offset in reader.segments
        )
        if not aligned:
            return None
        stored = (
            await session.execute(
                text("SELECT zone FROM app_chat_rollup_zones WHERE app_id = :app"), {"app": query.app_id}
            )
        ).scalar_one_or_none()
        return cls(session, query, zone, stored)

    def _source_filter(self, column: Any) -> list[Any]:
        return [column.in_(self.query.sources)] if self.query.sources else []

    def _local(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    async def additive_days(self) -> dict[date, list[float]]:
        """Per local day: [chats, items, errors, points, good, bad, response time, first chats]."""
        stats = AppChatStat
        epoch = stats.slot * SLOT_SECONDS
        if len(self.segments) == 1:
            offset: Any = literal(self.segments[0][1])
        else:
            whens = [(epoch < int(start.timestamp()), self.segments[i][1])
                     for i, (start, _) in enumerate(self.segments[1:]) if start is not None]  # fmt: skip
            offset = case(*whens, else_=self.segments[-1][1])
        day = ((epoch + offset) // 86400).label("day")
        figures = (stats.chat_count, stats.chat_item_count, stats.error_count, stats.total_points,
                   stats.good_feedback_count, stats.bad_feedback_count, stats.total_response_time,
                   stats.first_chat_count)  # fmt: skip
        result: dict[date, list[float]] = {}
        if self.first_slot < self.end_slot:
            grouped = (
                select(day, *(func.sum(column) for column in figures))
                .where(
                    stats.app_id == self.query.app_id,
                    stats.slot >= self.first_slot,
                    stats.slot < self.end_slot,
                    *self._source_filter(stats.source),
                )
                .group_by(day)
            )
            for row in await self.session.execute(grouped):
                result[EPOCH + timedelta(days=int(row[0]))] = [float(value or 0) for value in row[1:]]
        for lo, hi in self._edges():
            raw = select(AppChatLog.update_time, AppChatLog.chat_item_count, AppChatLog.error_count,
                         AppChatLog.total_points, AppChatLog.good_feedback_count, AppChatLog.bad_feedback_count,
                         AppChatLog.total_response_time, AppChatLog.is_first_chat).where(
                AppChatLog.team_id == self.query.team_id, AppChatLog.app_id == self.query.app_id,
                AppChatLog.update_time.between(lo, hi), *self._source_filter(AppChatLog.source),
            )  # fmt: skip
            for row in await self.session.execute(raw):
                sums = result.setdefault(self._local(row[0]), [0.0] * 8)
                for index, value in enumerate((1, *row[1:7], int(bool(row[7])))):
                    sums[index] += float(value or 0)
        return result

    def _edges(self) -> list[tuple[datetime, datetime]]:
        start, end = self.query.date_start, self.query.date_end
        if self.first_slot >= self.end_slot:
            return [(start, end)]
        first = datetime.fromtimestamp(self.first_slot * SLOT_SECONDS, UTC)
        last = datetime.fromtimestamp(self.end_slot * SLOT_SECONDS, UTC)
        return [(start, first - TICK), (last, end)]

    def _interior(self, day: date, start: datetime, end: datetime) -> bool:
        first, last = day_bounds(day, self.zone)
        return start <= first and last <= end

    async def _raw_users(self, column: Any, lo: datetime, hi: datetime, first_only: bool) -> set[tuple[str, str]]:
        where = [AppChatLog.team_id == self.query.team_id, AppChatLog.app_id == self.query.app_id,
                 column.between(lo, hi), *self._source_filter(AppChatLog.source)]  # fmt: skip
        if first_only:
            where.append(AppChatLog.is_first_chat.is_(True))
        rows = await self.session.execute(select(AppChatLog.user_id, AppChatLog.source).where(*where).distinct())
        return {(row[0], row[1]) for row in rows}

    async def day_users(self, days: list[date]) -> tuple[dict[date, int], dict[date, dict[str, int]]]:
        """Distinct users per local day, overall and per source (the caller checked `counters`)."""
        start, end = self.query.date_start, self.query.date_end
        inner = [day for day in days if self._interior(day, start, end)]
        users: dict[date, int] = {}
        per_source: dict[date, dict[str, int]] = defaultdict(dict)
        if inner:
            counters = AppChatDayUsers
            rows = await self.session.execute(
                select(counters.day, counters.source, counters.users).where(
                    counters.app_id == self.query.app_id,
                    counters.day.between(day_number(inner[0]), day_number(inner[-1])),
                    counters.users > 0,
                )
            )
            wanted = set(self.query.sources)
            for day_no, source, count in rows:
                day = EPOCH + timedelta(days=int(day_no))
                if source == ANY_SOURCE:
                    if not wanted:
                        users[day] = int(count)
                elif not wanted or source in wanted:
                    per_source[day][source] = int(count)
                    if wanted:
                        users[day] = int(count)
        for day in days:
            if day in inner:
                continue
            first, last = day_bounds(day, self.zone)
            lo, hi = max(first, start), min(last, end)
            if lo > hi:
                continue
            pairs = await self._raw_users(AppChatLog.update_time, lo, hi, first_only=False)
            users[day] = len({user for user, _ in pairs})
            for source in {source for _, source in pairs}:
                per_source[day][source] = len({user for user, used in pairs if used == source})
        return users, per_source

    async def retention(self, days: list[date]) -> dict[date, int]:
        query, offset = self.query, self.query.offset
        later_start = shift_instant(query.date_start, Timespan.day, offset, self.zone)
        later_end = shift_instant(query.date_end, Timespan.day, offset, self.zone)
        counted = [day for day in days if self._interior(day, query.date_start, query.date_end)
                   and self._interior(day + timedelta(days=offset), later_start, later_end)]  # fmt: skip
        result: dict[date, int] = {}
        if counted:
            table = AppChatRetention
            rows = await self.session.execute(
                select(table.first_day, table.users).where(
                    table.app_id == query.app_id,
                    table.source == (query.sources[0] if query.sources else ANY_SOURCE),
                    table.lag == offset,
                    table.first_day.between(day_number(counted[0]), day_number(counted[-1])),
                )
            )
            result = {EPOCH + timedelta(days=int(day_no)): int(count) for day_no, count in rows}
        for day in days:
            if day in counted:
                continue
            first, last = day_bounds(day, self.zone)
            later_first, later_last = day_bounds(day + timedelta(days=offset), self.zone)
            lo, hi = max(first, query.date_start), min(last, query.date_end)
            later_lo, later_hi = max(later_first, later_start), min(later_last, later_end)
            if lo > hi or later_lo > later_hi:
                continue
            newcomers = {user for user, _ in await self._raw_users(AppChatLog.create_time, lo, hi, first_only=True)}
            active = {user for user, _ in await self._raw_users(AppChatLog.update_time, later_lo, later_hi, False)}
            result[day] = len(newcomers & active)
        return result


def fold(days: dict[date, list[float]], span: Timespan) -> dict[date, list[float]]:
    """Sum per-day figures into the span's buckets."""
    result: dict[date, list[float]] = {}
    for day, figures in days.items():
        sums = result.setdefault(bucket_start(day, span), [0.0] * len(figures))
        for index, value in enumerate(figures):
            sums[index] += value
    return result
