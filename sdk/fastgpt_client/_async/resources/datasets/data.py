"""``client.datasets.data`` ↔ ``/api/core/dataset/data/*``: the chunks (q/a pairs) of a collection."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import Any, cast

from fastgpt_client._async._pagination import iterate_pages
from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._pagination import PageCursor, PageRequest
from fastgpt_client._types import NOT_GIVEN, NotGivenOr
from fastgpt_client.types import DataIndex, DataItem, DatasetData, Page, PushDataResult, TrainingType

MAX_PUSH_BATCH = 200


def batched(items: Sequence[Mapping[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    """``items`` in consecutive batches of at most ``size`` (FastGPT accepts ≤ 200 per push)."""
    if not 1 <= size <= MAX_PUSH_BATCH:
        raise ValueError(f"batch size must be between 1 and {MAX_PUSH_BATCH}")
    for start in range(0, len(items), size):
        yield [dict(item) for item in items[start : start + size]]


def merge_push_results(results: Iterable[Mapping[str, Any]]) -> PushDataResult:
    """Sum ``insertLen`` and concatenate the per-item problem lists of several pushes."""
    lists: dict[str, list[Any]] = {"overToken": [], "repeat": [], "error": []}
    inserted = 0
    for result in results:
        inserted += int(result.get("insertLen") or 0)
        for key, collected in lists.items():
            values = result.get(key)
            if isinstance(values, list):
                collected.extend(values)
    return {"insertLen": inserted, "overToken": lists["overToken"], "repeat": lists["repeat"], "error": lists["error"]}


class AsyncData(AsyncAPIResource):
    """Chunks of a collection: bulk push (queued for training), single insert, CRUD."""

    async def push_data(
        self,
        collection_id: str,
        data: Sequence[DataItem | Mapping[str, Any]],
        *,
        training_type: TrainingType = "chunk",
        prompt: NotGivenOr[str] = NOT_GIVEN,
        bill_id: NotGivenOr[str] = NOT_GIVEN,
        batch_size: int = MAX_PUSH_BATCH,
    ) -> PushDataResult:
        """Queue ``data`` for training, ``batch_size`` (≤ 200) items per request; merged result."""
        results: list[Mapping[str, Any]] = []
        for batch in batched(data, batch_size):
            body = {
                "collectionId": collection_id,
                "trainingType": training_type,
                "prompt": prompt,
                "billId": bill_id,
                "data": batch,
            }
            result = await self._post("/api/core/dataset/data/pushData", body=body)
            results.append(result if isinstance(result, Mapping) else {})
        return merge_push_results(results)

    async def insert(
        self,
        collection_id: str,
        q: str,
        *,
        a: NotGivenOr[str] = NOT_GIVEN,
        indexes: NotGivenOr[Sequence[DataIndex]] = NOT_GIVEN,
    ) -> str:
        """Insert one chunk synchronously (embedded before returning); return its id."""
        body = {
            "collectionId": collection_id,
            "q": q,
            "a": a,
            "indexes": list(indexes) if isinstance(indexes, Sequence) else indexes,
        }
        return str(await self._post("/api/core/dataset/data/insertData", body=body))

    async def list(
        self,
        collection_id: str,
        *,
        search_text: NotGivenOr[str] = NOT_GIVEN,
        offset: int = 0,
        page_size: int = 30,
    ) -> Page[DatasetData]:
        """One page of a collection's chunks."""
        body = {"collectionId": collection_id, "searchText": search_text, "offset": offset, "pageSize": page_size}
        return cast(Page[DatasetData], await self._post("/api/core/dataset/data/v2/list", body=body, read_only=True))

    def list_all(
        self, collection_id: str, *, search_text: NotGivenOr[str] = NOT_GIVEN, page_size: int = 30
    ) -> AsyncIterator[DatasetData]:
        """Every chunk of a collection, in chunk order (``offset`` paging; servers cap pages at 100)."""

        async def fetch(request: PageRequest) -> Page[DatasetData]:
            return await self.list(
                collection_id, search_text=search_text, offset=request.offset, page_size=request.page_size
            )

        return iterate_pages(fetch, PageCursor("offset", page_size))

    async def detail(self, data_id: str) -> DatasetData:
        return cast(DatasetData, await self._get("/api/core/dataset/data/detail", query={"id": data_id}))

    async def update(
        self,
        data_id: str,
        *,
        q: NotGivenOr[str] = NOT_GIVEN,
        a: NotGivenOr[str] = NOT_GIVEN,
        indexes: NotGivenOr[Sequence[DataIndex]] = NOT_GIVEN,
    ) -> None:
        """Change a chunk; indexes not listed (by ``dataId``) are removed and it is re-embedded."""
        body = {
            "dataId": data_id,
            "q": q,
            "a": a,
            "indexes": list(indexes) if isinstance(indexes, Sequence) else indexes,
        }
        await self._put("/api/core/dataset/data/update", body=body)

    async def delete(self, data_id: str) -> None:
        await self._delete("/api/core/dataset/data/delete", query={"id": data_id})
