"""Wire shapes of the app and version routes (FastGPT's field names)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pyfastgpt.api.schema_docs import NOT_BLANK
from pyfastgpt.core.clock import iso
from pyfastgpt.core.limits import MAX_NAME_LENGTH, Offset, PageNum, SearchText
from pyfastgpt.services.apps import APP_TYPES, ListedApp
from pyfastgpt.store.models import App, AppVersion

OWNER_PERMISSION: dict[str, Any] = {
    "value": 4294967295,
    "isOwner": True,
    "hasManagePer": True,
    "hasWritePer": True,
    "hasReadPer": True,
}
READ_PERMISSION: dict[str, Any] = {
    "value": 4,
    "isOwner": False,
    "hasManagePer": False,
    "hasWritePer": False,
    "hasReadPer": True,
}


APP_TYPE_ENUM: list[Any] = sorted(APP_TYPES)  # checked by the service (`invalidAppType`)


class AppCreateBody(BaseModel):
    model_config = ConfigDict(extra="allow")
    parentId: str | None = None
    name: str = Field(min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    avatar: str = ""
    intro: str = ""
    type: str = Field(default="advanced", json_schema_extra={"enum": APP_TYPE_ENUM})
    modules: list[dict[str, Any]] | None = None
    nodes: list[dict[str, Any]] | None = None
    edges: list[dict[str, Any]] | None = None
    chatConfig: dict[str, Any] | None = None
    templateId: str | None = None


class AppListBody(BaseModel):
    parentId: str | None = None
    type: str | list[str] | None = None
    searchKey: SearchText | None = None


class AppUpdateBody(BaseModel):
    model_config = ConfigDict(extra="allow")
    parentId: str | None = None
    name: str | None = Field(default=None, max_length=200, json_schema_extra=NOT_BLANK)
    type: str | None = Field(default=None, json_schema_extra={"enum": [*APP_TYPE_ENUM, None]})
    avatar: str | None = None
    intro: str | None = None
    nodes: list[dict[str, Any]] | None = None
    modules: list[dict[str, Any]] | None = None
    edges: list[dict[str, Any]] | None = None
    chatConfig: dict[str, Any] | None = None


class AppCopyBody(BaseModel):
    appId: str


class FolderCreateBody(BaseModel):
    parentId: str | None = None
    name: str = Field(min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    intro: str = ""


class PublishBody(BaseModel):
    nodes: list[dict[str, Any]] = Field(default_factory=list)
    edges: list[dict[str, Any]] = Field(default_factory=list)
    chatConfig: dict[str, Any] = Field(default_factory=dict)
    isPublish: bool = True
    versionName: str = Field(default="", max_length=MAX_NAME_LENGTH)
    autoSave: bool = False


class VersionListBody(BaseModel):
    appId: str
    offset: Offset = 0
    pageNum: PageNum | None = None
    pageSize: int = Field(default=10, ge=1, le=100)
    isPublish: bool | None = None


def permission_for(is_team_wide: bool) -> dict[str, Any]:
    return OWNER_PERMISSION if is_team_wide else READ_PERMISSION


def app_list_item(app: ListedApp, *, team_wide: bool) -> dict[str, Any]:
    return {
        "_id": app.id,
        "parentId": app.parent_id,
        "tmbId": app.tmb_id,
        "name": app.name,
        "avatar": app.avatar,
        "intro": app.intro,
        "type": app.type,
        "updateTime": iso(app.update_time),
        "pluginData": app.plugin_data,
        "permission": permission_for(team_wide),
        "inheritPermission": True,
        "private": False,
        "sourceMember": {"name": "root", "avatar": "", "status": "active"},
        "hasInteractiveNode": app.has_interactive_node,
    }


def app_detail(app: App, *, team_wide: bool) -> dict[str, Any]:
    return {
        "_id": app.id,
        "parentId": app.parent_id,
        "teamId": app.team_id,
        "tmbId": app.tmb_id,
        "name": app.name,
        "type": app.type,
        "version": app.version,
        "avatar": app.avatar,
        "intro": app.intro,
        "updateTime": iso(app.update_time),
        "modules": app.modules,
        "edges": app.edges,
        "chatConfig": app.chat_config,
        "pluginData": app.plugin_data,
        "inheritPermission": True,
        "permission": permission_for(team_wide),
    }


def version_item(version: AppVersion) -> dict[str, Any]:
    return {
        "_id": version.id,
        "appId": version.app_id,
        "versionName": version.version_name,
        "time": iso(version.time),
        "isPublish": version.is_publish,
        "tmbId": version.tmb_id,
        "sourceMember": {"name": "root", "avatar": "", "status": "active"},
    }


def version_detail(version: AppVersion) -> dict[str, Any]:
    return {
        **version_item(version),
        "nodes": version.nodes,
        "edges": version.edges,
        "chatConfig": version.chat_config,
    }
