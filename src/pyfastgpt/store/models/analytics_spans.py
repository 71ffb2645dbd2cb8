"""The week, month and quarter rollups of the analytics users, beside the day rollups (`analytics.py`).

A span bucket is named by the number of its first local day (days since 1970-01-01; weeks start on
Monday, quarters in January, April, July and October), in the app's rollup zone like the days.

- `app_chat_span_presence`: on how many local days of a bucket a user (per source, ``""`` for any source)
  has rows (`app_chat_presence` rows with ``rows > 0``);
- `app_chat_span_users`: the users present per bucket and source;
- `app_chat_span_retention`: the users whose first day lies in bucket ``first_bucket`` present ``lag``
  buckets later (of their first source, or of any source).

They move only when a user's presence on a day starts or stops, so a round that adds a row to a day the
user is already counted on never touches them.
"""

from __future__ import annotations

from sqlalchemy import Connection, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from pyfastgpt.store.models.base import Base

SPANS = ("week", "month", "quarter")
SPAN_ROLLUP_TABLES = ("app_chat_span_presence", "app_chat_span_users", "app_chat_span_retention")


class AppChatSpanPresence(Base):
    __tablename__ = "app_chat_span_presence"
    app_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    span: Mapped[str] = mapped_column(String(8), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(30), primary_key=True)
    days: Mapped[int] = mapped_column(Integer, default=0)


class AppChatSpanUsers(Base):
    __tablename__ = "app_chat_span_users"
    app_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    span: Mapped[str] = mapped_column(String(8), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(30), primary_key=True)
    users: Mapped[int] = mapped_column(Integer, default=0)


class AppChatSpanRetention(Base):
    __tablename__ = "app_chat_span_retention"
    app_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    span: Mapped[str] = mapped_column(String(8), primary_key=True)
    source: Mapped[str] = mapped_column(String(30), primary_key=True)
    lag: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    users: Mapped[int] = mapped_column(Integer, default=0)


def day_bucket_sql(day: str, span: str, dialect: str) -> str:
    """The number of the first day of the bucket that holds day number ``day`` (days after 1970-01-01)."""
    if span == "day":
        return day
    if span == "week":
        return f"({day} - ({day} + 3) % 7)"  # 1970-01-01 was a Thursday
    if dialect == "sqlite":
        moment = f"{day} * 86400, 'unixepoch'"
        back = ""
        if span == "quarter":
            back = f", '-' || ((CAST(strftime('%m', {moment}) AS INTEGER) - 1) % 3) || ' months'"
        return f"(CAST(strftime('%s', {moment}, 'start of month'{back}) AS INTEGER) / 86400)"
    first = f"date_trunc('{span}', CAST(DATE '1970-01-01' + {day} AS TIMESTAMP))"
    return f"(CAST({first} AS DATE) - DATE '1970-01-01')"


def _month_index_sql(day: str, dialect: str) -> str:
    """Months from 0000-01 to the month of day number ``day``."""
    if dialect == "sqlite":
        part = f"{day} * 86400, 'unixepoch'"
        return f"(CAST(strftime('%Y', {part}) AS INTEGER) * 12 + CAST(strftime('%m', {part}) AS INTEGER))"
    moment = f"(DATE '1970-01-01' + {day})"
    return f"(CAST(EXTRACT(YEAR FROM {moment}) AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM {moment}) AS INTEGER))"


def span_lag_sql(first: str, later: str, span: str, dialect: str) -> str:
    """How many buckets of ``span`` bucket ``later`` comes after bucket ``first`` (both first-day numbers)."""
    if span == "week":
        return f"(({later} - {first}) / 7)"
    months = f"({_month_index_sql(later, dialect)} - {_month_index_sql(first, dialect)})"
    return f"({months} / 3)" if span == "quarter" else months


def rebuild_span_rollups(conn: Connection, app_id: str | None = None) -> None:
    """Recompute the span rollups (all apps, or one) from the day rollups, in their zone."""
    dialect = conn.dialect.name
    params = {"app": app_id} if app_id else {}
    for table in SPAN_ROLLUP_TABLES:
        conn.execute(text(f"DELETE FROM {table} {'WHERE app_id = :app' if app_id else ''}"), params)
    scope, also = ("WHERE p.app_id = :app", "AND p.app_id = :app") if app_id else ("", "")
    for span in SPANS:
        bucket = day_bucket_sql("p.day", span, dialect)
        conn.execute(
            text(
                "INSERT INTO app_chat_span_presence (app_id, user_id, span, bucket, source, days) "
                f"SELECT p.app_id, p.user_id, '{span}', {bucket}, p.source, COUNT(*) FROM app_chat_presence p "
                f"WHERE p.rows > 0 {also} GROUP BY p.app_id, p.user_id, {bucket}, p.source"
            ),
            params,
        )
        first_bucket = day_bucket_sql("u.first_day", span, dialect)
        lag = span_lag_sql(first_bucket, "p.bucket", span, dialect)
        conn.execute(
            text(
                "INSERT INTO app_chat_span_retention (app_id, span, source, lag, first_bucket, users) "
                f"SELECT p.app_id, p.span, p.source, {lag}, {first_bucket}, COUNT(*) FROM app_chat_span_presence p "
                "JOIN app_chat_users u ON u.app_id = p.app_id AND u.user_id = p.user_id "
                f"WHERE p.span = '{span}' {also} AND p.bucket >= {first_bucket} "
                "AND (p.source = '' OR p.source = u.first_source) "
                f"GROUP BY p.app_id, p.span, p.source, {lag}, {first_bucket}"
            ),
            params,
        )
    conn.execute(
        text(
            "INSERT INTO app_chat_span_users (app_id, span, bucket, source, users) "
            f"SELECT p.app_id, p.span, p.bucket, p.source, COUNT(*) FROM app_chat_span_presence p {scope} "
            "GROUP BY p.app_id, p.span, p.bucket, p.source"
        ),
        params,
    )
