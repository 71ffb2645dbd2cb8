"""`/api/core/app/version/*`: publish, list, latest, detail."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from pyfastgpt.api.core.app.responses import LatestVersion, VersionDetail, VersionList
from pyfastgpt.api.core.app.schemas import PublishBody, VersionListBody, version_detail, version_item
from pyfastgpt.api.deps import Apps, Auth
from pyfastgpt.api.envelope import Envelope, ok

router = APIRouter(prefix="/api/core/app/version", tags=["app version"])


@router.post("/publish", response_model=Envelope[None])
async def publish(body: PublishBody, auth: Auth, apps: Apps, appId: str = Query(min_length=1)) -> dict[str, Any]:
    await apps.publish(
        auth,
        appId,
        nodes=body.nodes,
        edges=body.edges,
        chat_config=body.chatConfig,
        is_publish=body.isPublish,
        version_name=body.versionName,
        auto_save=body.autoSave,
    )
    return ok(None)


@router.post("/list", response_model=Envelope[VersionList], response_model_exclude_unset=True)
async def list_versions(body: VersionListBody, auth: Auth, apps: Apps) -> dict[str, Any]:
    offset = (body.pageNum - 1) * body.pageSize if body.pageNum else body.offset
    rows, total = await apps.list_versions(
        auth, body.appId, offset=offset, page_size=body.pageSize, is_publish=body.isPublish
    )
    return ok({"list": [version_item(v) for v in rows], "total": total})


@router.get("/latest", response_model=Envelope[LatestVersion], response_model_exclude_unset=True)
async def latest(auth: Auth, apps: Apps, appId: str = Query(min_length=1)) -> dict[str, Any]:
    published = await apps.published(auth, appId)
    return ok({"nodes": published.nodes, "edges": published.edges, "chatConfig": published.chat_config})


@router.get("/detail", response_model=Envelope[VersionDetail], response_model_exclude_unset=True)
async def detail(
    auth: Auth, apps: Apps, appId: str = Query(min_length=1), versionId: str = Query(min_length=1)
) -> dict[str, Any]:
    return ok(version_detail(await apps.version_detail(auth, appId, versionId)))
