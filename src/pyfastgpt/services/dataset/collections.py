"""Collections: empty/folder, from text, a link or an uploaded file; list, detail, update, delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import Connection, Table, case, func, select, update

from pyfastgpt.core.clock import utcnow
from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.dataset.access import (
    COLLECTIONS,
    collection_row,
    dataset_row,
    require_dataset_access,
)
from pyfastgpt.services.dataset.ingest import (
    CollectionDraft,
    IngestPlan,
    create_with_jobs,
    insert_collection,
    plan_text,
    push_result,
)
from pyfastgpt.services.dataset.kb import KnowledgeBase
from pyfastgpt.services.dataset.purge import descendants, purge_collections
from pyfastgpt.services.dataset.shapes import OWNER_PERMISSION, collection_shape, dataset_shape, source_of
from pyfastgpt.store.models.dataset import TrainingJob

JOBS = cast(Table, TrainingJob.__table__)
MAX_PAGE = 100


class CollectionService:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def _dataset(self, conn: Connection, ctx: AuthContext, dataset_id: str, parent_id: str | None) -> Any:
        dataset = dataset_row(conn, ctx, dataset_id)
        if dataset.type == "folder":
            raise InvalidRequest("A dataset folder holds datasets, not collections", key="invalidParams")
        if parent_id:
            parent = collection_row(conn, ctx, parent_id)
            if parent.dataset_id != dataset_id or parent.type != "folder":
                raise InvalidRequest("The parent must be a collection folder of this dataset", key="invalidParams")
        return dataset

    async def create_empty(self, ctx: AuthContext, draft: CollectionDraft) -> str:
        require_dataset_access(ctx)
        if draft.type not in ("virtual", "folder"):
            raise InvalidRequest("type must be virtual or folder", key="invalidParams")

        def run(conn: Connection) -> str:
            self._dataset(conn, ctx, draft.dataset_id, draft.parent_id)
            return insert_collection(conn, ctx, draft, None)

        return await self.kb.db.run_write(run)

    async def create_from_text(self, ctx: AuthContext, draft: CollectionDraft, text: str) -> dict[str, Any]:
        """Split ``text`` with the resolved chunk settings and queue one job per chunk."""
        require_dataset_access(ctx)
        if not text.strip():
            raise InvalidRequest("The text is empty", key="invalidParams")
        dataset = await self.kb.db.run_read(lambda conn: self._dataset(conn, ctx, draft.dataset_id, draft.parent_id))
        plan: IngestPlan = await plan_text(self.kb, dataset, text, draft.params)

        def run(conn: Connection) -> str:
            self._dataset(conn, ctx, draft.dataset_id, draft.parent_id)
            return create_with_jobs(conn, ctx, draft, plan)

        collection_id = await self.kb.db.run_write(run)
        self.kb.notify()
        return {"collectionId": collection_id, "results": push_result(len(plan.chunks))}

    async def create_from_link(self, ctx: AuthContext, draft: CollectionDraft, link: str) -> dict[str, Any]:
        require_dataset_access(ctx)
        await self.kb.db.run_read(lambda conn: self._dataset(conn, ctx, draft.dataset_id, draft.parent_id))
        from pyfastgpt.rag.readers import fetch_link  # the readers load parsers: only import them when used

        settings = self.kb.settings
        selector = draft.metadata.get("webPageSelector") if draft.metadata else None
        page = await fetch_link(
            link,
            selector=str(selector) if selector else None,
            timeout_s=settings.link_fetch_timeout_s,
            max_bytes=settings.link_fetch_max_bytes,
            allow_private=settings.link_fetch_allow_private,
        )
        draft.type, draft.raw_link = "link", link
        draft.name = draft.name or page.title or link
        return await self.create_from_text(ctx, draft, page.text)

    async def create_from_file(self, ctx: AuthContext, draft: CollectionDraft, data: bytes) -> dict[str, Any]:
        require_dataset_access(ctx)
        from pyfastgpt.rag.readers import ReadLimits, aread_file

        await self.kb.db.run_read(lambda conn: self._dataset(conn, ctx, draft.dataset_id, draft.parent_id))
        result = await aread_file(draft.name, data, limits=ReadLimits(max_bytes=self.kb.settings.upload_max_bytes))
        draft.type = "file"
        draft.metadata = {**draft.metadata, "fileSize": len(data), "encoding": result.encoding}
        return await self.create_from_text(ctx, draft, result.text)

    # ----------------------------------------------------------------- reading
    def _page(
        self, conn: Connection, ctx: AuthContext, body: Mapping[str, Any], offset: int, size: int
    ) -> tuple[list[dict[str, Any]], int]:
        dataset_id = str(body.get("datasetId") or "")
        dataset_row(conn, ctx, dataset_id)
        where = [COLLECTIONS.c.dataset_id == dataset_id, COLLECTIONS.c.delete_time.is_(None)]
        search = body.get("searchText")
        if search:
            where.append(COLLECTIONS.c.name.contains(str(search), autoescape=True))
        else:
            parent = body.get("parentId")
            where.append(COLLECTIONS.c.parent_id == parent if parent else COLLECTIONS.c.parent_id.is_(None))
        if body.get("selectFolder"):
            where.append(COLLECTIONS.c.type == "folder")
        total = int(conn.execute(select(func.count()).select_from(COLLECTIONS).where(*where)).scalar_one())
        rows = list(
            conn.execute(
                select(COLLECTIONS)
                .where(*where)
                .order_by(COLLECTIONS.c.update_time.desc(), COLLECTIONS.c.id.desc())
                .offset(offset)
                .limit(size)
            )
        )
        tags = [str(tag) for tag in body.get("filterTags") or []]
        if tags:
            rows = [row for row in rows if set(tags) & set(row.tags or [])]
        ids = [row.id for row in rows]
        training = {
            row[0]: (int(row[1]), int(row[2] or 0))
            for row in conn.execute(
                select(
                    JOBS.c.collection_id,
                    func.count(),
                    func.sum(case((JOBS.c.error_msg.is_not(None), 1), else_=0)),
                )
                .where(JOBS.c.collection_id.in_(ids))
                .group_by(JOBS.c.collection_id)
            )
        }
        items = []
        for row in rows:
            count, errors = training.get(row.id, (0, 0))
            items.append(
                {
                    **collection_shape(row),
                    "dataAmount": row.data_amount,
                    "trainingAmount": count,
                    "hasError": errors > 0,
                    "permission": OWNER_PERMISSION,
                }
            )
        return items, total

    async def list_v2(self, ctx: AuthContext, body: Mapping[str, Any]) -> dict[str, Any]:
        require_dataset_access(ctx)
        size = max(1, min(int(body.get("pageSize") or 10), MAX_PAGE))
        offset = max(
            0, int(body["offset"]) if body.get("offset") is not None else (int(body.get("pageNum") or 1) - 1) * size
        )
        items, total = await self.kb.db.run_read(lambda conn: self._page(conn, ctx, body, offset, size))
        return {"list": items, "total": total}

    async def list_legacy(self, ctx: AuthContext, body: Mapping[str, Any]) -> dict[str, Any]:
        require_dataset_access(ctx)
        page_num = max(1, int(body.get("pageNum") or 1))
        size = max(1, min(int(body.get("pageSize") or 10), MAX_PAGE))
        items, total = await self.kb.db.run_read(lambda conn: self._page(conn, ctx, body, (page_num - 1) * size, size))
        return {"pageNum": page_num, "pageSize": size, "data": items, "total": total}

    async def detail(self, ctx: AuthContext, collection_id: str) -> dict[str, Any]:
        require_dataset_access(ctx)

        def run(conn: Connection) -> dict[str, Any]:
            row = collection_row(conn, ctx, collection_id)
            dataset = dataset_row(conn, ctx, row.dataset_id)
            return {
                **collection_shape(row),
                "datasetId": dataset_shape(dataset),
                **source_of(row),
                "dataAmount": row.data_amount,
                "permission": OWNER_PERMISSION,
            }

        return await self.kb.db.run_read(run)

    async def update(self, ctx: AuthContext, collection_id: str, changes: Mapping[str, Any]) -> None:
        require_dataset_access(ctx)

        def run(conn: Connection) -> None:
            row = collection_row(conn, ctx, collection_id)
            values: dict[str, Any] = {}
            if changes.get("name") is not None:
                if not str(changes["name"]).strip():
                    raise InvalidRequest("name cannot be empty", key="invalidParams")
                values["name"] = str(changes["name"]).strip()
            if changes.get("tags") is not None:
                values["tags"] = [str(tag) for tag in changes["tags"]]
            if changes.get("forbid") is not None:
                values["forbid"] = bool(changes["forbid"])
            if "parentId" in changes:
                parent = changes["parentId"] or None
                if parent and parent in descendants(conn, "collections", [row.id]):
                    raise InvalidRequest("A folder cannot move into itself", key="invalidParams")
                self._dataset(conn, ctx, row.dataset_id, parent)
                values["parent_id"] = parent
            conn.execute(update(COLLECTIONS).where(COLLECTIONS.c.id == row.id).values(update_time=utcnow(), **values))

        await self.kb.db.run_write(run)

    async def delete(self, ctx: AuthContext, collection_ids: list[str]) -> None:
        """The collections, their sub-collections, data, vectors, full-text rows and pending jobs."""
        require_dataset_access(ctx)
        if not collection_ids:
            raise InvalidRequest("collectionIds is empty", key="missingParams")

        def run(conn: Connection) -> list[str]:
            for collection_id in collection_ids:
                collection_row(conn, ctx, collection_id)
            ids = descendants(conn, "collections", collection_ids, team_id=ctx.team_id)
            purge_collections(self.kb, conn, ids)
            return ids

        ids = await self.kb.db.run_write(run)
        self.kb.vectors.committed([], removed_collections=ids)
