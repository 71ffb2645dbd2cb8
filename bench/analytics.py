"""getChartData over 90 days of 1M `app_chat_logs` rows, on SQLite and PostgreSQL, against a bare
grouped SELECT over the same rows in the same run (the baseline).

The rows are generated inside the database (a recursive CTE on SQLite, ``generate_series`` on
PostgreSQL) with the same arithmetic, so both engines hold identical data: 50,000 users, four
sources, rounds spread uniformly over 90 days. The chart is asked in America/New_York (the range
crosses a DST change) with day buckets for all three series and a one-day retention offset.

Usage: python bench/analytics.py [--rows 1000000] [--repeat 10] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

from sqlalchemy import text  # noqa: E402

from pyfastgpt.services.analytics.chart import ChartQuery, chart_data  # noqa: E402
from pyfastgpt.services.analytics.timespans import Timespan  # noqa: E402
from pyfastgpt.store.db import Database  # noqa: E402
from pyfastgpt.store.migrate import upgrade  # noqa: E402
from pyfastgpt.store.models.analytics import rebuild_rollups  # noqa: E402

TEAM, APP = "t" * 24, "a" * 24
START = datetime(2024, 1, 15, tzinfo=UTC)
DAYS = 90
USERS = 50_000

# One row per n, the same formulas on both engines ({t} is the update time expression for n).
COLUMNS = (
    "id, team_id, app_id, chat_id, user_id, source, source_name, create_time, update_time, chat_item_count, "
    "error_count, total_points, good_feedback_count, bad_feedback_count, total_response_time, is_first_chat"
)
SELECT = (
    "{id}, '{team}', '{app}', 'c' || n, 'u' || ((n * 31) % {users}), "
    "CASE n % 4 WHEN 0 THEN 'api' WHEN 1 THEN 'online' WHEN 2 THEN 'share' ELSE 'test' END, 'k', "
    "{created}, {updated}, 1 + n % 5, CASE WHEN n % 17 = 0 THEN 1 ELSE 0 END, (n % 13) * 0.25, "
    "CASE WHEN n % 23 = 0 THEN 1 ELSE 0 END, CASE WHEN n % 29 = 0 THEN 1 ELSE 0 END, (n % 11) * 0.5, {first}"
)


def spread(n: str) -> str:
    return f"(({n}) * 7919) % {DAYS * 86400}"


async def fill_sqlite(db: Database, rows: int) -> None:
    base = START.strftime("%Y-%m-%d %H:%M:%S")
    updated = f"strftime('%Y-%m-%d %H:%M:%S', '{base}', printf('%+d seconds', {spread('n')})) || '.000000'"
    created = f"strftime('%Y-%m-%d %H:%M:%S', '{base}', printf('%+d seconds', {spread('n')} - n % 900)) || '.000000'"
    select = SELECT.format(id="printf('%024d', n)", team=TEAM, app=APP, users=USERS, created=created,
                           updated=updated, first=f"n < {USERS}")  # fmt: skip
    insert = text(
        f"WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < {rows - 1}) "
        f"INSERT INTO app_chat_logs ({COLUMNS}) SELECT {select} FROM seq"
    )
    await db.run_write(lambda conn: conn.execute(insert))


async def fill_postgres(db: Database, rows: int) -> None:
    base = f"TIMESTAMPTZ '{START.isoformat()}'"
    updated = f"{base} + make_interval(secs => {spread('n::bigint')})"
    created = f"{base} + make_interval(secs => {spread('n::bigint')} - n % 900)"
    select = SELECT.format(id="lpad(n::text, 24, '0')", team=TEAM, app=APP, users=USERS, created=created,
                           updated=updated, first=f"n < {USERS}")  # fmt: skip
    insert = text(f"INSERT INTO app_chat_logs ({COLUMNS}) SELECT {select} FROM generate_series(0, {rows - 1}) AS n")
    await db.run_write(lambda conn: conn.execute(insert))


# The baseline: a bare grouped SELECT over the rollup (UTC days of quarter-hour slots).
ROLLUP_BASELINE = (
    "SELECT slot / 96 AS d, SUM(chat_count), SUM(chat_item_count), SUM(error_count), SUM(total_points), "
    "SUM(good_feedback_count), SUM(bad_feedback_count), SUM(total_response_time), SUM(first_chat_count) "
    "FROM app_chat_stats WHERE app_id = :app AND slot >= :lo AND slot < :hi GROUP BY d"
)


def baseline_sql(dialect: str) -> str:
    day = "date(update_time)" if dialect == "sqlite" else "(update_time AT TIME ZONE 'UTC')::date"
    return (
        f"SELECT {day} AS d, COUNT(*), SUM(chat_item_count), SUM(error_count), SUM(total_points), "
        "SUM(good_feedback_count), SUM(bad_feedback_count), SUM(total_response_time), COUNT(DISTINCT user_id) "
        "FROM app_chat_logs WHERE team_id = :team AND app_id = :app AND update_time BETWEEN :start AND :end "
        "GROUP BY d"
    )


async def timed(action: Callable[[], Awaitable[Any]], repeat: int) -> list[float]:
    await action()  # warm caches
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        await action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run_backend(name: str, url: str, rows: int, repeat: int) -> dict[str, Any]:
    await upgrade(url)
    db = Database(url)
    try:
        started = time.perf_counter()
        await (fill_sqlite(db, rows) if db.is_sqlite else fill_postgres(db, rows))
        fill_s = time.perf_counter() - started
        started = time.perf_counter()
        await db.run_write(lambda conn: rebuild_rollups(conn, "America/New_York"))  # the migration's backfill
        backfill_s = time.perf_counter() - started
        # Planner statistics of the filled rollups, as autovacuum (PostgreSQL) or `PRAGMA optimize` would take.
        await db.run_write(lambda conn: conn.execute(text("ANALYZE")))
        end = START + timedelta(days=DAYS) - timedelta(milliseconds=1)
        query = ChartQuery(team_id=TEAM, app_id=APP, date_start=START, date_end=end, offset=1)
        zone = ZoneInfo("America/New_York")

        async def chart() -> Any:
            async with db.read() as session:
                result = await chart_data(session, query, zone)
            assert len(result["chatData"]) == DAYS + 1  # local days touched by the UTC range
            return result

        params = {"team": TEAM, "app": APP, "start": START, "end": end}
        if db.is_sqlite:
            params.update(start=START.strftime("%Y-%m-%d %H:%M:%S.%f"), end=end.strftime("%Y-%m-%d %H:%M:%S.%f"))

        async def bare() -> Any:
            async with db.read() as session:
                return (await session.execute(text(baseline_sql(db.dialect)), params)).all()

        async def bare_rollup() -> Any:
            async with db.read() as session:
                return (await session.execute(text(ROLLUP_BASELINE), rollup_params)).all()

        rollup_params = {"app": APP, "lo": int(START.timestamp()) // 900, "hi": int(end.timestamp()) // 900}
        raw_baseline = await timed(bare, max(1, repeat // 5))
        baseline = await timed(bare_rollup, repeat)
        measured = await timed(chart, repeat)
        weekly = await timed(lambda: chart_with(db, query, zone, Timespan.week), max(3, repeat // 3))
        monthly = await timed(lambda: chart_with(db, query, zone, Timespan.month), max(3, repeat // 3))
    finally:
        await db.dispose()
    return {"backend": name, "fill_s": fill_s, "backfill_s": backfill_s, "chart": measured, "baseline": baseline,
            "raw": raw_baseline, "week": weekly, "month": monthly}  # fmt: skip


async def chart_with(db: Database, query: ChartQuery, zone: ZoneInfo, span: Timespan) -> Any:
    spanned = ChartQuery(team_id=query.team_id, app_id=query.app_id, date_start=query.date_start,
                         date_end=query.date_end, user_timespan=span, chat_timespan=span, app_timespan=span)  # fmt: skip
    async with db.read() as session:
        return await chart_data(session, spanned, zone)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    from tests.support.pg import throwaway_postgres

    results = []
    with ExitStack() as stack:
        for backend in args.backends.split(","):
            if backend == "sqlite":
                url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='bench-analytics-')) / 'a.db'}"
            else:
                url = stack.enter_context(throwaway_postgres()).new_database()
            results.append(asyncio.run(run_backend(backend, url, args.rows, args.repeat)))
    print(
        f"getChartData, 90 days x day buckets, {args.rows:,} rows, {args.repeat} runs (ms); then week and month buckets"
    )
    print("bare = grouped SELECT over the rollup; ratios = chart / bare p50; raw = the old bare GROUP BY over the rows")
    print(f"{'backend':<11}{'fill s':>8}{'backfill s':>11}{'chart p50':>11}{'chart p99':>11}{'bare p50':>10}"
          f"{'bare p99':>10}{'ratio p50':>11}{'week p50':>10}{'ratio':>8}{'month p50':>11}{'ratio':>8}"
          f"{'raw p50':>9}")  # fmt: skip
    for r in results:
        chart_p50, bare_p50 = percentile(r["chart"], 0.5), percentile(r["baseline"], 0.5)
        week_p50, month_p50 = percentile(r["week"], 0.5), percentile(r["month"], 0.5)
        print(
            f"{r['backend']:<11}{r['fill_s']:>8.1f}{r['backfill_s']:>11.1f}{chart_p50:>11.1f}{percentile(r['chart'], 0.99):>11.0f}"
            f"{bare_p50:>10.1f}{percentile(r['baseline'], 0.99):>10.1f}{chart_p50 / bare_p50:>10.2f}x"
            f"{week_p50:>10.0f}{week_p50 / bare_p50:>7.0f}x{month_p50:>11.0f}{month_p50 / bare_p50:>7.0f}x"
            f"{percentile(r['raw'], 0.5):>9.0f}"
        )


if __name__ == "__main__":
    main()
