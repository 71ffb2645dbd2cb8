"""`/api/support/outLink/*`: share links (publish channels)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from pyfastgpt.api.deps import Auth, Svc
from pyfastgpt.api.envelope import Envelope, ok
from pyfastgpt.core.clock import iso
from pyfastgpt.services.share.links import ShareLinkFields
from pyfastgpt.store.models import ShareLink

router = APIRouter(prefix="/api/support/outLink", tags=["share links"])


class LinkLimit(BaseModel):
    expiredTime: datetime | None = None
    QPM: int | None = Field(default=None, ge=0)
    maxUsagePoints: float | None = None
    hookUrl: str | None = None


class LinkFields(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str | None = Field(default=None, max_length=200)
    showCite: bool | None = None
    responseDetail: bool | None = None  # 4.11 name of showCite
    showRunningStatus: bool | None = None
    showNodeStatus: bool | None = None  # 4.11 name of showRunningStatus
    showFullText: bool | None = None
    canDownloadSource: bool | None = None
    showRawSource: bool | None = None  # 4.11 name of canDownloadSource
    immediateResponse: str | None = None
    defaultResponse: str | None = None
    limit: LinkLimit | None = None
    app: dict[str, Any] | None = None

    def to_fields(self) -> ShareLinkFields:
        limit = self.limit or LinkLimit()
        return ShareLinkFields(
            name=self.name,
            show_cite=self.showCite if self.showCite is not None else self.responseDetail,
            show_running_status=self.showRunningStatus if self.showRunningStatus is not None else self.showNodeStatus,
            show_full_text=self.showFullText,
            can_download_source=self.canDownloadSource if self.canDownloadSource is not None else self.showRawSource,
            immediate_response=self.immediateResponse,
            default_response=self.defaultResponse,
            expired_time=limit.expiredTime,
            qpm=limit.QPM,
            max_usage_points=limit.maxUsagePoints,
            hook_url=limit.hookUrl,
            app_config=self.app,
        )


class LinkCreateBody(LinkFields):
    appId: str = Field(min_length=1)
    type: str = "share"
    name: str | None = Field(default="Share link", max_length=200)


class LinkUpdateBody(LinkFields):
    id: str = Field(alias="_id", min_length=1)


def link_item(link: ShareLink) -> dict[str, Any]:
    return {
        "_id": link.id,
        "shareId": link.share_id,
        "teamId": link.team_id,
        "tmbId": link.tmb_id,
        "appId": link.app_id,
        "type": link.type,
        "name": link.name,
        "usagePoints": link.usage_points,
        "lastTime": iso(link.last_time),
        "showCite": link.show_cite,
        "responseDetail": link.show_cite,
        "showRunningStatus": link.show_running_status,
        "showNodeStatus": link.show_running_status,
        "showFullText": link.show_full_text,
        "canDownloadSource": link.can_download_source,
        "showRawSource": link.can_download_source,
        "immediateResponse": link.immediate_response,
        "defaultResponse": link.default_response,
        "limit": {
            "expiredTime": iso(link.expired_time),
            "QPM": link.qpm,
            "maxUsagePoints": link.max_usage_points,
            "hookUrl": link.hook_url or "",
        },
        "app": link.app_config,
        "createTime": iso(link.create_time),
    }


@router.post("/create", response_model=Envelope[str])
async def create_link(body: LinkCreateBody, auth: Auth, services: Svc) -> dict[str, Any]:
    share_id = await services.share.create(auth, app_id=body.appId, link_type=body.type, fields=body.to_fields())
    return ok(share_id)


@router.get("/list", response_model=Envelope[list[dict[str, Any]]])
async def list_links(
    auth: Auth, services: Svc, appId: str = Query(min_length=1), type: str | None = Query(default=None)
) -> dict[str, Any]:
    return ok([link_item(link) for link in await services.share.list_links(auth, app_id=appId, link_type=type)])


@router.put("/update", response_model=Envelope[None])
async def update_link(body: LinkUpdateBody, auth: Auth, services: Svc) -> dict[str, Any]:
    clear_expiry = (
        body.limit is not None and "expiredTime" in body.limit.model_fields_set and body.limit.expiredTime is None
    )
    await services.share.update(auth, body.id, body.to_fields(), clear_expiry=clear_expiry)
    return ok(None)


@router.delete("/delete", response_model=Envelope[None])
async def delete_link(auth: Auth, services: Svc, id: str = Query(min_length=1)) -> dict[str, Any]:
    await services.share.delete(auth, id)
    return ok(None)
