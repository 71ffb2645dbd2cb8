"""`/api/core/app/*`: create, list, detail, update, delete, copy, folders."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from pyfastgpt.api.core.app.responses import AppDetail
from pyfastgpt.api.core.app.schemas import (
    AppCopyBody,
    AppCreateBody,
    AppListBody,
    AppUpdateBody,
    FolderCreateBody,
    app_detail,
    app_list_item,
)
from pyfastgpt.api.deps import Apps, Auth
from pyfastgpt.api.envelope import Envelope, ok
from pyfastgpt.services.apps import AppDraft

router = APIRouter(prefix="/api/core/app", tags=["app"])


@router.post("/create", response_model=Envelope[str])
async def create_app(body: AppCreateBody, auth: Auth, apps: Apps) -> dict[str, Any]:
    draft = AppDraft(
        name=body.name,
        type=body.type,
        parent_id=body.parentId,
        avatar=body.avatar,
        intro=body.intro,
        nodes=body.nodes if body.nodes is not None else body.modules,
        edges=body.edges,
        chat_config=body.chatConfig,
    )
    return ok(await apps.create(auth, draft))


@router.post("/list", response_model=Envelope[list[dict[str, Any]]])
async def list_apps(auth: Auth, apps: Apps, body: AppListBody | None = None) -> dict[str, Any]:
    body = body or AppListBody()
    types = [body.type] if isinstance(body.type, str) else body.type
    rows = await apps.list_apps(auth, parent_id=body.parentId, types=types, search_key=body.searchKey)
    return ok([app_list_item(a, team_wide=auth.is_team_wide) for a in rows])


@router.get("/detail", response_model=Envelope[AppDetail], response_model_exclude_unset=True)
async def app_detail_route(auth: Auth, apps: Apps, appId: str = Query(min_length=1)) -> dict[str, Any]:
    app = await apps.get(auth, appId)
    return ok(app_detail(app, team_wide=auth.is_team_wide))


@router.put("/update", response_model=Envelope[None])
async def update_app(body: AppUpdateBody, auth: Auth, apps: Apps, appId: str = Query(min_length=1)) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    if "modules" in changes and "nodes" not in changes:
        changes["nodes"] = changes.pop("modules")
    await apps.update(auth, appId, changes)
    return ok(None)


@router.delete("/del", response_model=Envelope[list[str]])
async def delete_app(auth: Auth, apps: Apps, appId: str = Query(min_length=1)) -> dict[str, Any]:
    return ok(await apps.delete(auth, appId))


@router.post("/copy", response_model=Envelope[dict[str, str]])
async def copy_app(body: AppCopyBody, auth: Auth, apps: Apps) -> dict[str, Any]:
    return ok({"appId": await apps.copy(auth, body.appId)})


@router.post("/folder/create", response_model=Envelope[str])
async def create_folder(body: FolderCreateBody, auth: Auth, apps: Apps) -> dict[str, Any]:
    return ok(await apps.create_folder(auth, name=body.name, parent_id=body.parentId, intro=body.intro))
