"""Response shapes of the app detail and version routes, in FastGPT's wire names (for `/openapi.json`).

The routes return the dicts of `schemas.py`; FastAPI validates them against these models with
`response_model_exclude_unset=True`. Fields are declared in the order `schemas.py` writes them and with
the exact Python types it produces, and the models allow extra keys, so the JSON stays byte-for-byte
what `schemas.py` built. `_id` cannot be a pydantic field name, hence `id_` with the alias `_id`.
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


class SourceMember(Open):
    name: str
    avatar: str
    status: str


class AppDetail(Open):
    """`GET /api/core/app/detail` (`modules` holds the workflow nodes, as FastGPT names them)."""

    id_: str = Field(alias="_id")
    parentId: str | None = None
    teamId: str
    tmbId: str
    name: str
    type: str
    version: str
    avatar: str
    intro: str
    updateTime: str | None = None
    modules: list[Any]
    edges: list[Any]
    chatConfig: dict[str, Any]
    pluginData: dict[str, Any] | None = None
    inheritPermission: bool
    permission: Permission


class VersionItem(Open):
    """One row of `POST /api/core/app/version/list`."""

    id_: str = Field(alias="_id")
    appId: str
    versionName: str
    time: str | None = None
    isPublish: bool
    tmbId: str
    sourceMember: SourceMember


class VersionList(Open):
    list: list[VersionItem]
    total: int


class VersionDetail(VersionItem):
    """`GET /api/core/app/version/detail`."""

    nodes: list[Any]
    edges: list[Any]
    chatConfig: dict[str, Any]


class LatestVersion(Open):
    """`GET /api/core/app/version/latest`: the published workflow."""

    nodes: list[Any]
    edges: list[Any]
    chatConfig: dict[str, Any]
