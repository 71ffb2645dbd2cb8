"""Training queue gauges, read from the database when `/metrics` is scraped.

States follow the lease rules of `rag/training/queue.py`: `waiting` (claimable: retries left, no
live lease), `leased` (a worker holds it, or it backs off after a failure), `failed` (out of
retries, kept with its `error_msg`). The age is that of the oldest job still to be trained
(waiting or leased). Plain aggregates (no GROUP BY on a parameterised CASE), so the same
statement runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Connection, case, func, or_, select

from pyfastgpt.core.clock import to_utc, utcnow
from pyfastgpt.rag.training.queue import JOBS
from pyfastgpt.store.db import Database


@dataclass(frozen=True, slots=True)
class QueueStats:
    waiting: int
    leased: int
    failed: int
    oldest_age_s: float


def read_queue_stats(conn: Connection, *, now: datetime, lease_s: float) -> QueueStats:
    expired = now - timedelta(seconds=lease_s)
    has_retries = JOBS.c.retry_count > 0
    lease_over = JOBS.c.lock_time <= expired
    counts = conn.execute(
        select(
            func.coalesce(func.sum(case((has_retries & lease_over, 1), else_=0)), 0),
            func.coalesce(func.sum(case((~lease_over, 1), else_=0)), 0),
            func.coalesce(func.sum(case((~has_retries & lease_over, 1), else_=0)), 0),
        ).select_from(JOBS)
    ).one()
    oldest = conn.execute(select(func.min(JOBS.c.create_time)).where(or_(has_retries, ~lease_over))).scalar()
    age = max(0.0, (now - to_utc(oldest)).total_seconds()) if oldest is not None else 0.0
    return QueueStats(waiting=int(counts[0]), leased=int(counts[1]), failed=int(counts[2]), oldest_age_s=age)


async def queue_stats(db: Database, lease_s: float) -> QueueStats:
    now = utcnow()
    return await db.run_read(lambda conn: read_queue_stats(conn, now=now, lease_s=lease_s))


class QueueCollector(Collector):
    """The gauges of one scrape (`stats` None: the database did not answer)."""

    def __init__(self, stats: QueueStats | None) -> None:
        self.stats = stats

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("pyfastgpt_training_queue_up", "1 when the training queue could be read at this scrape.")
        up.add_metric([], 1.0 if self.stats is not None else 0.0)
        yield up
        if self.stats is None:
            return
        jobs = GaugeMetricFamily(
            "pyfastgpt_training_queue_jobs",
            "Training jobs by state (waiting, leased, failed).",
            labels=["state"],
        )
        jobs.add_metric(["waiting"], self.stats.waiting)
        jobs.add_metric(["leased"], self.stats.leased)
        jobs.add_metric(["failed"], self.stats.failed)
        yield jobs
        age = GaugeMetricFamily(
            "pyfastgpt_training_queue_oldest_age_seconds",
            "Age of the oldest job still to be trained (0 when none).",
        )
        age.add_metric([], self.stats.oldest_age_s)
        yield age
