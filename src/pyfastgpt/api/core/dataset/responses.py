"""Response shapes of the dataset routes, in FastGPT's wire names (they feed `/openapi.json`).

The routes return the service's dicts and FastAPI validates them against these models with
`response_model_exclude_unset=True`, so a field the service leaves out stays out. Three rules keep the
JSON byte-for-byte what the service built:

* Each model declares its fields in the order the service writes them, and only up to the first
  open-ended part (a spread of stored chunk settings, say): pydantic writes the declared fields first
  and the extras after them, in the order they came.
* Open-ended shapes allow extra keys (`extra="allow"`), so nothing the service adds is dropped.
* Types are the exact Python types the service produces (no `float` for an `int`, no `bool` for an
  `int`), so lax validation never converts a value.

`_id` cannot be a pydantic field name, hence `id_` with the alias `_id` (FastAPI dumps by alias).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    """A FastGPT object that may carry more keys than the ones named here."""

    model_config = ConfigDict(extra="allow")


class Permission(Open):
    value: int
    isOwner: bool
    hasManagePer: bool
    hasWritePer: bool
    hasReadPer: bool


class PushResult(Open):
    """`pushData`'s result: how many chunks were queued, and the ones refused."""

    insertLen: int
    overToken: list[Any]
    repeat: list[Any]
    error: list[Any]


class CollectionCreated(Open):
    """`collection/create/{text,link,localFile,apiCollection}`: `{collectionId, results}`."""

    collectionId: str
    results: PushResult


class DatasetDetail(Open):
    """`GET /api/core/dataset/detail` (`vectorModel`/`agentModel` are model objects unless a folder)."""

    id_: str = Field(alias="_id")
    parentId: str | None = None
    teamId: str
    tmbId: str
    type: str
    name: str
    avatar: str | None = None
    intro: str | None = None
    vectorModel: dict[str, Any] | str | None = None
    agentModel: dict[str, Any] | str | None = None
    vlmModel: str | None = None
    chunkSettings: dict[str, Any] | None = None
    websiteConfig: dict[str, Any] | None = None
    apiDatasetServer: dict[str, Any] | None = None
    inheritPermission: bool
    createTime: str | None = None
    updateTime: str | None = None
    permission: Permission


class CollectionBase(Open):
    """A collection's stored fields; its chunk settings, `trainingType` and the list/detail extras
    (`dataAmount`, `trainingAmount`, `hasError`, `permission`, `sourceName`, …) follow as extra keys."""

    id_: str = Field(alias="_id")
    parentId: str | None = None
    teamId: str
    tmbId: str
    datasetId: str
    type: str
    name: str
    tags: list[Any]
    fileId: str | None = None
    rawLink: str | None = None
    rawTextLength: int | None = None
    hashRawText: str | None = None
    metadata: dict[str, Any]
    forbid: bool
    createTime: str | None = None
    updateTime: str | None = None


class CollectionListV2(Open):
    """`POST /api/core/dataset/collection/listV2`."""

    list: list[CollectionBase]
    total: int


class CollectionListLegacy(Open):
    """`POST /api/core/dataset/collection/list` (the paged form of FastGPT ≤ 4.8)."""

    pageNum: int
    pageSize: int
    data: list[CollectionBase]
    total: int


class CollectionDetail(Open):
    """`GET /api/core/dataset/collection/detail`: the collection with its dataset expanded in `datasetId`."""

    id_: str = Field(alias="_id")
    parentId: str | None = None
    teamId: str
    tmbId: str
    datasetId: DatasetDetail
    type: str
    name: str
    tags: list[Any]
    fileId: str | None = None
    rawLink: str | None = None
    rawTextLength: int | None = None
    hashRawText: str | None = None
    metadata: dict[str, Any]
    forbid: bool
    createTime: str | None = None
    updateTime: str | None = None


class DataItem(Open):
    """One chunk in `POST /api/core/dataset/data/v2/list`."""

    id_: str = Field(alias="_id")
    id: str
    teamId: str
    tmbId: str
    datasetId: str
    collectionId: str
    q: str
    a: str | None = None
    chunkIndex: int
    updateTime: str | None = None
    rebuilding: bool


class DataList(Open):
    list: list[DataItem]
    total: int


class DataIndex(Open):
    type: str
    dataId: str | None = None
    text: str


class DataDetail(DataItem):
    """`GET /api/core/dataset/data/detail`."""

    indexes: list[DataIndex]
    history: list[Any]
    sourceName: str | None = None
    sourceId: str | None = None
    isOwner: bool
    canWrite: bool


class TrainingItem(Open):
    """A failed training job in `getTrainingError`."""

    id_: str = Field(alias="_id")
    teamId: str
    tmbId: str
    datasetId: str
    collectionId: str
    billId: str | None = None
    mode: str
    lockTime: str | None = None
    retryCount: int
    q: str
    a: str | None = None
    chunkIndex: int
    indexSize: int | None = None
    weight: float
    dataId: str | None = None
    indexes: list[Any]
    errorMsg: str | None = None
    createTime: str | None = None


class TrainingErrorList(Open):
    list: list[TrainingItem]
    total: int
