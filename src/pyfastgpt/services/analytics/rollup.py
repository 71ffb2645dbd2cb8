"""Upkeep of the analytics rollups (`store/models/analytics.py`) inside the round's own transaction.

Every change of an `app_chat_logs` row is mirrored here as SQL increments, compiled once
(`store/prepared.py`) and run on the DB-API cursor:

- its additive figures move with its ``update_time`` quarter-hour in `app_chat_stats`;
- when the local day of its ``update_time`` (in the app's rollup zone) changes, the user's presence
  on the old and new days moves; a presence going 0 → 1 (1 → 0) adds (removes) the user to the
  day's user count and, ``day - first_day`` days after the user's first day, to retention, and moves
  the user's days in the day's week, month and quarter (`store/models/analytics_spans.py`), whose
  0 → 1 (1 → 0) changes count the same way per bucket.

On PostgreSQL the caller holds the advisory locks of the chat and the user (`chat_logs.py`), so the
presence changes of one user are serialised; counters are ``col = col + n`` upserts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Select, Table, bindparam, func, select, text

from pyfastgpt.services.analytics.local_days import day_number, day_of
from pyfastgpt.services.analytics.timespans import Timespan, bucket_start, count_buckets
from pyfastgpt.store.models import analytics_spans
from pyfastgpt.store.models.analytics import SLOT_SECONDS, AppChatRollupZone
from pyfastgpt.store.prepared import Prepared, Writes

ANY_SOURCE = ""

ADD_STATS = Prepared(
    text(
        "INSERT INTO app_chat_stats (app_id, slot, source, team_id, chat_count, chat_item_count, error_count, "
        "total_points, good_feedback_count, bad_feedback_count, total_response_time, first_chat_count) "
        "VALUES (:app, :slot, :source, :team, :chats, :items, :errors, :points, :good, :bad, :duration, :first) "
        "ON CONFLICT (app_id, slot, source) DO UPDATE SET "
        "chat_count = app_chat_stats.chat_count + excluded.chat_count, "
        "chat_item_count = app_chat_stats.chat_item_count + excluded.chat_item_count, "
        "error_count = app_chat_stats.error_count + excluded.error_count, "
        "total_points = app_chat_stats.total_points + excluded.total_points, "
        "good_feedback_count = app_chat_stats.good_feedback_count + excluded.good_feedback_count, "
        "bad_feedback_count = app_chat_stats.bad_feedback_count + excluded.bad_feedback_count, "
        "total_response_time = app_chat_stats.total_response_time + excluded.total_response_time, "
        "first_chat_count = app_chat_stats.first_chat_count + excluded.first_chat_count"
    )
)
STALE = ""  # how `zone_of` reads a stale (NULL) zone, so that "no row yet" stays NULL
ZONES: Table = AppChatRollupZone.__table__  # type: ignore[assignment]


def zone_of(app: Any) -> Select[tuple[str]]:
    """The app's rollup zone: no row when it has none yet, `STALE` when it is stale."""
    return select(func.coalesce(ZONES.c.zone, STALE)).where(ZONES.c.app_id == app)


ROLLUP_ZONE = Prepared(zone_of(bindparam("app")))
CLAIM_ZONE = Prepared(
    text("INSERT INTO app_chat_rollup_zones (app_id, zone) VALUES (:app, :zone) ON CONFLICT (app_id) DO NOTHING")
)
STALE_ZONE = Prepared(text("UPDATE app_chat_rollup_zones SET zone = NULL WHERE app_id = :app"))
ADD_USER = Prepared(
    text(
        "INSERT INTO app_chat_users (app_id, user_id, first_day, first_source) VALUES (:app, :user, :day, :source) "
        "ON CONFLICT (app_id, user_id) DO NOTHING"
    )
)
USER_FIRST = Prepared(
    text("SELECT first_day, first_source FROM app_chat_users WHERE app_id = :app AND user_id = :user")
)
ADD_PRESENCE = Prepared(
    text(
        "INSERT INTO app_chat_presence (app_id, user_id, day, source, rows) VALUES (:app, :user, :day, :source, 1) "
        "ON CONFLICT (app_id, user_id, day, source) DO UPDATE SET rows = app_chat_presence.rows + 1 "
        "RETURNING rows"
    )
)
DROP_PRESENCE = Prepared(
    text(
        "UPDATE app_chat_presence SET rows = rows - 1 "
        "WHERE app_id = :app AND user_id = :user AND day = :day AND source = :source RETURNING rows"
    )
)
ADD_PRESENCE_BOTH = Prepared(
    text(
        "INSERT INTO app_chat_presence (app_id, user_id, day, source, rows) "
        "VALUES (:app, :user, :day, :source, 1), (:app, :user, :day, :any, 1) "
        "ON CONFLICT (app_id, user_id, day, source) DO UPDATE SET rows = app_chat_presence.rows + 1 "
        "RETURNING source, rows"
    )
)
DROP_PRESENCE_BOTH = Prepared(
    text(
        "UPDATE app_chat_presence SET rows = rows - 1 "
        "WHERE app_id = :app AND user_id = :user AND day = :day AND source IN (:source, :any) RETURNING source, rows"
    )
)
ADD_DAY_USERS = Prepared(
    text(
        "INSERT INTO app_chat_day_users (app_id, day, source, users) VALUES (:app, :day, :source, :delta) "
        "ON CONFLICT (app_id, day, source) DO UPDATE SET users = app_chat_day_users.users + excluded.users"
    )
)
ADD_RETENTION = Prepared(
    text(
        "INSERT INTO app_chat_retention (app_id, source, lag, first_day, users) "
        "VALUES (:app, :source, :lag, :first_day, :delta) "
        "ON CONFLICT (app_id, source, lag, first_day) DO UPDATE SET users = app_chat_retention.users + excluded.users"
    )
)

SPANS = tuple(map(Timespan, analytics_spans.SPANS))
_SPAN_ROWS = ", ".join(f"(:app, :user, '{span}', :{span}, :source, 1)" for span in SPANS)
ADD_SPAN_PRESENCE = Prepared(
    text(
        f"INSERT INTO app_chat_span_presence (app_id, user_id, span, bucket, source, days) VALUES {_SPAN_ROWS} "
        "ON CONFLICT (app_id, user_id, span, bucket, source) DO UPDATE SET days = app_chat_span_presence.days + 1 "
        "RETURNING span, bucket, days"
    )
)
_SPAN_KEYS = " OR ".join(f"(span = '{span}' AND bucket = :{span})" for span in SPANS)
DROP_SPAN_PRESENCE = Prepared(
    text(
        "UPDATE app_chat_span_presence SET days = days - 1 "
        f"WHERE app_id = :app AND user_id = :user AND source = :source AND ({_SPAN_KEYS}) RETURNING span, bucket, days"
    )
)
ADD_SPAN_USERS = Prepared(
    text(
        "INSERT INTO app_chat_span_users (app_id, span, bucket, source, users) "
        "VALUES (:app, :span, :bucket, :source, :delta) "
        "ON CONFLICT (app_id, span, bucket, source) DO UPDATE SET users = app_chat_span_users.users + excluded.users"
    )
)
ADD_SPAN_RETENTION = Prepared(
    text(
        "INSERT INTO app_chat_span_retention (app_id, span, source, lag, first_bucket, users) "
        "VALUES (:app, :span, :source, :lag, :first, :delta) ON CONFLICT (app_id, span, source, lag, first_bucket) "
        "DO UPDATE SET users = app_chat_span_retention.users + excluded.users"
    )
)


@dataclass(slots=True)
class Figures:
    """The additive figures of one `app_chat_logs` row (or a change of them)."""

    chats: int = 0
    items: int = 0
    errors: int = 0
    points: float = 0.0
    good: int = 0
    bad: int = 0
    duration: float = 0.0
    first: int = 0

    def negated(self) -> Figures:
        return Figures(
            -self.chats, -self.items, -self.errors, -self.points, -self.good, -self.bad, -self.duration, -self.first
        )


def slot_of(moment: datetime) -> int:
    return int(moment.timestamp()) // SLOT_SECONDS


def local_day(moment: datetime, zone: ZoneInfo) -> int:
    offset = moment.astimezone(zone).utcoffset()
    return (int(moment.timestamp()) + int(offset.total_seconds() if offset else 0)) // 86400


def add_stats(writes: Writes, *, team: str, app: str, source: str, moment: datetime, figures: Figures) -> None:
    writes.add(
        ADD_STATS,
        {
            "app": app,
            "slot": slot_of(moment),
            "source": source,
            "team": team,
            "chats": figures.chats,
            "items": figures.items,
            "errors": figures.errors,
            "points": figures.points,
            "good": figures.good,
            "bad": figures.bad,
            "duration": figures.duration,
            "first": figures.first,
        },
    )


def rollup_zone(conn: Connection, app: str, zone: ZoneInfo, stored: str | None) -> ZoneInfo | None:
    """The zone the app's user rollups are kept in, or None when they are stale (raw rows answer).

    ``stored`` is `zone_of` the app as the round's first read found it (None when the app has no zone yet)."""
    if stored is None:
        CLAIM_ZONE.execute(conn, {"app": app, "zone": zone.key})
        row = ROLLUP_ZONE.first(conn, {"app": app})
        stored = row[0] if row else STALE
    if stored == zone.key:
        return zone
    if stored != STALE:  # the deployment's TIMEZONE changed: stop counting until a rebuild
        STALE_ZONE.execute(conn, {"app": app})
    return None


def span_presence(
    writes: Writes, *, app: str, user: str, day: int, source: str, delta: int
) -> list[tuple[Timespan, int, int]]:
    """Move the user's days of ``source`` in the week, month and quarter of ``day``: (span, bucket, days) after."""
    params: dict[str, object] = {"app": app, "user": user, "source": source}
    params.update({span.value: day_number(bucket_start(day_of(day), span)) for span in SPANS})
    moved = writes.all(ADD_SPAN_PRESENCE if delta > 0 else DROP_SPAN_PRESENCE, params)
    return [(Timespan(str(span)), int(bucket), int(days)) for span, bucket, days in moved]


def _presence_counts(writes: Writes, app: str, user: str, day: int, source: str, delta: int) -> dict[str, int]:
    """Move the user's presence rows of ``source`` and of any source in one statement; their new counts."""
    params = {"app": app, "user": user, "day": day, "source": source, "any": ANY_SOURCE}
    if source == ANY_SOURCE:  # one row: a statement naming it twice would touch it twice
        row = writes.first(ADD_PRESENCE if delta > 0 else DROP_PRESENCE, params)
        return {ANY_SOURCE: int(row[0]) if row else 0}
    found = {str(r[0]): int(r[1]) for r in writes.all(ADD_PRESENCE_BOTH if delta > 0 else DROP_PRESENCE_BOTH, params)}
    return {source: found.get(source, 0), ANY_SOURCE: found.get(ANY_SOURCE, 0)}


class _FirstDay:
    """The user's first day and source (`app_chat_users`), read once and only when a count moves."""

    def __init__(self, writes: Writes, app: str, user: str) -> None:
        self.writes, self.params = writes, {"app": app, "user": user}
        self.row: tuple[int, str] | None = None
        self.read = False

    def get(self) -> tuple[int, str] | None:
        if not self.read:
            found = self.writes.first(USER_FIRST, self.params)
            self.row, self.read = ((int(found[0]), str(found[1])) if found else None), True
        return self.row


def _moved(delta: int, count: int) -> bool:
    """Whether a count that moved by ``delta`` to ``count`` started (0 → 1) or stopped (1 → 0)."""
    return (delta > 0 and count == 1) or (delta < 0 and count == 0)


def _presence(writes: Writes, first: _FirstDay, app: str, user: str, day: int, source: str, delta: int) -> None:
    """The user's presence of ``source`` on ``day`` started (+1) or stopped (-1)."""
    writes.add(ADD_DAY_USERS, {"app": app, "day": day, "source": source, "delta": delta})
    found = first.get()
    if found is not None and day >= found[0] and source in (ANY_SOURCE, found[1]):
        writes.add(
            ADD_RETENTION,
            {"app": app, "source": source, "lag": day - found[0], "first_day": found[0], "delta": delta},
        )
    for span, bucket, days in span_presence(writes, app=app, user=user, day=day, source=source, delta=delta):
        if not _moved(delta, days):
            continue
        writes.add(ADD_SPAN_USERS, {"app": app, "span": span, "bucket": bucket, "source": source, "delta": delta})
        if found is None or source not in (ANY_SOURCE, found[1]):
            continue
        first_bucket = day_number(bucket_start(day_of(found[0]), span))
        if bucket >= first_bucket:
            lag = count_buckets(day_of(first_bucket), day_of(bucket), span) - 1
            writes.add(
                ADD_SPAN_RETENTION,
                {"app": app, "span": span, "source": source, "lag": lag, "first": first_bucket, "delta": delta},
            )


def move_presence(writes: Writes, *, app: str, user: str, source: str, day: int, delta: int) -> None:
    """One row of the user (of ``source``) starts (+1) or stops (-1) ending on local ``day``."""
    first = _FirstDay(writes, app, user)
    for counted, rows in _presence_counts(writes, app, user, day, source, delta).items():
        if _moved(delta, rows):
            _presence(writes, first, app, user, day, counted, delta)


def first_row(writes: Writes, *, app: str, user: str, source: str, day: int) -> None:
    writes.add(ADD_USER, {"app": app, "user": user, "day": day, "source": source})
