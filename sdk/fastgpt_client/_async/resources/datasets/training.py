"""``client.datasets.training`` ↔ ``/api/core/dataset/training/*`` (queue size and failed jobs)."""

from __future__ import annotations

from typing import Any, cast

from fastgpt_client._async.resources._resource import AsyncAPIResource
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
