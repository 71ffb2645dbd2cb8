"""The training queue as the API shows it: counts, errors, retry/edit, delete, rebuild."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from pyfastgpt.core.errors import InvalidRequest, NotFound
from pyfastgpt.rag.training.queue import JOBS, MAX_RETRIES, NEVER_LOCKED, JobDraft, insert_jobs
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.dataset.access import DATA, DATASETS, collection_row, dataset_row, require_dataset_access
from pyfastgpt.services.dataset.kb import KnowledgeBase
from pyfastgpt.services.dataset.shapes import training_shape

MAX_PAGE = 100


class TrainingService:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    async def queue(self, ctx: AuthContext, dataset_id: str) -> dict[str, int]:
        require_dataset_access(ctx)

        def run(conn: Connection) -> dict[str, int]:
            dataset_row(conn, ctx, dataset_id)
            jobs = select(func.count()).select_from(JOBS).where(JOBS.c.dataset_id == dataset_id)
            rebuilding = (
                select(func.count())
                .select_from(DATA)
                .where(DATA.c.dataset_id == dataset_id, DATA.c.rebuilding.is_(True))
            )
            return {
                "rebuildingCount": int(conn.execute(rebuilding).scalar_one()),
                "trainingCount": int(conn.execute(jobs).scalar_one()),
            }

        return await self.kb.db.run_read(run)

    async def errors(self, ctx: AuthContext, body: Mapping[str, Any]) -> dict[str, Any]:
        require_dataset_access(ctx)
        size = max(1, min(int(body.get("pageSize") or 10), MAX_PAGE))
        offset = max(0, int(body.get("offset") or 0))

        def run(conn: Connection) -> dict[str, Any]:
            collection = collection_row(conn, ctx, str(body.get("collectionId") or ""))
            where = [JOBS.c.collection_id == collection.id, JOBS.c.error_msg.is_not(None)]
            total = conn.execute(select(func.count()).select_from(JOBS).where(*where)).scalar_one()
            rows = conn.execute(select(JOBS).where(*where).order_by(JOBS.c.chunk_index).offset(offset).limit(size))
            return {"list": [training_shape(row) for row in rows], "total": int(total)}

        return await self.kb.db.run_read(run)

    async def retry(self, ctx: AuthContext, body: Mapping[str, Any]) -> None:
        """``updateTrainingData``: one job (optionally with new q/a/chunkIndex) or all failed ones."""
        require_dataset_access(ctx)
        reset = {"retry_count": MAX_RETRIES, "lock_time": NEVER_LOCKED, "lease_owner": None, "error_msg": None}

        def run(conn: Connection) -> None:
            job_id = body.get("dataId")
            if not job_id:
                if body.get("collectionId"):
                    scope = JOBS.c.collection_id == collection_row(conn, ctx, str(body["collectionId"])).id
                else:
                    scope = JOBS.c.dataset_id == dataset_row(conn, ctx, str(body.get("datasetId") or "")).id
                conn.execute(update(JOBS).where(scope, JOBS.c.error_msg.is_not(None)).values(**reset))
                return
            job = conn.execute(select(JOBS).where(JOBS.c.id == str(job_id))).first()
            if job is None:
                raise NotFound("data not found", key="unAuthDatasetData", http_status=404)
            collection_row(conn, ctx, job.collection_id)
            edits = {key: body[wire] for wire, key in (("q", "q"), ("a", "a"), ("chunkIndex", "chunk_index"))
                     if body.get(wire) is not None}  # fmt: skip
            conn.execute(update(JOBS).where(JOBS.c.id == job.id).values(**reset, **edits))

        await self.kb.db.run_write(run)
        self.kb.notify()

    async def delete(self, ctx: AuthContext, body: Mapping[str, Any]) -> None:
        require_dataset_access(ctx)

        def run(conn: Connection) -> None:
            job = conn.execute(select(JOBS).where(JOBS.c.id == str(body.get("dataId") or ""))).first()
            if job is None:
                raise NotFound("data not found", key="unAuthDatasetData", http_status=404)
            collection_row(conn, ctx, job.collection_id)
            conn.execute(delete(JOBS).where(JOBS.c.id == job.id))
            if job.data_id:
                conn.execute(update(DATA).where(DATA.c.id == job.data_id).values(rebuilding=False))

        await self.kb.db.run_write(run)

    async def rebuild(self, ctx: AuthContext, dataset_id: str, vector_model: str) -> None:
        """Switch the dataset's embedding model and re-embed every data item with it."""
        require_dataset_access(ctx)
        try:
            info = self.kb.registry.info(vector_model)
        except Exception as error:
            raise InvalidRequest(f"Unknown model {vector_model}", key="invalidVectorModelOrQAModel") from error
        if info.type != "embedding":
            raise InvalidRequest(f"{vector_model} is not an embedding model", key="invalidVectorModelOrQAModel")

        def run(conn: Connection) -> None:
            dataset = dataset_row(conn, ctx, dataset_id)
            if dataset.type == "folder":
                raise InvalidRequest("A folder has no embeddings", key="invalidParams")
            if conn.execute(select(func.count()).select_from(JOBS).where(JOBS.c.dataset_id == dataset_id)).scalar_one():
                raise InvalidRequest("The dataset is still training", key="invalidParams")
            conn.execute(update(DATASETS).where(DATASETS.c.id == dataset_id).values(vector_model=vector_model))
            rows = list(conn.execute(select(DATA.c.id, DATA.c.collection_id).where(DATA.c.dataset_id == dataset_id)))
            conn.execute(update(DATA).where(DATA.c.dataset_id == dataset_id).values(rebuilding=True))
            insert_jobs(
                conn,
                [
                    JobDraft(
                        team_id=dataset.team_id,
                        tmb_id=ctx.tmb_id,
                        dataset_id=dataset_id,
                        collection_id=row.collection_id,
                        mode="chunk",
                        data_id=row.id,
                    )
                    for row in rows
                ],
            )

        await self.kb.db.run_write(run)
        self.kb.notify()
