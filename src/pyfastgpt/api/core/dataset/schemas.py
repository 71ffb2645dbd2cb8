"""Request bodies of the dataset API (FastGPT's camelCase names; unknown keys are ignored)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic.json_schema import SkipJsonSchema

from pyfastgpt.api.schema_docs import NOT_BLANK
from pyfastgpt.core.limits import (
    MAX_PAGE_SIZE,
    CollectionPageSize,
    DataPageSize,
    DataText,
    Offset,
    PageNum,
    SearchText,
)
from pyfastgpt.services.dataset.data import MAX_PUSH
from pyfastgpt.services.dataset.datasets import DATASET_TYPES


class Body(BaseModel):
    model_config = ConfigDict(extra="allow")


# An API dataset's file server (`stored_api_server`): `{apiServer: {baseUrl, authorization, basePath}}`,
# `baseUrl` an http(s) URL. 4.9's bare `apiServer` field is still read but not documented.
API_SERVER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["apiServer"],
    "properties": {
        "apiServer": {
            "type": "object",
            "required": ["baseUrl"],
            "properties": {
                "baseUrl": {"type": "string", "pattern": r"^\s*https?://"},
                "authorization": {"type": ["string", "null"]},
                "basePath": {"type": ["string", "null"]},
            },
        }
    },
}
# On update a server is read whenever one is sent (`{}` and `null` leave it alone).
ApiServerUpdate = Annotated[
    dict[str, Any] | None,
    WithJsonSchema({"anyOf": [API_SERVER_SCHEMA, {"type": "object", "maxProperties": 0}, {"type": "null"}]}),
]
LegacyApiServer = SkipJsonSchema[dict[str, Any] | None]


def _api_dataset_needs_a_server(schema: dict[str, Any]) -> None:
    """Only an `apiDataset` reads `apiDatasetServer`, and it must have one."""
    schema["if"] = {"required": ["type"], "properties": {"type": {"const": "apiDataset"}}}
    schema["then"] = {"required": ["apiDatasetServer"], "properties": {"apiDatasetServer": API_SERVER_SCHEMA}}


DATASET_TYPE_ENUM: dict[str, Any] = {"enum": sorted(DATASET_TYPES)}  # checked by the service


class DatasetCreateBody(Body):
    name: str = Field(min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    type: str = Field(default="dataset", json_schema_extra=DATASET_TYPE_ENUM)
    parentId: str | None = None
    intro: str = ""
    avatar: str = ""
    vectorModel: str | None = None
    agentModel: str | None = None
    vlmModel: str | None = None
    apiDatasetServer: dict[str, Any] | None = None  # {apiServer: {baseUrl, authorization, basePath}}
    apiServer: LegacyApiServer = None  # 4.9's bare form

    model_config = ConfigDict(extra="allow", json_schema_extra=_api_dataset_needs_a_server)


class DatasetListBody(Body):
    parentId: str | None = None
    type: str | None = None
    searchKey: SearchText | None = None


class DatasetUpdateBody(Body):
    id: str = Field(min_length=1)
    parentId: str | None = None
    name: str | None = Field(default=None, max_length=200, json_schema_extra=NOT_BLANK)
    intro: str | None = None
    avatar: str | None = None
    agentModel: str | None = None
    vlmModel: str | None = None
    chunkSettings: dict[str, Any] | None = None
    websiteConfig: dict[str, Any] | None = None
    apiDatasetServer: ApiServerUpdate = None
    apiServer: LegacyApiServer = None

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
    trainingType: str | None = Field(default=None, json_schema_extra={"enum": ["chunk", "qa", "auto", "", None]})


class EmptyCollectionBody(CollectionCommon):
    name: str = Field(min_length=1, max_length=400)
    type: str = Field(default="virtual", json_schema_extra={"enum": ["virtual", "folder"]})


class TextCollectionBody(CollectionCommon):
    name: str = Field(min_length=1, max_length=400)
    text: str = Field(json_schema_extra=NOT_BLANK)


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
    name: str | None = Field(default=None, json_schema_extra=NOT_BLANK)
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


PUSH_MODES: dict[str, Any] = {"enum": ["chunk", "qa", "", None]}  # `trainingType` wins over 4.8's `mode`


class PushDataBody(Body):
    collectionId: str = Field(min_length=1)
    trainingType: str | None = Field(default=None, json_schema_extra=PUSH_MODES)
    mode: str | None = Field(default=None, json_schema_extra=PUSH_MODES)
    prompt: str | None = None
    billId: str | None = None
    data: list[PushItem] = Field(json_schema_extra={"maxItems": MAX_PUSH})  # checked by the service


class InsertDataBody(Body):
    collectionId: str = Field(min_length=1)
    q: DataText = Field(json_schema_extra=NOT_BLANK)
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
