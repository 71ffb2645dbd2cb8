"""Request bodies of the dataset API (FastGPT's camelCase names; unknown keys are ignored)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pyfastgpt.core.limits import (
    MAX_PAGE_SIZE,
    CollectionPageSize,
    DataPageSize,
    DataText,
    Offset,
    PageNum,
    SearchText,
)


class Body(BaseModel):
    model_config = ConfigDict(extra="allow")


class DatasetCreateBody(Body):
    name: str = Field(min_length=1, max_length=200)
    type: str = "dataset"
    parentId: str | None = None
    intro: str = ""
    avatar: str = ""
    vectorModel: str | None = None
    agentModel: str | None = None
    vlmModel: str | None = None
    apiDatasetServer: dict[str, Any] | None = None  # {apiServer: {baseUrl, authorization, basePath}}
    apiServer: dict[str, Any] | None = None  # 4.9's bare form


class DatasetListBody(Body):
    parentId: str | None = None
    type: str | None = None
    searchKey: SearchText | None = None


class DatasetUpdateBody(Body):
    id: str = Field(min_length=1)
    parentId: str | None = None
    name: str | None = Field(default=None, max_length=200)
    intro: str | None = None
    avatar: str | None = None
    agentModel: str | None = None
    vlmModel: str | None = None
    chunkSettings: dict[str, Any] | None = None
    websiteConfig: dict[str, Any] | None = None
    apiDatasetServer: dict[str, Any] | None = None
    apiServer: dict[str, Any] | None = None

    @model_validator(mode="before")
    @classmethod
    def _null_means_unchanged(cls, data: Any) -> Any:
        """FastGPT sets only the truthy fields it is given (`...(name && { name })`): a `null` name,
        intro, avatar or model leaves the stored value alone (only `parentId: null` means "to the root")."""
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value is not None or key == "parentId"}
        return data


class CollectionCommon(Body):
    datasetId: str = Field(min_length=1)
    parentId: str | None = None
    name: str | None = Field(default=None, max_length=400)
    tags: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
    trainingType: str | None = None


class EmptyCollectionBody(CollectionCommon):
    name: str = Field(min_length=1, max_length=400)
    type: str = "virtual"


class TextCollectionBody(CollectionCommon):
    name: str = Field(min_length=1, max_length=400)
    text: str


class LinkCollectionBody(CollectionCommon):
    link: str = Field(min_length=1)


class CollectionListBody(Body):
    datasetId: str = Field(min_length=1)
    parentId: str | None = None
    searchText: SearchText | None = None
    offset: Offset | None = None
    pageNum: PageNum | None = None
    pageSize: CollectionPageSize = 10
    filterTags: list[str] | None = None
    selectFolder: bool = False


class CollectionUpdateBody(Body):
    id: str = Field(min_length=1)
    parentId: str | None = None
    name: str | None = None
    tags: list[str] | None = None
    forbid: bool | None = None


class CollectionDeleteBody(Body):
    collectionIds: list[str] = Field(default_factory=list)


class IndexItem(Body):
    type: str | None = None
    text: DataText = ""
    dataId: str | int | None = None


class PushItem(Body):
    q: DataText | None = ""
    a: DataText | None = ""
    indexes: list[IndexItem] | None = None
    chunkIndex: int | None = None


class PushDataBody(Body):
    collectionId: str = Field(min_length=1)
    trainingType: str | None = None
    mode: str | None = None
    prompt: str | None = None
    billId: str | None = None
    data: list[PushItem]


class InsertDataBody(Body):
    collectionId: str = Field(min_length=1)
    q: DataText
    a: DataText = ""
    indexes: list[IndexItem] | None = None


class DataListBody(Body):
    collectionId: str = Field(min_length=1)
    searchText: SearchText | None = None
    offset: Offset = 0
    pageSize: DataPageSize = 10


class DataUpdateBody(Body):
    dataId: str = Field(min_length=1)
    q: DataText | None = None
    a: DataText | None = None
    indexes: list[IndexItem] | None = None


class TrainingErrorBody(Body):
    collectionId: str = Field(min_length=1)
    offset: Offset = 0
    pageSize: int = Field(default=10, ge=1, le=MAX_PAGE_SIZE)


class TrainingUpdateBody(Body):
    datasetId: str | None = None
    collectionId: str | None = None
    dataId: str | None = None
    q: str | None = None
    a: str | None = None
    chunkIndex: int | None = None


class TrainingDeleteBody(Body):
    datasetId: str | None = None
    collectionId: str | None = None
    dataId: str = Field(min_length=1)


class RebuildBody(Body):
    datasetId: str = Field(min_length=1)
    vectorModel: str = Field(min_length=1)
