"""The share-link QPM limit (`limit.QPM`, per link and client IP), counted in the database.

FastGPT's `authFrequencyLimit`: the first request of an event opens a one-minute window, every
request adds one, a request past `QPM` in the window is refused until it ends. The counter is one
row of `frequency_limits`, changed by one upsert, so replicas on one PostgreSQL (or processes on one
SQLite file) share it. Windows that have ended are swept now and then by the process that counts.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from sqlalchemy import Connection, text

from pyfastgpt.core.errors import TooManyRequests
from pyfastgpt.store.db import Database
from pyfastgpt.store.prepared import Prepared

WINDOW_S = 60.0
SWEEP_EVERY_S = 600.0
_EVENT_MAX = 255

COUNT = Prepared(
    text(
        "INSERT INTO frequency_limits (event_id, amount, expires_at) VALUES (:event, 1, :window_end) "
        "ON CONFLICT (event_id) DO UPDATE SET "
        "amount = CASE WHEN frequency_limits.expires_at <= :now THEN 1 ELSE frequency_limits.amount + 1 END, "
        "expires_at = CASE WHEN frequency_limits.expires_at <= :now "
        "THEN excluded.expires_at ELSE frequency_limits.expires_at END "
        "RETURNING amount, expires_at"
    )
)
SWEEP = Prepared(text("DELETE FROM frequency_limits WHERE expires_at <= :now"))


class QpmLimiter:
    """Requests per minute per (share link, client IP), in the database."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.clock = clock  # wall clock: replicas on different hosts compare window ends
        self._next_sweep = 0.0

    async def check(self, share_id: str, ip: str, qpm: int) -> None:
        if qpm <= 0:
            return
        event = f"outlink-qpm:{share_id}:{ip}"[:_EVENT_MAX]
        now = self.clock()
        sweep = now >= self._next_sweep
        if sweep:
            self._next_sweep = now + SWEEP_EVERY_S

        def count(conn: Connection) -> tuple[int, float]:
            if sweep:
                SWEEP.execute(conn, {"now": now})
            row = COUNT.first(conn, {"event": event, "window_end": now + WINDOW_S, "now": now})
            assert row is not None  # RETURNING always answers one row
            return int(row[0]), float(row[1])

        amount, window_end = await self.db.run_write(count)
        if amount > qpm:
            retry = max(1, math.ceil(window_end - now))
            raise TooManyRequests(f"Only {qpm} requests per minute are allowed on this share link", retry_after=retry)
