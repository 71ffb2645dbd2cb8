"""Request bodies of the dataset API (FastGPT's camelCase names; unknown keys are ignored)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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
    searchKey: str | None = None


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
    searchText: str | None = None
    offset: int | None = Field(default=None, ge=0)
    pageNum: int | None = Field(default=None, ge=1)
    pageSize: int = Field(default=10, ge=1)
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
    text: str = ""
    dataId: str | int | None = None


class PushItem(Body):
    q: str | None = ""
    a: str | None = ""
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
    q: str
    a: str = ""
    indexes: list[IndexItem] | None = None


class DataListBody(Body):
    collectionId: str = Field(min_length=1)
    searchText: str | None = None
    offset: int = Field(default=0, ge=0)
    pageSize: int = Field(default=10, ge=1)


class DataUpdateBody(Body):
    dataId: str = Field(min_length=1)
    q: str | None = None
    a: str | None = None
    indexes: list[IndexItem] | None = None


class TrainingErrorBody(Body):
    collectionId: str = Field(min_length=1)
    offset: int = Field(default=0, ge=0)
    pageSize: int = Field(default=10, ge=1)


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
