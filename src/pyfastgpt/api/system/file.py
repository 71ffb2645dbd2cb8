"""`/api/system/file/*`: the local storage backend's own signed upload (PUT body or S3-style POST form)
and read URLs, answered by the chat-file presign routes (`api/core/chat/file.py`). No credential: the
HMAC signature is the grant.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from fastapi.responses import StreamingResponse
from starlette.datastructures import UploadFile

from pyfastgpt.api.deps import ChatFiles
from pyfastgpt.api.envelope import ok
from pyfastgpt.core.errors import InvalidRequest, NotFound, PermissionDenied
from pyfastgpt.services.files import ChatFileService
from pyfastgpt.store.objects import InvalidKey, LocalObjectStore, ObjectMissing, SignatureInvalid, key_segments
from pyfastgpt.store.objects.base import CHUNK_SIZE, MAX_KEY_LENGTH

router = APIRouter(tags=["chat files"])

# `key_segments`: relative, no backslash or control character, no empty, `.` or `..` segment.
_NAME = r"[^/\\\x00-\x1f\x7f]"
_NOT_DOT = r"[^/\\\x00-\x1f\x7f.]"
_SEGMENT = rf"(?:{_NOT_DOT}{_NAME}*|\.{_NOT_DOT}{_NAME}*|\.\.{_NAME}+)"
KEY_SCHEMA: dict[str, Any] = {"pattern": rf"^{_SEGMENT}(?:/{_SEGMENT})*$", "maxLength": MAX_KEY_LENGTH}
ObjectKey = Annotated[str, Path(json_schema_extra=KEY_SCHEMA)]
_SIGNED_FORM = ("key", "e", "m", "Content-Type", "s")
UPLOAD_FORM: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "maxProperties": 11,  # one file and at most 10 fields (`request.form` limits)
                    # other fields are single text parts: a repeated part is one field more each time
                    "additionalProperties": {"type": "string"},
                    "required": [*_SIGNED_FORM, "file"],
                    "properties": {
                        **{name: {"type": "string"} for name in _SIGNED_FORM},
                        "key": {"type": "string", **KEY_SCHEMA},
                        "file": {"type": "string", "format": "binary"},
                    },
                }
            }
        },
    }
}
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
}


def _local(files: ChatFileService) -> LocalObjectStore:
    if not isinstance(files.store, LocalObjectStore):
        raise NotFound("Files are served by the object storage, not by this server", key="fileNotFound")
    return files.store


def _checked_key(key: str) -> str:
    try:
        key_segments(key)
    except InvalidKey as error:
        raise InvalidRequest(str(error), key="invalidParams") from error
    return key


def _grant(store: LocalObjectStore, key: str, expires: str, max_size: str, content_type: str, signature: str) -> int:
    try:
        return store.verify_upload(key, expires, max_size, content_type, signature)
    except SignatureInvalid as error:
        raise PermissionDenied(str(error), key="unAuthFile") from error


def _same_type(sent: str | None, signed: str) -> None:
    if (sent or "").split(";", 1)[0].strip().lower() != signed.split(";", 1)[0].strip().lower():
        raise InvalidRequest(f"Content-Type must be {signed!r}, as signed", key="unsupportedFileType", http_status=415)


def _declared_size(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise InvalidRequest(f"The file is larger than {limit} bytes", http_status=413)


@router.put("/api/system/file/upload/{key:path}", openapi_extra=UPLOAD_BODY)
async def upload_put(
    key: ObjectKey,
    request: Request,
    files: ChatFiles,
    e: str = "",
    m: str = "",
    t: str = "",
    s: str = "",
) -> dict[str, Any]:
    store = _local(files)
    limit = _grant(store, _checked_key(key), e, m, t, s)
    _same_type(request.headers.get("content-type"), t)
    _declared_size(request, limit)
    info = await files.receive_upload(key, request.stream(), content_type=t, max_size=limit)
    return ok({"key": info.key, "size": info.size})


async def _upload_chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK_SIZE):
        yield chunk


@router.post("/api/system/file/upload", openapi_extra=UPLOAD_FORM)
async def upload_post(request: Request, files: ChatFiles) -> dict[str, Any]:
    """An S3-style POST form: signed fields first, then the `file` part."""
    store = _local(files)
    form = await request.form(max_files=1, max_fields=10)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidRequest("The form has no `file` part", key="missingParams")
        values = {name: form.get(name) for name in ("key", "e", "m", "Content-Type", "s")}
        if not all(isinstance(value, str) for value in values.values()):
            raise InvalidRequest("The form lacks the signed fields", key="missingParams")
        key, expires, max_size = str(values["key"]), str(values["e"]), str(values["m"])
        content_type, signature = str(values["Content-Type"]), str(values["s"])
        limit = _grant(store, _checked_key(key), expires, max_size, content_type, signature)
        info = await files.receive_upload(key, _upload_chunks(upload), content_type=content_type, max_size=limit)
    finally:
        await form.close()
    return ok({"key": info.key, "size": info.size})


@router.get("/api/system/file/read/{key:path}")
async def read_file(key: ObjectKey, files: ChatFiles, e: str = "", s: str = "") -> StreamingResponse:
    store = _local(files)
    try:
        store.verify_get(_checked_key(key), e, s)
    except SignatureInvalid as error:
        raise PermissionDenied(str(error), key="unAuthFile") from error
    info = await store.stat(key)
    if info is None:
        raise NotFound("The file does not exist", key="fileNotFound")
    name = key.rsplit("/", 1)[-1]

    async def body() -> AsyncIterator[bytes]:
        try:
            async for chunk in store.get(key):
                yield chunk
        except ObjectMissing:
            return

    headers = {
        "Content-Length": str(info.size),
        "Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}",
        "Content-Security-Policy": "sandbox",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=3600",
    }
    return StreamingResponse(body(), media_type=info.content_type, headers=headers)
