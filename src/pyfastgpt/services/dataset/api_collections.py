"""Collections of an API dataset (FastGPT `collection/create/apiCollection` and `apiCollectionV2`).

The dataset's `api_dataset_server` names the file server (`rag/api_dataset.py`). A file is read
through it and goes through the ordinary text ingest (`CollectionService.create_from_text`) as an
`apiFile` collection that remembers its `apiFileId`; a file id already imported into the dataset
is refused (`sameApiCollection`, V1) or skipped (V2). V2 takes a selection of files and folders:
folders are walked recursively and become collection folders.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, select, update

from pyfastgpt.core.errors import Conflict, InvalidRequest
from pyfastgpt.rag.api_dataset import ApiDatasetClient, ApiFile, ApiServer
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.dataset.access import COLLECTIONS, dataset_row, require_dataset_access
from pyfastgpt.services.dataset.collections import CollectionService
from pyfastgpt.services.dataset.ingest import CollectionDraft

ROOT_FOLDER_ID = "SYSTEM_ROOT"
MAX_FILES = 1000


class ApiCollectionService:
    def __init__(self, collections: CollectionService) -> None:
        self.collections = collections
        self.kb = collections.kb

    async def _client(self, ctx: AuthContext, dataset_id: str) -> ApiDatasetClient:
        require_dataset_access(ctx)
        row = await self.kb.db.run_read(lambda conn: dataset_row(conn, ctx, dataset_id))
        server = ApiServer.from_wire(row.api_dataset_server)
        if server is None:
            raise InvalidRequest("The dataset has no API server (apiDatasetServer.apiServer)", key="invalidParams")
        settings = self.kb.settings
        return ApiDatasetClient(
            server,
            allow_private=settings.link_fetch_allow_private,
            timeout_s=settings.link_fetch_timeout_s,
            max_bytes=settings.link_fetch_max_bytes,
        )

    async def _imported(self, dataset_id: str) -> set[str]:
        def read(conn: Connection) -> set[str]:
            query = select(COLLECTIONS.c.api_file_id).where(
                COLLECTIONS.c.dataset_id == dataset_id,
                COLLECTIONS.c.api_file_id.is_not(None),
                COLLECTIONS.c.delete_time.is_(None),
            )
            return {str(value) for value in conn.execute(query).scalars()}

        return await self.kb.db.run_read(read)

    async def _mark(self, collection_id: str, api_file_id: str) -> None:
        await self.kb.db.run_write(
            lambda conn: conn.execute(
                update(COLLECTIONS).where(COLLECTIONS.c.id == collection_id).values(api_file_id=api_file_id)
            )
        )

    async def _import_file(
        self, ctx: AuthContext, client: ApiDatasetClient, draft: CollectionDraft, api_file_id: str
    ) -> dict[str, Any]:
        content = await client.file_content(api_file_id)
        file_draft = replace(
            draft,
            type="apiFile",
            name=content.title or draft.name or api_file_id,
            metadata={**draft.metadata, "relatedImgId": api_file_id},
        )
        result = await self.collections.create_from_text(ctx, file_draft, content.raw_text)
        await self._mark(result["collectionId"], api_file_id)
        return result

    async def create(self, ctx: AuthContext, draft: CollectionDraft, api_file_id: str) -> dict[str, Any]:
        """V1: one file → `{collectionId, results}`."""
        client = await self._client(ctx, draft.dataset_id)
        if api_file_id in await self._imported(draft.dataset_id):
            raise Conflict(key="sameApiCollection")
        return await self._import_file(ctx, client, draft, api_file_id)

    async def create_many(self, ctx: AuthContext, draft: CollectionDraft, selection: list[ApiFile]) -> None:
        """V2: the selected files, and every file under the selected folders; known file ids are skipped."""
        client = await self._client(ctx, draft.dataset_id)
        imported = await self._imported(draft.dataset_id)
        start_id = client.server.base_path
        picked: list[ApiFile] = []

        async def walk(files: list[ApiFile], top_level: bool) -> None:
            for item in files:
                if len(picked) >= MAX_FILES:
                    raise InvalidRequest(f"At most {MAX_FILES} files at once", key="invalidParams")
                if top_level or item.type == "file":
                    picked.append(item)
                if item.has_child:
                    await walk(await client.list_files(parent_id=item.id), False)

        await walk(selection, True)
        seen: set[str] = set()
        for item in picked:
            if item.id in imported or item.id in seen:
                continue
            seen.add(item.id)
            if item.type == "folder" and item.has_child:
                folder = replace(draft, type="folder", name=item.name, params={})
                folder_id = await self.collections.create_empty(ctx, folder)
                await self._mark(folder_id, ROOT_FOLDER_ID if item.id == start_id else item.id)
            elif item.type == "file":
                await self._import_file(ctx, client, replace(draft, name=item.name), item.id)
