"""Rollups of the analytics rows (`app_chat_logs`), maintained in the chat round's own transaction.

- `app_chat_stats`: the additive figures of the rows per app × UTC quarter-hour × source, keyed by the
  quarter-hour that holds each row's ``update_time`` (a row that moves on is moved with it). Every
  zone whose offset is a whole number of quarter-hours (all zones of the tz database today, including
  +5:45 and +12:45) puts each quarter-hour wholly inside one local day, so any chart zone sums them exactly.
- `app_chat_users`: one row per user of an app: the local day (in the rollup's zone) and source of the
  user's first row — what retention needs.
- `app_chat_presence`: how many rows of a user (per source, and ``""`` for any source) end on each
  local day; `app_chat_day_users` counts the users present per day (and source), and
  `app_chat_retention` the users present ``lag`` days after their first day. These answer the distinct
  user figures of day charts in the rollup's zone (`app_chat_rollup_zones`, one per app); their week,
  month and quarter counterparts are in `analytics_spans.py`.

Days are local-calendar day numbers (days since 1970-01-01), slots quarter-hours since the epoch.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Float, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from pyfastgpt.core.clock import to_utc
from pyfastgpt.store.models.analytics_spans import SPAN_ROLLUP_TABLES, rebuild_span_rollups
from pyfastgpt.store.models.base import Base

FIXED_ZONES = frozenset({"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Universal", "Zulu"})


class AppChatStat(Base):
    __tablename__ = "app_chat_stats"
    app_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(30), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(24))
    chat_count: Mapped[int] = mapped_column(Integer, default=0)
    chat_item_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    total_points: Mapped[float] = mapped_column(Float, default=0.0)
    good_feedback_count: Mapped[int] = mapped_column(Integer, default=0)
    bad_feedback_count: Mapped[int] = mapped_column(Integer, default=0)
    total_response_time: Mapped[float] = mapped_column(Float, default=0.0)
    first_chat_count: Mapped[int] = mapped_column(Integer, default=0)


class AppChatRollupZone(Base):
    __tablename__ = "app_chat_rollup_zones"
    app_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    zone: Mapped[str | None] = mapped_column(String(64), nullable=True)  # NULL: stale, read raw rows


class AppChatUser(Base):
    __tablename__ = "app_chat_users"
    app_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    first_day: Mapped[int] = mapped_column(Integer)
    first_source: Mapped[str] = mapped_column(String(30))


class AppChatPresence(Base):
    __tablename__ = "app_chat_presence"
    app_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    day: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(30), primary_key=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)


class AppChatDayUsers(Base):
    __tablename__ = "app_chat_day_users"
    app_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    day: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(30), primary_key=True)
    users: Mapped[int] = mapped_column(Integer, default=0)


class AppChatRetention(Base):
    __tablename__ = "app_chat_retention"
    app_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    source: Mapped[str] = mapped_column(String(30), primary_key=True)
    lag: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_day: Mapped[int] = mapped_column(Integer, primary_key=True)
    users: Mapped[int] = mapped_column(Integer, default=0)


DAY_ROLLUP_TABLES = (
    "app_chat_stats",
    "app_chat_users",
    "app_chat_presence",
    "app_chat_day_users",
    "app_chat_retention",
    "app_chat_rollup_zones",
)
ROLLUP_TABLES = (*DAY_ROLLUP_TABLES, *SPAN_ROLLUP_TABLES)
SLOT_SECONDS = 900


def utc_offsets(zone: ZoneInfo, lo: datetime, hi: datetime) -> list[tuple[datetime | None, int]]:
    """UTC offsets (seconds) of ``zone`` over ``[lo, hi]``: ``[(None, o0), (t1, o1), …]``, offset ``oi`` from ``ti``.

    Transitions are found by a 12-hour scan refined to the second, so any tz database rule works.
    """

    def offset_at(moment: datetime) -> int:
        value = moment.astimezone(zone).utcoffset()
        return int(value.total_seconds()) if value is not None else 0

    if zone.key in FIXED_ZONES:
        return [(None, 0)]
    lo, hi = lo.astimezone(UTC) - timedelta(days=2), hi.astimezone(UTC) + timedelta(days=2)
    segments: list[tuple[datetime | None, int]] = [(None, offset_at(lo))]
    current, step = lo, timedelta(hours=12)
    while current < hi:
        following = min(current + step, hi)
        if offset_at(following) != segments[-1][1]:
            low, high = current, following  # the offset changes in (low, high]
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if offset_at(middle) == segments[-1][1]:
                    low = middle
                else:
                    high = middle
            segments.append((high.replace(microsecond=0), offset_at(high)))
        current = following
    return segments


def _epoch_sql(column: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"CAST(strftime('%s', {column}) AS INTEGER)"
    return f"CAST(floor(extract(epoch from {column})) AS BIGINT)"


def local_day_sql(column: str, dialect: str, segments: list[tuple[datetime | None, int]]) -> str:
    epoch = _epoch_sql(column, dialect)
    if len(segments) == 1:
        offset = str(segments[0][1])
    else:
        whens = " ".join(
            f"WHEN {epoch} < {int(start.timestamp())} THEN {segments[i][1]}"
            for i, (start, _) in enumerate(segments[1:])
            if start is not None
        )
        offset = f"CASE {whens} ELSE {segments[-1][1]} END"
    return f"(({epoch} + {offset}) / 86400)"


def rebuild_rollups(conn: Connection, zone_name: str, app_id: str | None = None) -> None:
    """Recompute every rollup from `app_chat_logs` (all apps, or one), with local days in ``zone_name``.

    Set-based SQL, the same on SQLite and PostgreSQL; used by the backfill and when the rollup zone of an
    app must change."""
    rebuild_day_rollups(conn, zone_name, app_id)
    rebuild_span_rollups(conn, app_id)


def rebuild_day_rollups(conn: Connection, zone_name: str, app_id: str | None = None) -> None:
    """Recompute the rollups of `DAY_ROLLUP_TABLES` (migration 0007's backfill)."""
    dialect = conn.dialect.name
    scope, params = ("WHERE app_id = :app", {"app": app_id}) if app_id else ("", {})
    for table in DAY_ROLLUP_TABLES:
        conn.execute(text(f"DELETE FROM {table} {scope}"), params)
    bounds = conn.execute(text(f"SELECT MIN(create_time), MAX(update_time) FROM app_chat_logs {scope}"), params).one()
    where = "WHERE l.app_id = :app" if app_id else ""
    if bounds[0] is not None:
        lo, hi = (to_utc(value if isinstance(value, datetime) else datetime.fromisoformat(value)) for value in bounds)
        segments = utc_offsets(ZoneInfo(zone_name), lo, hi)
        updated_day = local_day_sql("l.update_time", dialect, segments)
        created_day = local_day_sql("l.create_time", dialect, segments)
        slot = f"({_epoch_sql('l.update_time', dialect)} / {SLOT_SECONDS})"
        first = "CASE WHEN l.is_first_chat THEN 1 ELSE 0 END"
        statements = (
            "INSERT INTO app_chat_stats (app_id, slot, source, team_id, chat_count, chat_item_count, error_count, "
            "total_points, good_feedback_count, bad_feedback_count, total_response_time, first_chat_count) "
            f"SELECT l.app_id, {slot}, l.source, MIN(l.team_id), COUNT(*), SUM(l.chat_item_count), "
            "SUM(l.error_count), SUM(l.total_points), SUM(l.good_feedback_count), SUM(l.bad_feedback_count), "
            f"SUM(l.total_response_time), SUM({first}) FROM app_chat_logs l {where} "
            f"GROUP BY l.app_id, {slot}, l.source",
            "INSERT INTO app_chat_users (app_id, user_id, first_day, first_source) "
            f"SELECT l.app_id, l.user_id, MIN({created_day}), MIN(l.source) FROM app_chat_logs l "
            f"{where} {'AND' if where else 'WHERE'} l.is_first_chat GROUP BY l.app_id, l.user_id",
            "INSERT INTO app_chat_presence (app_id, user_id, day, source, rows) "
            f"SELECT l.app_id, l.user_id, {updated_day}, l.source, COUNT(*) FROM app_chat_logs l {where} "
            f"GROUP BY l.app_id, l.user_id, {updated_day}, l.source",
            "INSERT INTO app_chat_presence (app_id, user_id, day, source, rows) "
            f"SELECT l.app_id, l.user_id, {updated_day}, '', COUNT(*) FROM app_chat_logs l {where} "
            f"GROUP BY l.app_id, l.user_id, {updated_day}",
            "INSERT INTO app_chat_day_users (app_id, day, source, users) "
            f"SELECT l.app_id, l.day, l.source, COUNT(*) FROM app_chat_presence l {where} "
            "GROUP BY l.app_id, l.day, l.source",
            "INSERT INTO app_chat_retention (app_id, source, lag, first_day, users) "
            "SELECT l.app_id, l.source, l.day - u.first_day, u.first_day, COUNT(*) FROM app_chat_presence l "
            "JOIN app_chat_users u ON u.app_id = l.app_id AND u.user_id = l.user_id "
            f"{where} {'AND' if where else 'WHERE'} l.day >= u.first_day "
            "AND (l.source = '' OR l.source = u.first_source) "
            "GROUP BY l.app_id, l.source, l.day - u.first_day, u.first_day",
        )
        for statement in statements:
            conn.execute(text(statement), params)
    apps = f"SELECT DISTINCT l.app_id FROM app_chat_logs l {where}"
    conn.execute(
        text(f"INSERT INTO app_chat_rollup_zones (app_id, zone) SELECT a.app_id, :zone FROM ({apps}) a"),
        {**params, "zone": zone_name},
    )
