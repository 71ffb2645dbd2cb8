"""Chat file uploads: presigned upload/read URLs, the app's upload rules and the `files` records.

`presign_upload` checks the caller may chat with the app, that the app's `fileSelectConfig`
allows the file's extension and that the chat has not just received more than `maxFiles` files
(FastGPT's 30 s upload frequency limit), records a pending row in `files` and returns the presigned
upload. `receive_upload` (the local backend's upload route) stores the body within the signed
limits and marks the row uploaded.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pyfastgpt.core.clock import utcnow
from pyfastgpt.core.config import Settings
from pyfastgpt.core.errors import InvalidRequest, NotFound, PermissionDenied, TooManyRequests
from pyfastgpt.services.apps import AppService
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.files import policy
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import StoredFile
from pyfastgpt.store.objects import ObjectInfo, ObjectStore, ObjectTooLarge

UPLOAD_EXPIRES_S = 3600
PREVIEW_EXPIRES_S = 7 * 24 * 3600  # the longest an S3 SigV4 URL may live; chat messages keep it
READ_EXPIRES_S = 3600
UPLOAD_WINDOW_S = 30


@dataclass(slots=True)
class ChatUpload:
    """A presigned chat upload, in the fields the SDK reads."""

    url: str
    key: str
    method: str
    max_size: int
    preview_url: str
    fields: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


class ChatFileService:
    def __init__(self, *, settings: Settings, db: Database, apps: AppService, store: ObjectStore) -> None:
        self.settings = settings
        self.db = db
        self.apps = apps
        self.store = store

    @property
    def max_size(self) -> int:
        """`UPLOAD_MAX_BYTES`; for the local backend also within `MAX_BODY_BYTES` (the body limit)."""
        if self.store.backend == "local":
            return min(self.settings.upload_max_bytes, self.settings.max_body_bytes)
        return self.settings.upload_max_bytes

    async def file_select_config(
        self, ctx: AuthContext, app_id: str, requested: dict[str, Any] | None
    ) -> dict[str, Any]:
        """The app's `fileSelectConfig`; a caller who may edit the app may send its own (as FastGPT)."""
        app = await self.apps.get(ctx, app_id)
        if requested is not None and ctx.key_app_id is None:
            return requested
        published = await self.apps.published_of(app)
        config = published.chat_config.get("fileSelectConfig") or (app.chat_config or {}).get("fileSelectConfig")
        return config if isinstance(config, dict) else {}

    async def presign_upload(
        self,
        ctx: AuthContext,
        *,
        app_id: str,
        chat_id: str,
        filename: str,
        file_select_config: dict[str, Any] | None = None,
        base_url: str | None = None,
        uid: str | None = None,
    ) -> ChatUpload:
        """`uid`: whose upload it is (a share-link visitor's uid; default the caller's member id)."""
        uid = uid or ctx.tmb_id
        if not chat_id.strip():
            raise InvalidRequest("chatId is required", key="missingParams")
        config = await self.file_select_config(ctx, app_id, file_select_config)
        allowed = policy.allowed_extensions(config)
        if not allowed:
            raise PermissionDenied("File upload is disabled for this app", key="unAuthFile")
        name = policy.clean_filename(filename)
        policy.check_extension(name, allowed)
        await self._check_frequency(app_id, uid, chat_id, policy.max_files(config))
        key = policy.chat_file_key(app_id, uid, chat_id, name)
        content_type = policy.content_type_for(name)
        upload = await self.store.presign_upload(
            key, max_size=self.max_size, content_type=content_type, expires_s=UPLOAD_EXPIRES_S, base_url=base_url
        )
        preview = await self.store.presign_get(key, expires_s=PREVIEW_EXPIRES_S, base_url=base_url)

        def add(session: Session) -> None:
            session.add(
                StoredFile(
                    team_id=ctx.team_id,
                    tmb_id=ctx.tmb_id,
                    bucket="chat",
                    key=key,
                    name=name,
                    content_type=content_type,
                    size=0,
                    meta={"appId": app_id, "chatId": chat_id, "uid": uid, "status": "pending"},
                )
            )

        await self.db.run_write_session(add)
        return ChatUpload(
            url=upload.url,
            key=key,
            method=upload.method,
            max_size=self.max_size,
            preview_url=preview,
            fields=dict(upload.fields),
            headers=dict(upload.headers),
        )

    async def _check_frequency(self, app_id: str, uid: str, chat_id: str, limit: int) -> None:
        prefix = policy.chat_prefix(app_id, uid, chat_id)
        since = utcnow() - timedelta(seconds=UPLOAD_WINDOW_S)
        async with self.db.read() as session:
            recent = await session.scalar(
                select(func.count())
                .select_from(StoredFile)
                .where(StoredFile.key.startswith(prefix, autoescape=True), StoredFile.create_time >= since)
            )
        if int(recent or 0) >= limit:
            raise TooManyRequests(
                f"At most {limit} files per chat every {UPLOAD_WINDOW_S} s", retry_after=UPLOAD_WINDOW_S
            )

    async def record(self, key: str) -> StoredFile | None:
        async with self.db.read() as session:
            return (await session.execute(select(StoredFile).where(StoredFile.key == key))).scalar_one_or_none()

    async def presign_read(
        self, ctx: AuthContext, *, app_id: str, key: str, base_url: str | None = None, visitor_uid: str | None = None
    ) -> str:
        """A fresh read URL for a chat file of `app_id` that the caller's team uploaded (a share-link
        visitor: that they uploaded, as FastGPT's `isAuthorizedChatFileS3Key`)."""
        await self.apps.get(ctx, app_id)
        row = await self.record(key)
        if row is None or row.bucket != "chat":
            raise NotFound("The file does not exist", key="fileNotFound")
        meta = row.meta or {}
        if row.team_id != ctx.team_id or meta.get("appId") != app_id:
            raise PermissionDenied(key="unAuthChat")
        if visitor_uid is not None and meta.get("uid") != visitor_uid:
            raise PermissionDenied(key="unAuthChat")
        if (row.meta or {}).get("status") != "uploaded":
            await self.refresh(row.key)
        return await self.store.presign_get(key, expires_s=READ_EXPIRES_S, base_url=base_url)

    async def refresh(self, key: str) -> ObjectInfo | None:
        """Mark the record uploaded once the object exists (S3 uploads bypass the app)."""
        info = await self.store.stat(key)
        if info is not None:
            await self._mark_uploaded(key, info.size)
        return info

    async def receive_upload(
        self, key: str, body: AsyncIterable[bytes], *, content_type: str, max_size: int
    ) -> ObjectInfo:
        """Store an upload whose grant the route verified: size and (for images) content checked."""
        try:
            info = await self.store.put(key, _sniffed(body, content_type), content_type, max_bytes=max_size)
        except ObjectTooLarge as error:
            raise InvalidRequest(f"The file is larger than {max_size} bytes", http_status=413) from error
        await self._mark_uploaded(key, info.size)
        return info

    async def _mark_uploaded(self, key: str, size: int) -> None:
        await self.db.run_write_session(lambda session: _set_uploaded(session, key, size))


def _set_uploaded(session: Session, key: str, size: int) -> None:
    row = session.execute(select(StoredFile).where(StoredFile.key == key)).scalar_one_or_none()
    if row is not None:
        row.size = size
        row.meta = {**(row.meta or {}), "status": "uploaded"}


async def _sniffed(body: AsyncIterable[bytes], content_type: str) -> AsyncIterator[bytes]:
    """Pass the body through, refusing an image whose first bytes are not of its claimed type."""
    head = b""
    checked = content_type not in policy.IMAGE_SIGNATURES
    async for chunk in body:
        if checked:
            yield chunk
            continue
        head += chunk
        if len(head) >= 12:
            _check_image(content_type, head)
            checked = True
            yield head
    if not checked:
        _check_image(content_type, head)
        if head:
            yield head


def _check_image(content_type: str, head: bytes) -> None:
    if not policy.image_matches(content_type, head):
        raise InvalidRequest(
            f"The uploaded bytes are not a {content_type} image", key="unsupportedFileType", http_status=415
        )
