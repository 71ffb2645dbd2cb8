"""Data items: queued pushes, synchronous insert/update, list, detail, delete."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, func, select, update

from pyfastgpt.core.clock import iso
from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.rag.indexes import IndexSpec
from pyfastgpt.rag.training.chunk import DataDraft, existing_indexes
from pyfastgpt.rag.training.context import load_contexts
from pyfastgpt.rag.training.queue import JobDraft, insert_jobs
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.dataset.access import DATA, collection_row, data_row, dataset_row, require_dataset_access
from pyfastgpt.services.dataset.ingest import QA_MIN_CHARS, push_result
from pyfastgpt.services.dataset.kb import KnowledgeBase
from pyfastgpt.services.dataset.purge import purge_data
from pyfastgpt.services.dataset.shapes import data_shape, source_of

MAX_PUSH = 200
MAX_PAGE = 100
HISTORY_KEEP = 10


def index_specs(indexes: Sequence[Mapping[str, Any]] | None) -> list[IndexSpec]:
    specs = []
    for item in indexes or []:
        text = str(item.get("text") or "")
        if text.strip():
            data_id = item.get("dataId")
            specs.append(IndexSpec(str(item.get("type") or "custom"), text, str(data_id) if data_id else None))
    return specs


class DataService:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def _writable_collection(self, conn: Connection, ctx: AuthContext, collection_id: str) -> Any:
        collection = collection_row(conn, ctx, collection_id)
        if collection.type == "folder":
            raise InvalidRequest("A folder holds no data", key="invalidParams")
        return collection

    async def push(
        self,
        ctx: AuthContext,
        collection_id: str,
        items: Sequence[Mapping[str, Any]],
        *,
        mode: str,
        bill_id: str | None,
    ) -> dict[str, Any]:
        """Queue ``items`` (≤200); items with an empty ``q`` are reported in ``error``."""
        require_dataset_access(ctx)
        if len(items) > MAX_PUSH:
            raise InvalidRequest(f"At most {MAX_PUSH} items per push, got {len(items)}", key="invalidParams")
        if mode not in ("chunk", "qa"):
            raise InvalidRequest(f"Unsupported trainingType {mode}", key="invalidParams")

        def run(conn: Connection) -> dict[str, Any]:
            collection = self._writable_collection(conn, ctx, collection_id)
            dataset = dataset_row(conn, ctx, collection.dataset_id)
            cap = QA_MIN_CHARS
            if mode == "qa" and dataset.agent_model:
                try:
                    cap = max(self.kb.registry.info(dataset.agent_model).max_context, QA_MIN_CHARS)
                except Exception:
                    cap = QA_MIN_CHARS
            index_size = (collection.chunk_settings or {}).get("indexSize")
            drafts, errors, over = [], [], []
            for position, item in enumerate(items):
                q, a = str(item.get("q") or ""), str(item.get("a") or "")
                if not q.strip():
                    errors.append({**item, "index": position})
                    continue
                if mode == "qa" and len(q) + len(a) > cap:
                    over.append({**item, "index": position})
                    continue
                drafts.append(
                    JobDraft(
                        team_id=ctx.team_id, tmb_id=ctx.tmb_id, dataset_id=collection.dataset_id,
                        collection_id=collection.id, mode=mode, q=q, a=a,
                        chunk_index=int(item.get("chunkIndex") or 0), index_size=index_size, bill_id=bill_id,
                        indexes=[{"type": s.type, "text": s.text} for s in index_specs(item.get("indexes"))] or None,
                    )
                )  # fmt: skip
            insert_jobs(conn, drafts)
            return push_result(len(drafts), over, errors)

        result = await self.kb.db.run_write(run)
        self.kb.notify()
        return result

    async def _draft(self, ctx: AuthContext, collection_id: str, q: str, a: str, **extra: Any) -> DataDraft:
        def run(conn: Connection) -> DataDraft:
            collection = self._writable_collection(conn, ctx, collection_id)
            context = load_contexts(conn, [collection.id])[collection.id]
            return DataDraft(
                team_id=collection.team_id, tmb_id=ctx.tmb_id, dataset_id=collection.dataset_id,
                collection_id=collection.id, q=q, a=a, vector_model=context.vector_model,
                index_size=context.index_size(None), prefix_title=context.prefix_title, **extra,
            )  # fmt: skip

        return await self.kb.db.run_read(run)

    async def insert(
        self, ctx: AuthContext, collection_id: str, q: str, a: str, indexes: Sequence[Mapping[str, Any]] | None
    ) -> str:
        """Embed and store one item now (FastGPT's ``insertData``); its id."""
        require_dataset_access(ctx)
        if not q.strip():
            raise InvalidRequest("q is empty", key="invalidParams")

        def next_index(conn: Connection) -> int:
            query = select(func.max(DATA.c.chunk_index)).where(DATA.c.collection_id == collection_id)
            return int(conn.execute(query).scalar_one() or 0) + 1

        chunk_index = await self.kb.db.run_read(next_index)
        draft = await self._draft(
            ctx, collection_id, q, a, custom_indexes=index_specs(indexes), chunk_index=chunk_index
        )
        prepared = await self.kb.writer.prepare([draft])
        outcome = await self.kb.writer.store(prepared)
        if not outcome.written:
            raise InvalidRequest("The collection was deleted", key="unExistCollection")
        return outcome.written[0]

    async def update(
        self,
        ctx: AuthContext,
        data_id: str,
        *,
        q: str | None,
        a: str | None,
        indexes: Sequence[Mapping[str, Any]] | None,
    ) -> None:
        """Change q/a/indexes and re-embed what changed (unchanged index texts keep their vectors)."""
        require_dataset_access(ctx)

        def load(conn: Connection) -> tuple[Any, list[IndexSpec]]:
            return data_row(conn, ctx, data_id), existing_indexes(conn, data_id)

        row, stored = await self.kb.db.run_read(load)
        new_q, new_a = (q if q is not None else row.q), (a if a is not None else row.a)
        if not new_q.strip():
            raise InvalidRequest("q is empty", key="invalidParams")
        custom = index_specs(indexes) if indexes is not None else [s for s in stored if s.type != "default"]
        draft = await self._draft(
            ctx, row.collection_id, new_q, new_a, custom_indexes=custom, data_id=data_id, chunk_index=row.chunk_index,
            meta=row._mapping["metadata"],
        )  # fmt: skip
        prepared = await self.kb.writer.prepare([draft], {data_id: stored})
        if (new_q, new_a) != (row.q, row.a):
            history = [{"q": row.q, "a": row.a, "updateTime": iso(row.update_time)}, *(row.history or [])]

            def remember(conn: Connection) -> None:
                conn.execute(update(DATA).where(DATA.c.id == data_id).values(history=history[:HISTORY_KEEP]))

            await self.kb.db.run_write(remember)
        await self.kb.writer.store(prepared)

    async def list(self, ctx: AuthContext, body: Mapping[str, Any]) -> dict[str, Any]:
        require_dataset_access(ctx)
        size = max(1, min(int(body.get("pageSize") or 10), MAX_PAGE))
        offset = max(0, int(body.get("offset") or 0))
        collection_id = str(body.get("collectionId") or "")

        def run(conn: Connection) -> dict[str, Any]:
            collection = collection_row(conn, ctx, collection_id)
            where = [DATA.c.collection_id == collection_id]
            search = str(body.get("searchText") or "").strip()
            total = collection.data_amount  # every chunk of the collection, counted as they are written
            if search:
                where.append(DATA.c.q.contains(search, autoescape=True) | DATA.c.a.contains(search, autoescape=True))
                total = conn.execute(select(func.count()).select_from(DATA).where(*where)).scalar_one()
            rows = conn.execute(
                select(DATA).where(*where).order_by(DATA.c.chunk_index, DATA.c.id).offset(offset).limit(size)
            )
            return {"list": [data_shape(row) for row in rows], "total": int(total)}

        return await self.kb.db.run_read(run)

    async def detail(self, ctx: AuthContext, data_id: str) -> dict[str, Any]:
        require_dataset_access(ctx)

        def run(conn: Connection) -> dict[str, Any]:
            row = data_row(conn, ctx, data_id)
            collection = collection_row(conn, ctx, row.collection_id)
            indexes = [{"type": s.type, "dataId": s.data_id, "text": s.text} for s in existing_indexes(conn, data_id)]
            return {
                **data_shape(row),
                "indexes": indexes,
                "history": row.history or [],
                **source_of(collection),
                "isOwner": True,
                "canWrite": True,
            }

        return await self.kb.db.run_read(run)

    async def delete(self, ctx: AuthContext, data_id: str) -> None:
        require_dataset_access(ctx)

        def run(conn: Connection) -> list[int]:
            data_row(conn, ctx, data_id)
            return purge_data(self.kb, conn, data_id)

        removed = await self.kb.db.run_write(run)
        self.kb.vectors.committed([], removed_ids=removed)
