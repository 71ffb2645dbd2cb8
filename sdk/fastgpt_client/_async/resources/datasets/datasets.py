"""``client.datasets`` ↔ ``/api/core/dataset/*`` (create, list, detail, update, delete, searchTest)."""

from __future__ import annotations

import builtins
from functools import cached_property
from typing import Any, Literal, cast

from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._async.resources.datasets.collections import AsyncCollections
from fastgpt_client._async.resources.datasets.data import AsyncData
from fastgpt_client._async.resources.datasets.training import AsyncTraining
from fastgpt_client._types import NOT_GIVEN, NotGivenOr
from fastgpt_client.types import Dataset, SearchTestResult

SearchMode = Literal["embedding", "fullTextRecall", "mixedRecall"]


class AsyncDatasets(AsyncAPIResource):
    """Knowledge bases (datasets) and folders of datasets."""

    @cached_property
    def collections(self) -> AsyncCollections:
        return AsyncCollections(self._client)

    @cached_property
    def data(self) -> AsyncData:
        return AsyncData(self._client)

    @cached_property
    def training(self) -> AsyncTraining:
        return AsyncTraining(self._client)

    async def create(
        self,
        name: str,
        *,
        type: Literal["dataset", "folder"] | str = "dataset",
        parent_id: NotGivenOr[str | None] = NOT_GIVEN,
        intro: NotGivenOr[str] = NOT_GIVEN,
        avatar: NotGivenOr[str] = NOT_GIVEN,
        vector_model: NotGivenOr[str] = NOT_GIVEN,
        agent_model: NotGivenOr[str] = NOT_GIVEN,
        vlm_model: NotGivenOr[str] = NOT_GIVEN,
    ) -> str:
        """Create a dataset (or folder); return its id."""
        body = {
            "name": name,
            "type": type,
            "parentId": parent_id,
            "intro": intro,
            "avatar": avatar,
            "vectorModel": vector_model,
            "agentModel": agent_model,
            "vlmModel": vlm_model,
        }
        return str(await self._post("/api/core/dataset/create", body=body))

    async def list(
        self,
        *,
        parent_id: NotGivenOr[str | None] = NOT_GIVEN,
        type: NotGivenOr[str] = NOT_GIVEN,
        search_key: NotGivenOr[str] = NOT_GIVEN,
    ) -> builtins.list[Dataset]:
        """Datasets under ``parent_id`` (the root when not given)."""
        body = {"parentId": parent_id, "type": type, "searchKey": search_key}
        return cast(list[Dataset], await self._post("/api/core/dataset/list", body=body, read_only=True))

    async def detail(self, dataset_id: str) -> Dataset:
        """One dataset, with its models expanded."""
        return cast(Dataset, await self._get("/api/core/dataset/detail", query={"id": dataset_id}))

    async def update(
        self,
        dataset_id: str,
        *,
        name: NotGivenOr[str] = NOT_GIVEN,
        intro: NotGivenOr[str] = NOT_GIVEN,
        avatar: NotGivenOr[str] = NOT_GIVEN,
        parent_id: NotGivenOr[str | None] = NOT_GIVEN,
        agent_model: NotGivenOr[str] = NOT_GIVEN,
        vlm_model: NotGivenOr[str] = NOT_GIVEN,
        extra_body: dict[str, Any] | None = None,
    ) -> None:
        """Change the given fields only (``None`` is sent as ``null``)."""
        body = {
            "id": dataset_id,
            "name": name,
            "intro": intro,
            "avatar": avatar,
            "parentId": parent_id,
            "agentModel": agent_model,
            "vlmModel": vlm_model,
        }
        await self._put("/api/core/dataset/update", body=body, extra_body=extra_body)

    async def delete(self, dataset_id: str) -> None:
        """Delete a dataset with everything in it."""
        await self._delete("/api/core/dataset/delete", query={"id": dataset_id})

    async def search_test(
        self,
        dataset_id: str,
        text: str,
        *,
        limit: NotGivenOr[int] = NOT_GIVEN,
        similarity: NotGivenOr[float] = NOT_GIVEN,
        search_mode: NotGivenOr[SearchMode] = NOT_GIVEN,
        embedding_weight: NotGivenOr[float] = NOT_GIVEN,
        using_rerank: NotGivenOr[bool] = NOT_GIVEN,
        rerank_model: NotGivenOr[str] = NOT_GIVEN,
        rerank_weight: NotGivenOr[float] = NOT_GIVEN,
        extension_query: NotGivenOr[bool] = NOT_GIVEN,
        extension_model: NotGivenOr[str] = NOT_GIVEN,
        extension_background: NotGivenOr[str] = NOT_GIVEN,
    ) -> SearchTestResult:
        """Run a retrieval over the dataset, as a knowledge-base search node would."""
        body = {
            "datasetId": dataset_id,
            "text": text,
            "limit": limit,
            "similarity": similarity,
            "searchMode": search_mode,
            "embeddingWeight": embedding_weight,
            "usingReRank": using_rerank,
            "rerankModel": rerank_model,
            "rerankWeight": rerank_weight,
            "datasetSearchUsingExtensionQuery": extension_query,
            "datasetSearchExtensionModel": extension_model,
            "datasetSearchExtensionBg": extension_background,
        }
        return cast(SearchTestResult, await self._post("/api/core/dataset/searchTest", body=body, read_only=True))


__all__ = ["AsyncDatasets", "SearchMode"]
