"""``client.datasets.collections`` ↔ ``/api/core/dataset/collection/*``.

A collection is one source inside a dataset: a text, a web link, an uploaded file, or a
manual ("virtual") container.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from typing import Any, Literal, cast

from fastgpt_client._async._pagination import iterate_pages
from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._base import RequestOptions
from fastgpt_client._files import FileInput, ProgressCallback, ProgressReader, open_upload
from fastgpt_client._pagination import PageCursor, PageRequest
from fastgpt_client._types import NOT_GIVEN, NotGivenOr, strip_not_given
from fastgpt_client.types import Collection, CollectionCreateResult, LegacyPage, Page, TrainingType


def chunk_settings(
    *,
    training_type: TrainingType,
    chunk_setting_mode: NotGivenOr[Literal["auto", "custom"]],
    chunk_split_mode: NotGivenOr[Literal["paragraph", "size", "char"]],
    chunk_size: NotGivenOr[int],
    index_size: NotGivenOr[int],
    chunk_splitter: NotGivenOr[str],
    qa_prompt: NotGivenOr[str],
    tags: NotGivenOr[Sequence[str]],
    metadata: NotGivenOr[dict[str, Any]],
) -> dict[str, Any]:
    """The common collection-create parameters, with wire names and NOT_GIVEN dropped."""
    return strip_not_given(
        {
            "trainingType": training_type,
            "chunkSettingMode": chunk_setting_mode,
            "chunkSplitMode": chunk_split_mode,
            "chunkSize": chunk_size,
            "indexSize": index_size,
            "chunkSplitter": chunk_splitter,
            "qaPrompt": qa_prompt,
            "tags": list(tags) if isinstance(tags, Sequence) else tags,
            "metadata": metadata,
        }
    )


class AsyncCollections(AsyncAPIResource):
    """Collections of a dataset (texts, links, files)."""

    async def create(
        self,
        dataset_id: str,
        name: str,
        *,
        type: Literal["virtual", "folder"] = "virtual",
        parent_id: NotGivenOr[str | None] = NOT_GIVEN,
        metadata: NotGivenOr[dict[str, Any]] = NOT_GIVEN,
    ) -> str:
        """Create an empty collection (fill it with ``data.push_data``) or a folder; return its id."""
        body = {"datasetId": dataset_id, "name": name, "type": type, "parentId": parent_id, "metadata": metadata}
        return str(await self._post("/api/core/dataset/collection/create", body=body))

    async def create_text(
        self,
        dataset_id: str,
        name: str,
        text: str,
        *,
        training_type: TrainingType = "chunk",
        parent_id: NotGivenOr[str | None] = NOT_GIVEN,
        chunk_setting_mode: NotGivenOr[Literal["auto", "custom"]] = NOT_GIVEN,
        chunk_split_mode: NotGivenOr[Literal["paragraph", "size", "char"]] = NOT_GIVEN,
        chunk_size: NotGivenOr[int] = NOT_GIVEN,
        index_size: NotGivenOr[int] = NOT_GIVEN,
        chunk_splitter: NotGivenOr[str] = NOT_GIVEN,
        qa_prompt: NotGivenOr[str] = NOT_GIVEN,
        tags: NotGivenOr[Sequence[str]] = NOT_GIVEN,
        metadata: NotGivenOr[dict[str, Any]] = NOT_GIVEN,
    ) -> CollectionCreateResult:
        """Create a collection from raw text; it is split and queued for training."""
        body = {
            "datasetId": dataset_id,
            "parentId": parent_id,
            "name": name,
            "text": text,
            **chunk_settings(
                training_type=training_type,
                chunk_setting_mode=chunk_setting_mode,
                chunk_split_mode=chunk_split_mode,
                chunk_size=chunk_size,
                index_size=index_size,
                chunk_splitter=chunk_splitter,
                qa_prompt=qa_prompt,
                tags=tags,
                metadata=metadata,
            ),
        }
        return cast(CollectionCreateResult, await self._post("/api/core/dataset/collection/create/text", body=body))

    async def create_link(
        self,
        dataset_id: str,
        link: str,
        *,
        training_type: TrainingType = "chunk",
        name: NotGivenOr[str] = NOT_GIVEN,
        parent_id: NotGivenOr[str | None] = NOT_GIVEN,
        web_page_selector: NotGivenOr[str] = NOT_GIVEN,
        chunk_setting_mode: NotGivenOr[Literal["auto", "custom"]] = NOT_GIVEN,
        chunk_size: NotGivenOr[int] = NOT_GIVEN,
        tags: NotGivenOr[Sequence[str]] = NOT_GIVEN,
    ) -> CollectionCreateResult:
        """Create a collection from a web page (``web_page_selector`` picks a CSS selection)."""
        metadata: NotGivenOr[dict[str, Any]] = NOT_GIVEN
        if isinstance(web_page_selector, str):
            metadata = {"webPageSelector": web_page_selector}
        body = {
            "datasetId": dataset_id,
            "parentId": parent_id,
            "name": name,
            "link": link,
            **chunk_settings(
                training_type=training_type,
                chunk_setting_mode=chunk_setting_mode,
                chunk_split_mode=NOT_GIVEN,
                chunk_size=chunk_size,
                index_size=NOT_GIVEN,
                chunk_splitter=NOT_GIVEN,
                qa_prompt=NOT_GIVEN,
                tags=tags,
                metadata=metadata,
            ),
        }
        return cast(CollectionCreateResult, await self._post("/api/core/dataset/collection/create/link", body=body))

    async def create_local_file(
        self,
        dataset_id: str,
        file: FileInput,
        *,
        filename: str | None = None,
        training_type: TrainingType = "chunk",
        parent_id: NotGivenOr[str | None] = NOT_GIVEN,
        chunk_setting_mode: NotGivenOr[Literal["auto", "custom"]] = NOT_GIVEN,
        chunk_split_mode: NotGivenOr[Literal["paragraph", "size", "char"]] = NOT_GIVEN,
        chunk_size: NotGivenOr[int] = NOT_GIVEN,
        index_size: NotGivenOr[int] = NOT_GIVEN,
        chunk_splitter: NotGivenOr[str] = NOT_GIVEN,
        qa_prompt: NotGivenOr[str] = NOT_GIVEN,
        tags: NotGivenOr[Sequence[str]] = NOT_GIVEN,
        metadata: NotGivenOr[dict[str, Any]] = NOT_GIVEN,
        on_progress: ProgressCallback | None = None,
    ) -> CollectionCreateResult:
        """Upload a file (path, bytes or binary stream) as a ``localFile`` collection.

        ``on_progress(bytes_sent, total_bytes)`` is called as the upload proceeds.
        """
        upload = open_upload(file, filename)
        params = {
            "datasetId": dataset_id,
            **strip_not_given({"parentId": parent_id}),
            **chunk_settings(
                training_type=training_type,
                chunk_setting_mode=chunk_setting_mode,
                chunk_split_mode=chunk_split_mode,
                chunk_size=chunk_size,
                index_size=index_size,
                chunk_splitter=chunk_splitter,
                qa_prompt=qa_prompt,
                tags=tags,
                metadata=metadata,
            ),
        }
        reader = ProgressReader(upload.stream, upload.size, on_progress)
        options = RequestOptions(
            method="POST",
            path="/api/core/dataset/collection/create/localFile",
            files={"file": (upload.filename, reader, upload.content_type)},
            data={"data": json.dumps(params, ensure_ascii=False)},
        )
        try:
            result = await self._client._request_data(options)
        finally:
            upload.close()
        return cast(CollectionCreateResult, result)

    async def list(
        self,
        dataset_id: str,
        *,
        parent_id: NotGivenOr[str | None] = NOT_GIVEN,
        search_text: NotGivenOr[str] = NOT_GIVEN,
        offset: int = 0,
        page_size: int = 30,
        filter_tags: NotGivenOr[Sequence[str]] = NOT_GIVEN,
    ) -> Page[Collection]:
        """One page of the dataset's collections (``listV2``: offset based, ≤ 30 per page)."""
        body = {
            "datasetId": dataset_id,
            "parentId": parent_id,
            "searchText": search_text,
            "offset": offset,
            "pageSize": page_size,
            "filterTags": list(filter_tags) if isinstance(filter_tags, Sequence) else filter_tags,
        }
        return cast(
            Page[Collection], await self._post("/api/core/dataset/collection/listV2", body=body, read_only=True)
        )

    def list_all(
        self,
        dataset_id: str,
        *,
        parent_id: NotGivenOr[str | None] = NOT_GIVEN,
        search_text: NotGivenOr[str] = NOT_GIVEN,
        page_size: int = 30,
    ) -> AsyncIterator[Collection]:
        """Every collection under ``parent_id`` (``listV2``, ``offset`` paging)."""

        async def fetch(request: PageRequest) -> Page[Collection]:
            return await self.list(
                dataset_id,
                parent_id=parent_id,
                search_text=search_text,
                offset=request.offset,
                page_size=request.page_size,
            )

        return iterate_pages(fetch, PageCursor("offset", page_size))

    async def list_legacy(
        self,
        dataset_id: str,
        *,
        page_num: int = 1,
        page_size: int = 10,
        parent_id: NotGivenOr[str | None] = NOT_GIVEN,
        search_text: NotGivenOr[str] = NOT_GIVEN,
    ) -> LegacyPage[Collection]:
        """One page of the older ``collection/list``: ``pageNum`` paging, ``{pageNum, pageSize, data, total}``."""
        body = {
            "datasetId": dataset_id,
            "pageNum": page_num,
            "pageSize": page_size,
            "parentId": parent_id,
            "searchText": search_text,
        }
        return cast(
            LegacyPage[Collection], await self._post("/api/core/dataset/collection/list", body=body, read_only=True)
        )

    def list_legacy_all(self, dataset_id: str, *, page_size: int = 10) -> AsyncIterator[Collection]:
        """Every collection through the older ``collection/list`` (``pageNum`` paging)."""

        async def fetch(request: PageRequest) -> LegacyPage[Collection]:
            return await self.list_legacy(dataset_id, page_num=request.page_num, page_size=request.page_size)

        return iterate_pages(fetch, PageCursor("pageNum", page_size))

    async def detail(self, collection_id: str) -> Collection:
        return cast(Collection, await self._get("/api/core/dataset/collection/detail", query={"id": collection_id}))

    async def update(
        self,
        collection_id: str,
        *,
        name: NotGivenOr[str] = NOT_GIVEN,
        parent_id: NotGivenOr[str | None] = NOT_GIVEN,
        tags: NotGivenOr[Sequence[str]] = NOT_GIVEN,
        forbid: NotGivenOr[bool] = NOT_GIVEN,
    ) -> None:
        """Rename, move, tag or disable (``forbid``) a collection."""
        body = {
            "id": collection_id,
            "name": name,
            "parentId": parent_id,
            "tags": list(tags) if isinstance(tags, Sequence) else tags,
            "forbid": forbid,
        }
        await self._post("/api/core/dataset/collection/update", body=body)

    async def delete(self, collection_id: str | Sequence[str]) -> None:
        """Delete one collection (by id) or several (a sequence of ids) with their data."""
        ids = [collection_id] if isinstance(collection_id, str) else [str(item) for item in collection_id]
        query = {"id": ids[0]} if len(ids) == 1 else None
        await self._delete("/api/core/dataset/collection/delete", query=query, body={"collectionIds": ids})
