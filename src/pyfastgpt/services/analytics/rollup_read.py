"""getChartData from the rollups, exactly equal to grouping the raw rows (`chart.ChartBuilder`), in one statement.

Additive figures: the quarter-hours of `app_chat_stats` that lie wholly inside ``[dateStart, dateEnd]``
are grouped per local day in SQL (their slot moved by the zone's offset), and the rows of the two partial
quarter-hours at the range's ends are summed raw. A zone whose offsets or transitions are not whole
quarter-hours over the range (none in today's tz database) is not served here: the caller groups the raw
rows. Distinct users and retention (`rollup_users.py`) count only when the app's rollup zone is the
chart's zone.

The figures are SQL text over one `Binds` (text builds in microseconds where SQLAlchemy constructs of
this size take milliseconds, and keeps one SQL text per shape for the drivers' statement caches);
`RollupReader.read` runs them, and the zone check, as one statement: one round trip per chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from pyfastgpt.services.analytics.local_days import TICK, day_number, day_of
from pyfastgpt.services.analytics.sql_buckets import Binds, Segments
from pyfastgpt.services.analytics.timespans import Timespan, bucket_start
from pyfastgpt.store.models.analytics import SLOT_SECONDS, utc_offsets

DAY_SLOTS = 86400 // SLOT_SECONDS
FIGURES = ("chat_item_count", "error_count", "total_points", "good_feedback_count", "bad_feedback_count",
           "total_response_time")  # fmt: skip
Rows = list[tuple[Any, ...]]  # a figure's rows: its text column, then its numbers


@dataclass(frozen=True, slots=True)
class Figure:
    """The SQL of one figure ('' when there is nothing to count) and its columns in order: ``n0``, ``n1``…
    numbers, ``s`` a text."""

    sql: str
    columns: tuple[str, ...]
    of_users: bool  # counted by the user rollups: answered only in their zone

    @property
    def numbers(self) -> list[str]:
        return [name for name in self.columns if name != "s"]


def _aligned(segments: Segments) -> bool:
    return all(
        offset % SLOT_SECONDS == 0 and (start is None or int(start.timestamp()) % SLOT_SECONDS == 0)
        for start, offset in segments
    )


class RollupReader:
    def __init__(self, session: AsyncSession, query: Any, zone: ZoneInfo, segments: Segments) -> None:
        self.session, self.query, self.zone, self.segments = session, query, zone, segments
        self.dialect = session.get_bind().dialect.name
        self.binds = Binds()  # of the one statement of the chart

    @classmethod
    def open(cls, session: AsyncSession, query: Any, zone: ZoneInfo) -> RollupReader | None:
        segments = utc_offsets(zone, query.date_start, query.date_end)
        return cls(session, query, zone, segments) if _aligned(segments) else None

    async def read(self, figures: list[Figure]) -> tuple[bool, list[Rows]]:
        """Whether the user rollups count days in the chart's zone, and each figure's rows (none for the
        user figures when they do not)."""
        bind, counted = self.binds, [(index, figure) for index, figure in enumerate(figures) if figure.sql]
        app = bind(self.query.app_id)
        in_zone = f"EXISTS (SELECT 1 FROM app_chat_rollup_zones WHERE app_id = {app} AND zone = {bind(self.zone.key)})"
        width = max(len(figure.numbers) for figure in figures)
        ctes = [f"f{index}({', '.join(figure.columns)}) AS ({figure.sql})" for index, figure in counted]
        parts = [f"SELECT -1, zone{', NULL' * width} FROM app_chat_rollup_zones WHERE app_id = {app}"]
        for index, figure in counted:
            columns = ", ".join(["s" if "s" in figure.columns else "NULL", *figure.numbers])
            padding = ", NULL" * (width - len(figure.numbers))
            guard = f" WHERE {in_zone}" if figure.of_users else ""
            parts.append(f"SELECT {index}, {columns}{padding} FROM f{index}{guard}")
        sql = f"WITH {', '.join(ctes)} {' UNION ALL '.join(parts)}" if ctes else parts[0]
        rows: list[Rows] = [[] for _ in figures]
        users_in_zone = False
        for index, *row in await self.session.execute(bind.statement(sql)):
            if index < 0:
                users_in_zone = row[0] == self.zone.key
            else:
                rows[index].append(tuple(row))
        return users_in_zone, rows

    def in_sources(self, column: str) -> str:
        """`` AND column IN (sources)`` when the query names sources."""
        return f" AND {column} IN {self.binds(tuple(self.query.sources))}" if self.query.sources else ""

    def raw(self, alias: str) -> str:
        """The conditions of the query's raw rows (team, app and sources) in `app_chat_logs` ``alias``."""
        team, app = self.binds(self.query.team_id), self.binds(self.query.app_id)
        return f"{alias}.team_id = {team} AND {alias}.app_id = {app}{self.in_sources(f'{alias}.source')}"

    def additive(self) -> Figure:
        """Per local day: chats, items, errors, points, good, bad, response time, first chats (`additive_days`)."""
        start, end = self.query.date_start, self.query.date_end
        first_slot = -int(-start.timestamp() // SLOT_SECONDS)  # the first quarter-hour starting in the range
        end_slot = int((end + TICK).timestamp()) // SLOT_SECONDS  # quarter-hours before it end in the range
        first_whole = datetime.fromtimestamp(first_slot * SLOT_SECONDS, UTC)
        after_whole = datetime.fromtimestamp(end_slot * SLOT_SECONDS, UTC)
        if first_whole <= after_whole:
            edges = [(start, first_whole - TICK), (after_whole, end)]
        else:  # the range lies inside one quarter-hour
            edges = [(start, end)]
        parts = [*self._slot_days(first_slot, end_slot), *(self._raw_day(lo, hi) for lo, hi in edges if lo <= hi)]
        return Figure(" UNION ALL ".join(parts), tuple(f"n{index}" for index in range(9)), of_users=False)

    def _slot_days(self, first_slot: int, end_slot: int) -> list[str]:
        """The whole quarter-hours grouped per local day: one branch per UTC offset of the zone over them (a
        day across a transition comes in two rows), so the offset is a constant, not a CASE on each row."""
        bind, sums = self.binds, ", ".join(f"SUM({column})" for column in ("chat_count", *FIGURES, "first_chat_count"))
        changes = [int(start.timestamp()) // SLOT_SECONDS for start, _ in self.segments if start is not None]
        bounds = [first_slot, *(min(max(change, first_slot), end_slot) for change in changes), end_slot]
        return [
            f"SELECT (slot + {bind(offset // SLOT_SECONDS)}) / {DAY_SLOTS} AS day, {sums} FROM app_chat_stats "
            f"WHERE app_id = {bind(self.query.app_id)} AND slot >= {bind(lo)} AND slot < {bind(hi)}"
            f"{self.in_sources('source')} GROUP BY day"
            for (_, offset), lo, hi in zip(self.segments, bounds, bounds[1:], strict=False)
            if lo < hi
        ]

    def _raw_day(self, lo: datetime, hi: datetime) -> str:
        """The figures of the raw rows updated in ``[lo, hi]``, within one quarter-hour and so one local day."""
        sums = ", ".join(f"SUM(l.{column})" for column in FIGURES)
        return (
            f"SELECT {self.binds(day_number(lo.astimezone(self.zone).date()))}, COUNT(*), {sums}, "
            "SUM(CASE WHEN l.is_first_chat THEN 1 ELSE 0 END) FROM app_chat_logs l "
            f"WHERE {self.raw('l')} AND l.update_time BETWEEN {self.binds(lo)} AND {self.binds(hi)}"
        )


def additive_days(rows: Rows) -> dict[date, list[float]]:
    """Per local day with rows: [chats, items, errors, points, good, bad, response time, first chats]."""
    result: dict[date, list[float]] = {}
    for _, day, *figures in rows:
        if not figures[0]:  # no rows end there (its quarter-hours' rows all moved on)
            continue
        sums = result.setdefault(day_of(int(day)), [0.0] * 8)
        for index, value in enumerate(figures):
            sums[index] += float(value or 0)
    return result


def fold(days: dict[date, list[float]], span: Timespan) -> dict[date, list[float]]:
    """Sum per-day figures into the span's buckets."""
    result: dict[date, list[float]] = {}
    for day, figures in days.items():
        sums = result.setdefault(bucket_start(day, span), [0.0] * len(figures))
        for index, value in enumerate(figures):
            sums[index] += value
    return result
