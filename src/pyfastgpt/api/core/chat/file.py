"""Chat file uploads (FastGPT `presignChatFilePostUrl` / `presignChatFileGetUrl`, both the 4.11 and
the 4.16 `file/` paths); the signed URLs they answer are served by `api/system/file.py`.

Presign answers carry every shape the SDK reads: ``url``, ``key``, ``maxSize``, ``previewUrl`` and
either ``headers`` (PUT, the local backend; FastGPT 4.16) or ``fields`` (POST form, S3; 4.11).
Callers: API keys (the app access rules), or share-link visitors through ``outLinkAuthData``
(``shareId`` + ``outLinkUid``, the link's `init` hook).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from pyfastgpt.api.deps import ChatFiles, OptionalAuth, get_services
from pyfastgpt.api.envelope import Envelope, ok
from pyfastgpt.api.share_fields import share_fields
from pyfastgpt.core.errors import AuthError, PermissionDenied
from pyfastgpt.services.auth import AuthContext

router = APIRouter(tags=["chat files"])


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@dataclass(frozen=True, slots=True)
class Caller:
    ctx: AuthContext
    visitor_uid: str | None = None  # set for share-link visitors


async def _caller(request: Request, auth: AuthContext | None, out_link: dict[str, Any] | None, app_id: str) -> Caller:
    """A key holder, or a share-link visitor identified by `outLinkAuthData` (`shareId`, `outLinkUid`)."""
    if auth is not None:
        return Caller(auth)
    share_id, out_link_uid = share_fields(out_link or {})
    if not share_id:
        raise AuthError("Missing credential: send `Authorization: Bearer <key>` or outLinkAuthData")
    visitor = await get_services(request).share.visitor_for_init(share_id, out_link_uid)
    if visitor.link.app_id != app_id:
        raise PermissionDenied("This share link belongs to another app", key="unAuthLink")
    return Caller(visitor.auth_context(), visitor.uid)


class PresignPostBody(BaseModel):
    appId: str = Field(min_length=1, max_length=64)
    chatId: str = Field(min_length=1, max_length=1024)
    filename: str = Field(min_length=1, max_length=1000)
    fileSelectConfig: dict[str, Any] | None = None
    outLinkAuthData: dict[str, Any] | None = None


class PresignedChatFile(BaseModel):
    url: str
    key: str
    method: str
    maxSize: int
    previewUrl: str
    fields: dict[str, str] | None = None
    headers: dict[str, str] | None = None


class PresignGetBody(BaseModel):
    appId: str = Field(min_length=1, max_length=64)
    key: str = Field(min_length=1, max_length=1000)
    mode: str | None = None
    outLinkAuthData: dict[str, Any] | None = None


@router.post(
    "/api/core/chat/presignChatFilePostUrl",
    response_model=Envelope[PresignedChatFile],
    response_model_exclude_none=True,
)
@router.post(
    "/api/core/chat/file/presignChatFilePostUrl",
    response_model=Envelope[PresignedChatFile],
    response_model_exclude_none=True,
)
async def presign_chat_file_post_url(
    body: PresignPostBody, auth: OptionalAuth, files: ChatFiles, request: Request
) -> dict[str, Any]:
    caller = await _caller(request, auth, body.outLinkAuthData, body.appId)
    upload = await files.presign_upload(
        caller.ctx,
        uid=caller.visitor_uid,
        app_id=body.appId,
        chat_id=body.chatId,
        filename=body.filename,
        file_select_config=body.fileSelectConfig,
        base_url=_base_url(request),
    )
    return ok(
        PresignedChatFile(
            url=upload.url,
            key=upload.key,
            method=upload.method,
            maxSize=upload.max_size,
            previewUrl=upload.preview_url,
            fields=upload.fields or None,
            headers=upload.headers or None,
        )
    )


@router.post("/api/core/chat/presignChatFileGetUrl", response_model=Envelope[str])
@router.post("/api/core/chat/file/presignChatFileGetUrl", response_model=Envelope[str])
async def presign_chat_file_get_url(
    body: PresignGetBody, auth: OptionalAuth, files: ChatFiles, request: Request
) -> dict[str, Any]:
    caller = await _caller(request, auth, body.outLinkAuthData, body.appId)
    url = await files.presign_read(
        caller.ctx, app_id=body.appId, key=body.key, base_url=_base_url(request), visitor_uid=caller.visitor_uid
    )
    return ok(url)


@router.get("/api/core/chat/presignChatFileGetUrl", response_model=Envelope[str])
@router.get("/api/core/chat/file/presignChatFileGetUrl", response_model=Envelope[str])
async def presign_chat_file_get_url_query(
    auth: OptionalAuth,
    files: ChatFiles,
    request: Request,
    appId: Annotated[str, Query(min_length=1, max_length=64)],
    key: Annotated[str, Query(min_length=1, max_length=1000)],
    shareId: Annotated[str | None, Query(max_length=200)] = None,
    outLinkUid: Annotated[str | None, Query(max_length=300)] = None,
) -> dict[str, Any]:
    caller = await _caller(request, auth, {"shareId": shareId, "outLinkUid": outLinkUid}, appId)
    url = await files.presign_read(
        caller.ctx, app_id=appId, key=key, base_url=_base_url(request), visitor_uid=caller.visitor_uid
    )
    return ok(url)
