"""Distinct users (``userCount``, ``sourceCountMap``) and retention from the user rollups, for a chart in the
app's rollup zone, exactly equal to grouping the raw rows (`chart.ChartBuilder`).

The local days wholly inside the range come from the rollups, the (at most two) partial days at its ends
from the raw rows (`local_days.py`), counted in SQL (figures of `rollup_read.RollupReader`).

- At most one source: the counters of the buckets wholly inside the range (`app_chat_day_users`,
  `app_chat_retention`; `app_chat_span_users`, `app_chat_span_retention` for weeks, months, quarters).
  A partial bucket's users are counted from its raw rows or, when the rest of the bucket holds fewer
  rows (often none: the future, or the time before the app's first chat), as the bucket's counter less
  the users whose rows of that bucket all lie in the rest (their rows there number their presence that
  day; their days there, their days in the bucket). Retention reads the counters for the buckets whole
  in the range whose later bucket is whole in the later range, and checks the other buckets' newcomers
  one by one, as below.
- Several sources: distinct users over the presence rows (`app_chat_presence`, per user × local day ×
  source, ``''`` for any source), bucketed in SQL; the retention of a bucket checks each of its
  newcomers (`app_chat_users` on whole days) for presence ``offset`` spans later.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from pyfastgpt.services.analytics.local_days import Edge, LocalDays, day_bounds, day_number, day_of
from pyfastgpt.services.analytics.rollup_read import Figure, RollupReader, Rows
from pyfastgpt.services.analytics.timespans import Timespan, bucket_start, buckets_between, shift, shift_instant
from pyfastgpt.store.models.analytics import local_day_sql, utc_offsets
from pyfastgpt.store.models.analytics_spans import day_bucket_sql

ANY_SOURCE = ""


class UserRollups:
    def __init__(self, reader: RollupReader) -> None:
        self.reader, self.bind = reader, reader.binds
        self.query, self.sources = reader.query, reader.query.sources
        self.days = LocalDays.cut(self.query.date_start, self.query.date_end, reader.zone)

    def _counted(self) -> bool:
        """Whether the counters answer: they count one source, or any."""
        return len(self.sources) <= 1

    def _cut(self, span: Timespan) -> LocalDays:
        return self.days if span is Timespan.day else LocalDays.cut(*self._range, self.reader.zone, span)

    @property
    def _range(self) -> tuple[datetime, datetime]:
        return self.query.date_start, self.query.date_end

    def _day_range(self, column: str, days: tuple[date, date]) -> str:
        return f"{column} BETWEEN {self.bind(day_number(days[0]))} AND {self.bind(day_number(days[1]))}"

    def users(self, span: Timespan) -> Figure:
        """Distinct users per bucket and source (``''``: any source); `user_counts` reads its rows."""
        sql = self._counter_users(span) if self._counted() else self._present_users(span)
        return Figure(sql, ("n0", "s", "n1"), of_users=True)

    def user_counts(self, rows: Rows) -> tuple[dict[date, int], dict[date, dict[str, int]]]:
        """Distinct users per bucket, overall and per source."""
        counts: dict[tuple[date, str], int] = defaultdict(int)
        for source, bucket, count, *_ in rows:
            counts[day_of(int(bucket)), source] += int(count)
        users: dict[date, int] = {}
        per_source: dict[date, dict[str, int]] = defaultdict(dict)
        for (bucket, source), count in counts.items():
            if not count:  # a partial day whose users all fell outside the range
                continue
            if source != ANY_SOURCE:
                per_source[bucket][source] = count
            if source == ANY_SOURCE or len(self.sources) == 1:
                users[bucket] = count
        return users, per_source

    def _counter_users(self, span: Timespan) -> str:
        """(bucket, source, users) rows, summed per bucket and source by `user_counts`: the counters of the
        buckets wholly inside the range; each partial bucket counted from its rows in the range or, when the
        rest of the bucket holds fewer rows, as its counter less the users all of whose rows lie in the rest."""
        cut, ctes = self._cut(span), []
        parts = [self._counters(span, self._day_range(_BUCKET[span], cut.inner))] if cut.inner else []
        for index, edge in enumerate(cut.edges):
            if edge.rest is None:
                cte, edge_parts = self._raw_day_users(index, edge, "")
                ctes.append(cte)
                parts += edge_parts
                continue
            pick = f"pick{index}"
            ctes += self._pick_part(pick, edge)
            cte, edge_parts = self._raw_day_users(index, edge, f" AND (SELECT part FROM {pick})")
            less_rest = self._day_users_less_rest if span is Timespan.day else self._span_users_less_rest
            rest_cte, rest_parts = less_rest(index, edge, span, f" AND NOT (SELECT part FROM {pick})")
            ctes += [cte, rest_cte]
            parts += [*edge_parts, *rest_parts]
        sql = " UNION ALL ".join(parts)
        return f"WITH {', '.join(ctes)} {sql}" if ctes else sql

    def _pick_part(self, pick: str, edge: Edge) -> list[str]:
        """CTEs: ``pick`` is true when the edge's part of the day holds no more rows than the rest, from
        index-only counts (the part's counted only up to the rest's: the rest is often empty)."""
        assert edge.rest is not None
        bind, rest_rows = self.bind, f"{pick}_rest"
        rows = f"FROM app_chat_logs WHERE app_id = {bind(self.query.app_id)} AND update_time BETWEEN"
        part_rows = (
            f"SELECT COUNT(*) FROM (SELECT 1 {rows} {bind(edge.lo)} AND {bind(edge.hi)} "
            f"LIMIT (SELECT n FROM {rest_rows}) + 1) c"
        )
        return [
            f"{rest_rows}(n) AS (SELECT COUNT(*) {rows} {bind(edge.rest[0])} AND {bind(edge.rest[1])})",
            f"{pick}(part) AS (SELECT ({part_rows}) <= (SELECT n FROM {rest_rows}))",
        ]

    def _counters(self, span: Timespan, buckets: str) -> str:
        """The users counted per bucket (of ``buckets``, a condition on `_BUCKET`) and source."""
        one_source = f" AND source = {self.bind(self.sources[0])}" if self.sources else ""
        if span is Timespan.day:
            counted = "FROM app_chat_day_users WHERE"
        else:
            counted = f"FROM app_chat_span_users WHERE span = {self.bind(span.value)} AND"
        return (
            f"SELECT {_BUCKET[span]}, source, users {counted} "
            f"app_id = {self.bind(self.query.app_id)}{one_source} AND {buckets}"
        )

    def _raw_day_users(self, index: int, edge: Edge, when: str) -> tuple[str, list[str]]:
        """A CTE of the edge's (user, source) pairs and the parts counting them per source and (unless one
        source is asked) overall."""
        pairs, day = f"part{index}", self.bind(day_number(edge.day))
        cte = (
            f"{pairs} AS (SELECT l.user_id, l.source FROM app_chat_logs l WHERE {self.reader.raw('l')} "
            f"AND l.update_time BETWEEN {self.bind(edge.lo)} AND {self.bind(edge.hi)}{when} "
            "GROUP BY l.user_id, l.source)"
        )
        parts = [f"SELECT {day}, source, COUNT(*) FROM {pairs} GROUP BY source"]
        if len(self.sources) != 1:
            parts.append(f"SELECT {day}, {self.bind(ANY_SOURCE)}, COUNT(DISTINCT user_id) FROM {pairs}")
        return cte, parts

    def _day_users_less_rest(self, index: int, edge: Edge, span: Timespan, when: str) -> tuple[str, list[str]]:
        """The day's counters less the users (per source and overall) all of whose rows of the day lie in the
        rest of the day, outside the range: a CTE of their rows there and the parts."""
        assert edge.rest is not None
        bind, in_rest, day = self.bind, f"rest{index}", self.bind(day_number(edge.day))
        cte = (
            f"{in_rest} AS (SELECT l.user_id, l.source, COUNT(*) AS n FROM app_chat_logs l "
            f"WHERE {self.reader.raw('l')} AND l.update_time BETWEEN {bind(edge.rest[0])} AND {bind(edge.rest[1])}"
            f"{when} GROUP BY l.user_id, l.source)"
        )
        groups = self._with_any_source(in_rest, "")
        # A lookup per group: a join may become a scan of the app's presence rows (SQLite).
        all_rows_in_rest = (
            f"EXISTS (SELECT 1 FROM app_chat_presence p WHERE p.app_id = {bind(self.query.app_id)} "
            f"AND p.user_id = g.user_id AND p.day = {day} AND p.source = g.source AND p.rows = g.n)"
        )
        return cte, [
            self._counters(span, f"day = {day}{when}"),
            f"SELECT {day}, g.source, -COUNT(*) FROM {groups} g WHERE {all_rows_in_rest} GROUP BY g.source",
        ]

    def _with_any_source(self, rows: str, key: str) -> str:
        """The (user_id, source, [key,] n) ``rows`` and, unless one source is asked, their sums over the
        sources as source ``''``."""
        if len(self.sources) == 1:
            return rows
        keys = f"{key}, " if key else ""
        return (
            f"(SELECT user_id, source, {keys}n FROM {rows} UNION ALL SELECT user_id, {self.bind(ANY_SOURCE)}, "
            f"{keys}SUM(n) FROM {rows} GROUP BY user_id{', ' + key if key else ''})"
        )

    def _span_users_less_rest(self, index: int, edge: Edge, span: Timespan, when: str) -> tuple[str, list[str]]:
        """The bucket's counters less the users all of whose rows of the bucket lie in its rest: a CTE of their
        rows there per local day, and the parts. A user's rows of a day all lie in the rest when the day is
        whole in it, or when they number the user's presence that day (the day the range cuts); all of the
        user's rows of the bucket do when, besides, those days number the user's days in the bucket."""
        assert edge.rest is not None
        bind, app, bucket = self.bind, self.bind(self.query.app_id), self.bind(day_number(edge.day))
        zone, (lo, hi) = self.reader.zone, edge.rest
        local = local_day_sql("l.update_time", self.reader.dialect, utc_offsets(zone, lo, hi))
        cut = day_number((hi if hi < edge.lo else lo).astimezone(zone).date())  # the rest's day next to the range
        in_rest = f"rest{index}"
        cte = (
            f"{in_rest} AS (SELECT l.user_id AS user_id, l.source AS source, {local} AS day, COUNT(*) AS n "
            f"FROM app_chat_logs l WHERE {self.reader.raw('l')} AND l.update_time BETWEEN {bind(lo)} AND {bind(hi)}"
            f"{when} GROUP BY l.user_id, l.source, {local})"
        )
        groups = self._with_any_source(in_rest, "day")
        day_in_rest = (
            f"g.day <> {bind(cut)} OR EXISTS (SELECT 1 FROM app_chat_presence p WHERE p.app_id = {app} "
            "AND p.user_id = g.user_id AND p.day = g.day AND p.source = g.source AND p.rows = g.n)"
        )
        users = (
            f"SELECT g.user_id, g.source, COUNT(*) AS days FROM {groups} g GROUP BY g.user_id, g.source "
            f"HAVING MIN(CASE WHEN {day_in_rest} THEN 1 ELSE 0 END) = 1"
        )
        all_days_in_rest = (
            f"EXISTS (SELECT 1 FROM app_chat_span_presence s WHERE s.app_id = {app} AND s.user_id = u.user_id "
            f"AND s.span = {bind(span.value)} AND s.bucket = {bucket} AND s.source = u.source AND s.days = u.days)"
        )
        return cte, [
            self._counters(span, f"bucket = {bucket}{when}"),
            f"SELECT {bucket}, u.source, -COUNT(*) FROM ({users}) u WHERE {all_days_in_rest} GROUP BY u.source",
        ]

    def _present_users(self, span: Timespan) -> str:
        """The distinct (bucket, source, user) of the presence rows of whole days and of the raw rows of the
        edges, counted per bucket and source, and per bucket (source ``''``) unless one source is asked.

        The two engines want different shapes (measured at 1M rows): SQLite groups by sorting, so one
        distinct pass over the per-source triples feeds both counts (a third faster); PostgreSQL hashes
        the union of the per-source and the any-source triples (it sorts such a shared distinct on disk)."""
        bind, one_pass = self.bind, self.reader.dialect == "sqlite"
        any_too = len(self.sources) != 1 and not one_pass  # triples of source '' for the overall count
        parts = []
        if self.days.inner is not None:
            bucket = day_bucket_sql("p.day", span, self.reader.dialect)
            sources = self.reader.in_sources("p.source")
            if not sources and one_pass:
                sources = f" AND p.source <> {bind(ANY_SOURCE)}"  # without sources, '' is any source
            present = (
                f"FROM app_chat_presence p WHERE p.app_id = {bind(self.query.app_id)} AND p.rows > 0 "
                f"AND {self._day_range('p.day', self.days.inner)}{sources}"
            )
            parts.append(f"SELECT {bucket} AS bucket, p.source AS source, p.user_id AS user_id {present}")
            if any_too and self.sources:
                parts.append(f"SELECT {bucket} AS bucket, {bind(ANY_SOURCE)} AS source, p.user_id AS user_id {present}")
        for edge in self.days.edges:
            bucket = bind(day_number(bucket_start(edge.day, span)))
            rows = (
                f"FROM app_chat_logs l WHERE {self.reader.raw('l')} "
                f"AND l.update_time BETWEEN {bind(edge.lo)} AND {bind(edge.hi)}"
            )
            parts.append(f"SELECT {bucket} AS bucket, l.source AS source, l.user_id AS user_id {rows}")
            if any_too:
                parts.append(f"SELECT {bucket} AS bucket, {bind(ANY_SOURCE)} AS source, l.user_id AS user_id {rows}")
        if not parts:
            return ""
        counts = "SELECT bucket, source, COUNT(*) FROM triples GROUP BY bucket, source"
        if one_pass and len(self.sources) != 1:
            counts += (
                f" UNION ALL SELECT bucket, {bind(ANY_SOURCE)}, COUNT(DISTINCT user_id) FROM triples GROUP BY bucket"
            )
        return f"WITH triples AS ({_distinct(parts)}) {counts}"

    def retention(self, span: Timespan) -> Figure:
        """Per bucket, its newcomers active again ``offset`` spans later; `retention_counts` reads its rows."""
        query, zone = self.query, self.reader.zone
        later = LocalDays.cut(
            shift_instant(query.date_start, span, query.offset, zone),
            shift_instant(query.date_end, span, query.offset, zone),
            zone,
        )
        if not self._counted():
            sql = self._returning(span, later)
        elif span is Timespan.day:
            sql = self._day_counter_retention(later)
        else:
            sql = self._span_counter_retention(span, later)
        return Figure(sql, ("n0", "n1"), of_users=True)

    def _whole_on_both_sides(self, cut: LocalDays, later: LocalDays, span: Timespan) -> tuple[date, date] | None:
        """The first and last bucket whole in the range whose bucket ``offset`` spans later is whole in the later
        range (None when there is none)."""
        if cut.inner is None or later.inner is None:
            return None
        offset = self.query.offset
        first = max(cut.inner[0], shift(later.inner[0], span, -offset))
        last = min(cut.inner[1], shift(later.inner[1], span, -offset))
        return (first, last) if first <= last else None

    def _span_counter_retention(self, span: Timespan, later_days: LocalDays) -> str:
        """The counters for the buckets whole in the range whose bucket ``offset`` spans later is whole in the
        later range; the newcomers of the other buckets (a few at the range's ends) checked one by one."""
        query, zone, offset = self.query, self.reader.zone, self.query.offset
        start, end = (shift_instant(moment, span, offset, zone) for moment in self._range)
        counted = self._whole_on_both_sides(self._cut(span), LocalDays.cut(start, end, zone, span), span)
        if counted is None:
            return self._returning(span, later_days)
        first, last = counted
        source = self.sources[0] if self.sources else ANY_SOURCE
        counters = (
            f"SELECT first_bucket, users FROM app_chat_span_retention WHERE app_id = {self.bind(query.app_id)} "
            f"AND span = {self.bind(span.value)} AND source = {self.bind(source)} AND lag = {self.bind(offset)} "
            f"AND {self._day_range('first_bucket', counted)}"
        )
        others = self._returning(span, later_days, skip=(first, shift(last, span, 1) - timedelta(days=1)))
        return f"{counters} UNION ALL {others}" if others else counters

    @staticmethod
    def retention_counts(rows: Rows) -> dict[date, int]:
        return {day_of(int(bucket)): int(count) for _, bucket, count, *_ in rows}

    def _present(self) -> str:
        """The presence rows ``p`` of the app, with rows, of the query's sources or of any source."""
        sources = self.reader.in_sources("p.source") or f" AND p.source = {self.bind(ANY_SOURCE)}"
        return f"p.app_id = {self.bind(self.query.app_id)} AND p.rows > 0{sources}"

    def _newcomers(self, lo: datetime, hi: datetime) -> str:
        """The raw first rows ``l`` created in ``[lo, hi]``."""
        return (
            f"FROM app_chat_logs l WHERE {self.reader.raw('l')} AND l.is_first_chat = {self.bind(True)} "
            f"AND l.create_time BETWEEN {self.bind(lo)} AND {self.bind(hi)}"
        )

    def _active_raw(self, user: str, edge: Edge) -> str:
        """Whether ``user`` has a raw row updated in the edge."""
        return (
            f"EXISTS (SELECT 1 FROM app_chat_logs m WHERE {self.reader.raw('m')} AND m.user_id = {user} "
            f"AND m.update_time BETWEEN {self.bind(edge.lo)} AND {self.bind(edge.hi)})"
        )

    def _returning(self, span: Timespan, later: LocalDays, skip: tuple[date, date] | None = None) -> str:
        """Newcomers per bucket (`app_chat_users` on whole days, raw first rows on the edges) with a row
        ``offset`` spans later: presence on the later range's whole days, raw rows on its edges. Newcomers
        of the days ``skip`` (whole buckets the counters answer) are left out."""
        bind, dialect, offset = self.bind, self.reader.dialect, self.query.offset
        newcomers = []
        if self.days.inner is not None:
            skipped = f" AND NOT {self._day_range('u.first_day', skip)}" if skip else ""
            newcomers.append(
                f"SELECT u.user_id AS user_id, {day_bucket_sql('u.first_day', span, dialect)} AS bucket "
                f"FROM app_chat_users u WHERE u.app_id = {bind(self.query.app_id)} "
                f"AND {self._day_range('u.first_day', self.days.inner)}{skipped}"
                f"{self.reader.in_sources('u.first_source')}"
            )
        for edge in self.days.edges:
            bucket = bind(day_number(bucket_start(edge.day, span)))
            newcomers.append(f"SELECT l.user_id AS user_id, {bucket} AS bucket {self._newcomers(edge.lo, edge.hi)}")
        found, later_days = [], self._later_days(span, later, skip)
        if later_days:
            found.append(
                f"EXISTS (SELECT 1 FROM app_chat_presence p WHERE {self._present()} AND p.user_id = n.user_id "
                "AND p.day BETWEEN s.column2 AND s.column3)"
            )
        for edge in later.edges:
            newcomer_bucket = day_number(shift(bucket_start(edge.day, span), span, -offset))
            found.append(f"(n.bucket = {bind(newcomer_bucket)} AND {self._active_raw('n.user_id', edge)})")
        if not newcomers or not found:
            return ""
        with_days = f" LEFT JOIN ({later_days}) s ON s.column1 = n.bucket" if later_days else ""
        return (
            f"SELECT n.bucket, COUNT(*) FROM ({_distinct(newcomers)}) n{with_days} "
            f"WHERE {' OR '.join(found)} GROUP BY n.bucket"
        )

    def _later_days(self, span: Timespan, later: LocalDays, skip: tuple[date, date] | None) -> str:
        """VALUES (bucket, lo, hi): for each bucket of the range (but those of ``skip``), the whole days of the
        later range in the bucket ``offset`` spans later. Constants, so the presence lookups are index ranges;
        integer literals, as a long range of day buckets would exceed the drivers' bind limits."""
        if later.inner is None:
            return ""
        zone, offset, rows = self.reader.zone, self.query.offset, []
        first, last = (moment.astimezone(zone).date() for moment in self._range)
        for bucket in buckets_between(first, last, span):
            if skip is not None and skip[0] <= bucket <= skip[1]:
                continue
            lo = max(shift(bucket, span, offset), later.inner[0])
            hi = min(shift(bucket, span, offset + 1) - timedelta(days=1), later.inner[1])
            if lo <= hi:
                rows.append(f"({day_number(bucket):d}, {day_number(lo):d}, {day_number(hi):d})")
        return f"VALUES {', '.join(rows)}" if rows else ""

    def _day_counter_retention(self, later: LocalDays) -> str:
        """The counters for the days whole on both sides (with the day ``offset`` days later); each other day (a
        few at the range's ends) counts its raw newcomers found on that later day."""
        query, zone, bind, gap = self.query, self.reader.zone, self.bind, timedelta(days=self.query.offset)
        counted = self._whole_on_both_sides(self.days, later, Timespan.day)
        parts = []
        if counted is not None:
            source = self.sources[0] if self.sources else ANY_SOURCE
            parts.append(
                f"SELECT first_day, users FROM app_chat_retention WHERE app_id = {bind(query.app_id)} "
                f"AND source = {bind(source)} AND lag = {bind(query.offset)} "
                f"AND {self._day_range('first_day', counted)}"
            )
        day, last_day = query.date_start.astimezone(zone).date(), query.date_end.astimezone(zone).date()
        while day <= last_day:
            if counted is not None and day == counted[0]:
                day = counted[1]
            elif found := self._active_on(day + gap, later):
                first_instant, last_instant = day_bounds(day, zone)
                newcomers = self._newcomers(max(first_instant, query.date_start), min(last_instant, query.date_end))
                parts.append(f"SELECT {bind(day_number(day))}, COUNT(DISTINCT l.user_id) {newcomers} AND {found}")
            day += timedelta(days=1)
        return " UNION ALL ".join(parts)

    def _active_on(self, day: date, later: LocalDays) -> str:
        """Whether the user of raw row ``l`` has a row on local ``day`` of the later range ('': no such day)."""
        if later.is_inner(day):
            return (
                f"EXISTS (SELECT 1 FROM app_chat_presence p WHERE {self._present()} "
                f"AND p.user_id = l.user_id AND p.day = {self.bind(day_number(day))})"
            )
        return next((self._active_raw("l.user_id", edge) for edge in later.edges if edge.day == day), "")


_BUCKET = {span: "day" if span is Timespan.day else "bucket" for span in Timespan}  # the counters' bucket column


def _distinct(selects: list[str]) -> str:
    """The distinct rows of the selects."""
    return " UNION ".join(selects) if len(selects) > 1 else f"SELECT DISTINCT {selects[0].removeprefix('SELECT ')}"
