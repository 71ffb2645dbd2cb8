"""Writes of the analytics table `app_chat_logs`: one row per chat per 15-minute window.

`record_round` runs inside the caller's write transaction, the one that inserts the round's AI item:
a retried round fails on that item's unique ``(app_id, chat_id, data_id)`` and rolls the whole
transaction back, analytics included, so a round is never counted twice.

Concurrency: on SQLite writers are serialised (``BEGIN IMMEDIATE``). On PostgreSQL the transaction
first takes two advisory transaction locks, on the chat and on the user, so two rounds of one chat
cannot both open a new window and two first chats of one user cannot both be ``is_first_chat``.
The counters themselves are SQL increments (``col = col + n``); a vote reads the chat's newest row
under the chat's lock. Each change is mirrored in the rollups (`rollup.py`) in the same transaction.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, bindparam, exists, insert, literal, select, text, true, update

from pyfastgpt.core.clock import to_utc
from pyfastgpt.core.ids import new_id
from pyfastgpt.services.analytics import rollup
from pyfastgpt.store.models import AppChatLog
from pyfastgpt.store.prepared import Prepared, Writes

WINDOW = timedelta(minutes=15)
UTC_ZONE = ZoneInfo("UTC")


def _lock_key(*parts: str) -> int:
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


LOCK_ONE = Prepared(text("SELECT pg_advisory_xact_lock(:first)"))
LOCK_TWO = Prepared(text("SELECT pg_advisory_xact_lock(:first), pg_advisory_xact_lock(:second)"))


def _lock(writes: Writes, first: tuple[str, ...], second: tuple[str, ...] | None = None) -> None:
    """Advisory transaction locks, in this order, in one statement (PostgreSQL only; sent with the pending writes)."""
    if writes.conn.dialect.name != "postgresql":
        return
    if second is None:
        writes.first(LOCK_ONE, {"first": _lock_key(*first)})
    else:
        writes.first(LOCK_TWO, {"first": _lock_key(*first), "second": _lock_key(*second)})


LOGS: Table = AppChatLog.__table__  # type: ignore[assignment]

# Compiled once and run on the DB-API cursor (they run inside every chat round's final transaction).
_NEWEST = (
    select(
        LOGS.c.id,
        LOGS.c.update_time,
        LOGS.c.source,
        LOGS.c.user_id,
        LOGS.c.chat_item_count,
        LOGS.c.error_count,
        LOGS.c.total_points,
        LOGS.c.good_feedback_count,
        LOGS.c.bad_feedback_count,
        LOGS.c.total_response_time,
        LOGS.c.is_first_chat,
    )
    .where(
        LOGS.c.team_id == bindparam("b_team"),
        LOGS.c.app_id == bindparam("b_app"),
        LOGS.c.chat_id == bindparam("b_chat"),
    )
    .order_by(LOGS.c.update_time.desc(), LOGS.c.id.desc())
    .limit(1)
    .subquery("newest")
)
_USER_SEEN = exists().where(
    LOGS.c.team_id == bindparam("b_team"),
    LOGS.c.app_id == bindparam("b_app"),
    LOGS.c.user_id == bindparam("b_user"),
)
# One round trip: the chat's newest row (NULLs when it has none), whether the user has any row yet and the
# app's rollup zone (`rollup.rollup_zone`).
NEWEST_ROW_AND_SEEN = Prepared(
    select(
        *_NEWEST.c, _USER_SEEN.label("seen"), rollup.zone_of(bindparam("b_app")).scalar_subquery().label("zone")
    ).select_from(select(literal(1).label("one")).subquery("one").outerjoin(_NEWEST, true()))
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
INSERT_ROW = Prepared(insert(LOGS))


def _figures(row: tuple[Any, ...]) -> rollup.Figures:
    return rollup.Figures(
        chats=1,
        items=int(row[4]),
        errors=int(row[5]),
        points=float(row[6]),
        good=int(row[7]),
        bad=int(row[8]),
        duration=float(row[9]),
        first=int(bool(row[10])),
    )


def record_round(
    pending: Connection | Writes,
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
    zone: ZoneInfo | None = None,
) -> None:
    """Count one finished round: extend the chat's current 15-minute row or open a new one, and move the
    rollups with it (local days in ``zone``, the deployment's TIMEZONE; UTC when not given).

    Runs inside the caller's transaction (the chat round's final unit of work); the caller's pending
    writes are sent with its first statement, and its own are sent before it returns."""
    writes = pending if isinstance(pending, Writes) else Writes(pending)
    now, zone = to_utc(now), zone or UTC_ZONE
    _lock(writes, ("app_chat_logs.chat", app_id, chat_id), ("app_chat_logs.user", team_id, app_id, user_id))
    found = writes.first(
        NEWEST_ROW_AND_SEEN, {"b_team": team_id, "b_app": app_id, "b_chat": chat_id, "b_user": user_id}
    )
    assert found is not None  # the outer join always gives one row
    newest, seen, stored_zone = (found[:-2] if found[0] is not None else None), bool(found[-2]), found[-1]
    errors = 1 if error else 0
    if newest is not None and to_utc(newest[1]) >= now - WINDOW:
        newest_id, old_update = newest[0], to_utc(newest[1])
        new_update = max(old_update, now)
        writes.add(
            EXTEND_ROW,
            {
                "b_id": newest_id,
                "b_errors": errors,
                "b_points": points,
                "b_duration": duration_s,
                "b_now": new_update,
                "b_source_name": source_name,
            },
        )
        row_source, row_user = newest[2], newest[3]
        change = rollup.Figures(items=1, errors=errors, points=points, duration=duration_s)
        if rollup.slot_of(old_update) == rollup.slot_of(new_update):
            rollup.add_stats(writes, team=team_id, app=app_id, source=row_source, moment=new_update, figures=change)
        else:  # the row moves to a later quarter-hour: its figures move with it
            before = _figures(newest)
            after = rollup.Figures(
                1, before.items + 1, before.errors + errors, before.points + points, before.good, before.bad,
                before.duration + duration_s, before.first,
            )  # fmt: skip
            rollup.add_stats(writes, team=team_id, app=app_id, source=row_source, moment=old_update,
                             figures=before.negated())  # fmt: skip
            rollup.add_stats(writes, team=team_id, app=app_id, source=row_source, moment=new_update, figures=after)
        old_day, new_day = rollup.local_day(old_update, zone), rollup.local_day(new_update, zone)
        if old_day != new_day and rollup.rollup_zone(writes.conn, app_id, zone, stored_zone) is not None:
            rollup.move_presence(writes, app=app_id, user=row_user, source=row_source, day=old_day, delta=-1)
            rollup.move_presence(writes, app=app_id, user=row_user, source=row_source, day=new_day, delta=1)
    else:
        first_chat = not seen
        writes.add(
            INSERT_ROW,
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
                "error_count": errors,
                "total_points": points,
                "good_feedback_count": 0,
                "bad_feedback_count": 0,
                "total_response_time": duration_s,
                "is_first_chat": first_chat,
            },
        )
        figures = rollup.Figures(1, 1, errors, points, 0, 0, duration_s, int(first_chat))
        rollup.add_stats(writes, team=team_id, app=app_id, source=source, moment=now, figures=figures)
        if rollup.rollup_zone(writes.conn, app_id, zone, stored_zone) is not None:
            day = rollup.local_day(now, zone)
            if first_chat:
                rollup.first_row(writes, app=app_id, user=user_id, source=source, day=day)
            rollup.move_presence(writes, app=app_id, user=user_id, source=source, day=day, delta=1)
    writes.flush()


FEEDBACK_ROW = Prepared(
    select(
        LOGS.c.id, LOGS.c.team_id, LOGS.c.source, LOGS.c.update_time, LOGS.c.good_feedback_count,
        LOGS.c.bad_feedback_count,
    )
    .where(LOGS.c.app_id == bindparam("b_app"), LOGS.c.chat_id == bindparam("b_chat"))
    .order_by(LOGS.c.update_time.desc(), LOGS.c.id.desc())
    .limit(1)
)  # fmt: skip
SET_FEEDBACK = Prepared(
    update(LOGS)
    .where(LOGS.c.id == bindparam("b_id"))
    .values(good_feedback_count=bindparam("b_good"), bad_feedback_count=bindparam("b_bad"))
)


def adjust_feedback(conn: Connection, *, app_id: str, chat_id: str, good_delta: int, bad_delta: int) -> None:
    """Move the good/bad vote counters of the chat's newest row (never below zero), rollup included."""
    if not good_delta and not bad_delta:
        return
    writes = Writes(conn)
    _lock(writes, ("app_chat_logs.chat", app_id, chat_id))  # the same lock as a round of the chat
    row = FEEDBACK_ROW.first(conn, {"b_app": app_id, "b_chat": chat_id})
    if row is None:
        return
    row_id, team_id, source, update_time, good, bad = row
    new_good, new_bad = max(0, good + good_delta), max(0, bad + bad_delta)
    if (new_good, new_bad) == (good, bad):
        return
    writes.add(SET_FEEDBACK, {"b_id": row_id, "b_good": new_good, "b_bad": new_bad})
    change = rollup.Figures(good=new_good - good, bad=new_bad - bad)
    rollup.add_stats(writes, team=team_id, app=app_id, source=source, moment=to_utc(update_time), figures=change)
    writes.flush()
