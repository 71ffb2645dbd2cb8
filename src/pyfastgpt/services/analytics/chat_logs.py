"""Writes of the analytics table `app_chat_logs`: one row per chat per 15-minute window.

`record_round` runs inside the caller's write transaction, the one that inserts the round's AI item:
a retried round fails on that item's unique ``(app_id, chat_id, data_id)`` and rolls the whole
transaction back, analytics included, so a round is never counted twice.

Concurrency: on SQLite writers are serialised (``BEGIN IMMEDIATE``). On PostgreSQL the transaction
first takes two advisory transaction locks, on the chat and on the user, so two rounds of one chat
cannot both open a new window and two first chats of one user cannot both be ``is_first_chat``.
The counters themselves are SQL increments (``col = col + n``), never read-modify-write.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, bindparam, case, exists, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from pyfastgpt.core.clock import to_utc
from pyfastgpt.core.ids import new_id
from pyfastgpt.store.models import AppChatLog
from pyfastgpt.store.prepared import Prepared

WINDOW = timedelta(minutes=15)


def _lock_key(*parts: str) -> int:
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _lock(conn: Connection, *parts: str) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(*parts)})


LOGS: Table = AppChatLog.__table__  # type: ignore[assignment]

# Compiled once and run on the DB-API cursor (they run inside every chat round's final transaction).
NEWEST_ROW = Prepared(
    select(LOGS.c.id, LOGS.c.update_time)
    .where(
        LOGS.c.team_id == bindparam("b_team"),
        LOGS.c.app_id == bindparam("b_app"),
        LOGS.c.chat_id == bindparam("b_chat"),
    )
    .order_by(LOGS.c.update_time.desc(), LOGS.c.id.desc())
    .limit(1)
)
EXTEND_ROW = Prepared(
    update(LOGS)
    .where(LOGS.c.id == bindparam("b_id"))
    .values(
        chat_item_count=LOGS.c.chat_item_count + 1,
        error_count=LOGS.c.error_count + bindparam("b_errors"),
        total_points=LOGS.c.total_points + bindparam("b_points"),
        total_response_time=LOGS.c.total_response_time + bindparam("b_duration"),
        update_time=bindparam("b_now"),
        source_name=bindparam("b_source_name"),
    )
)
USER_SEEN = Prepared(
    select(
        exists().where(
            LOGS.c.team_id == bindparam("b_team"),
            LOGS.c.app_id == bindparam("b_app"),
            LOGS.c.user_id == bindparam("b_user"),
        )
    )
)
INSERT_ROW = Prepared(insert(LOGS))


def record_round_sync(
    conn: Connection,
    *,
    team_id: str,
    app_id: str,
    chat_id: str,
    user_id: str,
    source: str,
    source_name: str,
    points: float,
    error: bool,
    duration_s: float,
    now: datetime,
) -> None:
    """Count one finished round: extend the chat's current 15-minute row or open a new one.

    Runs inside the caller's transaction (the chat round's final unit of work)."""
    now = to_utc(now)
    _lock(conn, "app_chat_logs.chat", app_id, chat_id)
    _lock(conn, "app_chat_logs.user", team_id, app_id, user_id)
    newest = NEWEST_ROW.first(conn, {"b_team": team_id, "b_app": app_id, "b_chat": chat_id})
    if newest is not None and to_utc(newest[1]) >= now - WINDOW:
        newest_id, newest_update = newest
        EXTEND_ROW.execute(
            conn,
            {
                "b_id": newest_id,
                "b_errors": 1 if error else 0,
                "b_points": points,
                "b_duration": duration_s,
                "b_now": max(to_utc(newest_update), now),
                "b_source_name": source_name,
            },
        )
        return
    seen = USER_SEEN.first(conn, {"b_team": team_id, "b_app": app_id, "b_user": user_id})
    seen_before = bool(seen and seen[0])
    INSERT_ROW.execute(
        conn,
        {
            "id": new_id(),
            "team_id": team_id,
            "app_id": app_id,
            "chat_id": chat_id,
            "user_id": user_id,
            "source": source,
            "source_name": source_name,
            "create_time": now,
            "update_time": now,
            "chat_item_count": 1,
            "error_count": 1 if error else 0,
            "total_points": points,
            "good_feedback_count": 0,
            "bad_feedback_count": 0,
            "total_response_time": duration_s,
            "is_first_chat": not seen_before,
        },
    )


async def record_round(session: AsyncSession, **fields: Any) -> None:
    """`record_round_sync` inside an AsyncSession's transaction."""
    await session.run_sync(lambda sync_session: record_round_sync(sync_session.connection(), **fields))


def _moved(column: InstrumentedAttribute[int], delta: int) -> ColumnElement[int]:
    moved = column + delta
    return case((moved < 0, 0), else_=moved)


async def adjust_feedback(session: AsyncSession, *, app_id: str, chat_id: str, good_delta: int, bad_delta: int) -> None:
    """Move the good/bad vote counters of the chat's newest row (never below zero)."""
    if not good_delta and not bad_delta:
        return
    newest = (
        select(AppChatLog.id)
        .where(AppChatLog.app_id == app_id, AppChatLog.chat_id == chat_id)
        .order_by(AppChatLog.update_time.desc(), AppChatLog.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    await session.execute(
        update(AppChatLog)
        .where(AppChatLog.id == newest)
        .values(
            good_feedback_count=_moved(AppChatLog.good_feedback_count, good_delta),
            bad_feedback_count=_moved(AppChatLog.bad_feedback_count, bad_delta),
        )
    )
