"""`/api/support/mcp/{list,create,update,delete}`: MCP server keys (FastGPT 4.9.6+).

Wire shapes are FastGPT's (`projects/app/src/pages/api/support/mcp/*.ts`): `GET list` answers the
team's keys `[{_id, key, teamId, tmbId, name, apps: [{appId, appName, toolName, description}]}]`,
newest first; `POST create {name, apps}` and `PUT update {id, name, apps}` answer `{}`;
`DELETE delete?id=` answers `{}`. pyfastgpt adds `datasets` beside `apps` (dataset-search tools).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from pyfastgpt.api.deps import Auth
from pyfastgpt.api.envelope import Envelope, ok
from pyfastgpt.api.mcp.app import get_mcp_service
from pyfastgpt.services.mcp import McpApp, McpDataset
from pyfastgpt.services.mcp.keys import McpKeyService

router = APIRouter(prefix="/api/support/mcp", tags=["mcp"])


class McpAppBody(BaseModel):
    appId: str = Field(min_length=1, max_length=64)
    appName: str = Field(default="", max_length=200)
    toolName: str = Field(min_length=1, max_length=128)
    description: str = Field(min_length=1, max_length=10_000)

    def to_service(self) -> McpApp:
        return McpApp(app_id=self.appId, tool_name=self.toolName, description=self.description, app_name=self.appName)


class McpDatasetBody(BaseModel):
    datasetId: str = Field(min_length=1, max_length=64)
    datasetName: str = Field(default="", max_length=200)
    toolName: str = Field(min_length=1, max_length=128)
    description: str = Field(min_length=1, max_length=10_000)
    searchMode: str = "embedding"
    limit: int = Field(default=5000, ge=1, le=20000)
    similarity: float = Field(default=0.0, ge=0, le=1)
    usingReRank: bool = False

    def to_service(self) -> McpDataset:
        return McpDataset(
            dataset_id=self.datasetId,
            tool_name=self.toolName,
            description=self.description,
            dataset_name=self.datasetName,
            search_mode=self.searchMode,
            limit=self.limit,
            similarity=self.similarity,
            using_rerank=self.usingReRank,
        )


def _apps_or_datasets(schema: dict[str, Any]) -> None:
    """The service refuses a key with neither apps nor datasets (`apps is empty`)."""
    schema["anyOf"] = [
        {"required": ["apps"], "properties": {"apps": {"minItems": 1}}},
        {"required": ["datasets"], "properties": {"datasets": {"minItems": 1}}},
    ]


class CreateBody(BaseModel):
    model_config = ConfigDict(json_schema_extra=_apps_or_datasets)
    name: str = Field(min_length=1, max_length=200)
    apps: list[McpAppBody] = Field(default_factory=list, max_length=200)
    datasets: list[McpDatasetBody] = Field(default_factory=list, max_length=200)


class UpdateBody(BaseModel):
    id: str = Field(min_length=1, max_length=64)
    name: str | None = Field(default=None, max_length=200)
    apps: list[McpAppBody] | None = Field(default=None, max_length=200)
    datasets: list[McpDatasetBody] | None = Field(default=None, max_length=200)


class NoData(BaseModel):
    """The empty object (`{}`) FastGPT answers on create, update and delete."""

    model_config = ConfigDict(extra="forbid")


def _keys(request: Request) -> McpKeyService:
    return get_mcp_service(request.app).keys


@router.get("/list", response_model=Envelope[list[dict[str, Any]]])
async def list_mcp(request: Request, auth: Auth) -> dict[str, Any]:
    return ok([doc.to_wire() for doc in await _keys(request).list_keys(auth)])


@router.post("/create", response_model=Envelope[NoData])
async def create_mcp(body: CreateBody, request: Request, auth: Auth) -> dict[str, Any]:
    await _keys(request).create(
        auth,
        name=body.name,
        apps=[a.to_service() for a in body.apps],
        datasets=[d.to_service() for d in body.datasets],
    )
    return ok({})


@router.put("/update", response_model=Envelope[NoData])
async def update_mcp(body: UpdateBody, request: Request, auth: Auth) -> dict[str, Any]:
    await _keys(request).update(
        auth,
        body.id,
        name=body.name,
        apps=None if body.apps is None else [a.to_service() for a in body.apps],
        datasets=None if body.datasets is None else [d.to_service() for d in body.datasets],
    )
    return ok({})


@router.delete("/delete", response_model=Envelope[NoData])
async def delete_mcp(request: Request, auth: Auth, id: str = Query(min_length=1, max_length=64)) -> dict[str, Any]:
    await _keys(request).delete(auth, id)
    return ok({})
