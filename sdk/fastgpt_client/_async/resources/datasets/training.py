"""``client.datasets.training`` ↔ ``/api/core/dataset/training/*``: queue size, failed jobs, retry/edit,
delete, rebuild embeddings.

FastGPT paths: ``projects/app/src/pages/api/core/dataset/training/{getDatasetTrainingQueue,
getTrainingError,updateTrainingData,deleteTrainingData,rebuildEmbedding}.ts``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, cast

from fastgpt_client._async._pagination import iterate_pages
from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._pagination import PageCursor, PageRequest
from fastgpt_client._types import NOT_GIVEN, NotGivenOr
from fastgpt_client.types import Page, TrainingQueue


class AsyncTraining(AsyncAPIResource):
    """The background training (embedding / QA) queue of a dataset."""

    async def queue(self, dataset_id: str) -> TrainingQueue:
        """``{"rebuildingCount", "trainingCount"}``: jobs still waiting for a dataset."""
        return cast(
            TrainingQueue,
            await self._get("/api/core/dataset/training/getDatasetTrainingQueue", query={"datasetId": dataset_id}),
        )

    async def errors(self, collection_id: str, *, offset: int = 0, page_size: int = 30) -> Page[dict[str, Any]]:
        """Training jobs of a collection that failed, with their ``errorMsg``."""
        body = {"collectionId": collection_id, "offset": offset, "pageSize": page_size}
        return cast(
            Page[dict[str, Any]],
            await self._post("/api/core/dataset/training/getTrainingError", body=body, read_only=True),
        )

    def errors_all(self, collection_id: str, *, page_size: int = 30) -> AsyncIterator[dict[str, Any]]:
        """Every failed job of a collection (``offset`` paging)."""

        async def fetch(request: PageRequest) -> Page[dict[str, Any]]:
            return await self.errors(collection_id, offset=request.offset, page_size=request.page_size)

        return iterate_pages(fetch, PageCursor("offset", page_size))

    async def update(
        self,
        dataset_id: str,
        collection_id: str,
        data_id: NotGivenOr[str] = NOT_GIVEN,
        *,
        q: NotGivenOr[str] = NOT_GIVEN,
        a: NotGivenOr[str] = NOT_GIVEN,
        chunk_index: NotGivenOr[int] = NOT_GIVEN,
    ) -> None:
        """Edit a failed job (``data_id``: the job id from :meth:`errors`) and queue it again.

        Without ``data_id`` every failed job of the collection is queued again.
        """
        body = {
            "datasetId": dataset_id,
            "collectionId": collection_id,
            "dataId": data_id,
            "q": q,
            "a": a,
            "chunkIndex": chunk_index,
        }
        await self._put("/api/core/dataset/training/updateTrainingData", body=body)

    async def delete(self, dataset_id: str, collection_id: str, data_id: str) -> None:
        """Drop a (failed) training job."""
        body = {"datasetId": dataset_id, "collectionId": collection_id, "dataId": data_id}
        await self._delete("/api/core/dataset/training/deleteTrainingData", body=body)

    async def rebuild_embedding(self, dataset_id: str, vector_model: str) -> None:
        """Re-embed every chunk of a dataset with ``vector_model`` (queued; watch :meth:`queue`)."""
        body = {"datasetId": dataset_id, "vectorModel": vector_model}
        await self._post("/api/core/dataset/training/rebuildEmbedding", body=body)
