"""``training_jobs``: push, claim with a lease, fail, count.

A claim sets ``lock_time=now`` and ``lease_owner`` and spends one retry (FastGPT's
``findOneAndUpdate({retryCount>0, lockTime<=now-lease}, {lockTime:now, $inc:{retryCount:-1}})``).
A job whose worker died is claimable again once its lease ran out; after five claims it stays,
visible with its ``error_msg``. On PostgreSQL the candidate rows are picked ``FOR UPDATE SKIP
LOCKED``; on SQLite the single ``UPDATE … WHERE id IN (SELECT …) RETURNING`` runs inside the one
writer transaction, which makes it atomic. Candidates are taken in ``(mode, lock_time)`` index
order, oldest lease first, so a claim reads the rows it takes and not every waiting job (ordering
the never-claimed ties by id as well made each claim sort the whole queue).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Integer, Table, bindparam, delete, func, insert, select, update

from pyfastgpt.core.clock import utcnow
from pyfastgpt.core.ids import new_id
from pyfastgpt.store.db import Database
from pyfastgpt.store.models.dataset import TrainingJob
from pyfastgpt.store.prepared import Prepared

JOBS = cast(Table, TrainingJob.__table__)
MAX_RETRIES = 5
NEVER_LOCKED = datetime(2000, 1, 1)


@dataclass(slots=True)
class JobDraft:
    """One queued item (``pushDataListToTrainingQueue``'s element)."""

    team_id: str
    tmb_id: str
    dataset_id: str
    collection_id: str
    mode: str = "chunk"
    q: str = ""
    a: str = ""
    chunk_index: int = 0
    index_size: int | None = None
    indexes: list[dict[str, Any]] | None = None
    data_id: str | None = None
    bill_id: str | None = None
    meta: dict[str, Any] | None = None
    weight: float = 0.0

    def row(self, now: datetime) -> dict[str, Any]:
        return {
            "id": new_id(),
            "team_id": self.team_id,
            "tmb_id": self.tmb_id,
            "dataset_id": self.dataset_id,
            "collection_id": self.collection_id,
            "bill_id": self.bill_id,
            "mode": self.mode,
            "lock_time": NEVER_LOCKED,
            "lease_owner": None,
            "retry_count": MAX_RETRIES,
            "q": self.q,
            "a": self.a,
            "chunk_index": self.chunk_index,
            "index_size": self.index_size,
            "weight": self.weight,
            "data_id": self.data_id,
            "indexes": self.indexes,
            "metadata": self.meta,
            "error_msg": None,
            "create_time": now,
        }


@dataclass(slots=True)
class ClaimedJob:
    id: str
    team_id: str
    tmb_id: str
    dataset_id: str
    collection_id: str
    mode: str
    q: str
    a: str
    chunk_index: int
    index_size: int | None
    data_id: str | None
    bill_id: str | None
    retry_count: int
    indexes: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] | None = None

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> ClaimedJob:
        """The job of a row of `CLAIMED_COLUMNS`."""
        (id_, team_id, tmb_id, dataset_id, collection_id, mode, q, a, chunk_index, index_size, data_id, bill_id,
         retry_count, indexes, meta) = row  # fmt: skip
        return cls(
            id=id_,
            team_id=team_id,
            tmb_id=tmb_id,
            dataset_id=dataset_id,
            collection_id=collection_id,
            mode=mode,
            q=q or "",
            a=a or "",
            chunk_index=chunk_index or 0,
            index_size=index_size,
            data_id=data_id,
            bill_id=bill_id,
            retry_count=retry_count,
            indexes=list(indexes or []),
            meta=meta,
        )


# what a worker reads of a claimed job (not its timestamps: they would only be parsed and dropped)
CLAIMED_COLUMNS = [JOBS.c[name] for name in ("id", "team_id", "tmb_id", "dataset_id", "collection_id", "mode", "q", "a",
                                             "chunk_index", "index_size", "data_id", "bill_id", "retry_count",
                                             "indexes", "metadata")]  # fmt: skip


# Run on the DB-API cursor (`Prepared`): a collection queues thousands of jobs, claimed a batch at a time.
INSERT_JOB = Prepared(insert(JOBS))
_CLAIMS: dict[int, Prepared] = {}  # by the number of modes claimed


def insert_jobs(conn: Connection, drafts: Sequence[JobDraft], now: datetime | None = None) -> int:
    """Insert ``drafts`` inside the caller's transaction."""
    stamp = now or utcnow()
    INSERT_JOB.execute_many(conn, [draft.row(stamp) for draft in drafts])
    return len(drafts)


def _claim_statement(modes: int) -> Prepared:
    """Claim up to ``b_limit`` jobs of the modes ``b_mode0`` … whose lease ended at ``b_expired``."""
    statement = _CLAIMS.get(modes)
    if statement is None:
        lock_time = JOBS.c.lock_time
        candidates = (
            select(JOBS.c.id)
            .where(
                JOBS.c.mode.in_([bindparam(f"b_mode{index}") for index in range(modes)]),
                JOBS.c.retry_count > 0,
                lock_time <= bindparam("b_expired", type_=lock_time.type),
            )
            .order_by(lock_time)  # ties (never claimed) in index order: the claim reads only its rows
            .limit(bindparam("b_limit", type_=Integer()))
            .with_for_update(skip_locked=True)
        )
        statement = _CLAIMS[modes] = Prepared(
            update(JOBS)
            .where(JOBS.c.id.in_(candidates.scalar_subquery()))
            .values(
                lock_time=bindparam("b_now", type_=lock_time.type),
                lease_owner=bindparam("b_owner", type_=JOBS.c.lease_owner.type),
                retry_count=JOBS.c.retry_count - 1,
            )
            .returning(*CLAIMED_COLUMNS)
        )
    return statement


def claim_jobs(
    conn: Connection, *, owner: str, modes: Sequence[str], limit: int, lease_s: float, now: datetime
) -> list[ClaimedJob]:
    params: dict[str, Any] = {f"b_mode{index}": mode for index, mode in enumerate(modes)}
    params.update(b_expired=now - timedelta(seconds=lease_s), b_limit=limit, b_now=now, b_owner=owner)
    jobs = [ClaimedJob.from_row(row) for row in _claim_statement(len(modes)).all(conn, params)]
    return sorted(jobs, key=lambda job: (job.collection_id, job.chunk_index, job.id))


class TrainingQueue:
    """Async face of the queue for workers and services."""

    def __init__(self, db: Database, *, lease_s: float) -> None:
        self.db = db
        self.lease_s = lease_s

    async def push(self, drafts: Sequence[JobDraft]) -> int:
        if not drafts:
            return 0
        return await self.db.run_write(lambda conn: insert_jobs(conn, drafts))

    async def claim(self, *, owner: str, modes: Sequence[str], limit: int) -> list[ClaimedJob]:
        now = utcnow()
        return await self.db.run_write(
            lambda conn: claim_jobs(conn, owner=owner, modes=modes, limit=limit, lease_s=self.lease_s, now=now)
        )

    async def fail(self, job_ids: Sequence[str], *, owner: str, message: str) -> None:
        """Keep the jobs with ``error_msg``; claimable again after a short back-off."""
        retry_at = utcnow() - timedelta(seconds=self.lease_s) + timedelta(seconds=min(self.lease_s, 5.0))

        def run(conn: Connection) -> None:
            conn.execute(
                update(JOBS)
                .where(JOBS.c.id.in_(list(job_ids)), JOBS.c.lease_owner == owner)
                .values(error_msg=message[:2000], lease_owner=None, lock_time=retry_at)
            )

        await self.db.run_write(run)

    async def release(self, job_ids: Sequence[str], *, owner: str) -> None:
        """Give claimed jobs back unspent (a worker stopping cleanly)."""

        def run(conn: Connection) -> None:
            conn.execute(
                update(JOBS)
                .where(JOBS.c.id.in_(list(job_ids)), JOBS.c.lease_owner == owner)
                .values(lease_owner=None, lock_time=NEVER_LOCKED, retry_count=JOBS.c.retry_count + 1)
            )

        await self.db.run_write(run)

    async def pending(self) -> int:
        def run(conn: Connection) -> int:
            query = select(func.count()).select_from(JOBS).where(JOBS.c.retry_count > 0)
            return int(conn.execute(query).scalar_one())

        return await self.db.run_read(run)


def delete_jobs(conn: Connection, *, dataset_ids: Sequence[str] = (), collection_ids: Sequence[str] = ()) -> None:
    if dataset_ids:
        conn.execute(delete(JOBS).where(JOBS.c.dataset_id.in_(list(dataset_ids))))
    if collection_ids:
        conn.execute(delete(JOBS).where(JOBS.c.collection_id.in_(list(collection_ids))))
