"""`/api/core/dataset/collection/*`: create (empty, text, link, local file), list, detail, update, delete."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from pyfastgpt.api.core.dataset.responses import (
    CollectionCreated,
    CollectionDetail,
    CollectionListLegacy,
    CollectionListV2,
)
from pyfastgpt.api.core.dataset.schemas import (
    CollectionCommon,
    CollectionDeleteBody,
    CollectionListBody,
    CollectionUpdateBody,
    EmptyCollectionBody,
    LinkCollectionBody,
    TextCollectionBody,
)
from pyfastgpt.api.deps import Auth, Svc
from pyfastgpt.api.envelope import Envelope, ok
from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.rag.readers import FileTooLarge
from pyfastgpt.services.dataset import CollectionService
from pyfastgpt.services.dataset.ingest import CollectionDraft

router = APIRouter(prefix="/api/core/dataset/collection", tags=["dataset collection"])
READ_STEP = 1024 * 1024
# The multipart form of `create/localFile`: the file, and the collection settings as JSON text.
LOCAL_FILE_FORM: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "data"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "data": CollectionCommon.model_json_schema(),
                    },
                },
                "encoding": {"data": {"contentType": "application/json"}},
            }
        },
    }
}
# FastGPT 4.9+ deletes `{collectionIds}` from the body; 4.8's `?id=` is still read, but not documented:
# one of the two is required, which OpenAPI cannot say across a query and a body.
DELETE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["collectionIds"],
                    "properties": {"collectionIds": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
                }
            }
        },
    }
}


def service(svc: Any) -> CollectionService:
    return CollectionService(svc.kb)


def draft_of(body: CollectionCommon, *, name: str, type: str) -> CollectionDraft:
    return CollectionDraft(
        dataset_id=body.datasetId, name=name, type=type, parent_id=body.parentId, tags=list(body.tags),
        metadata=dict(body.metadata), params=body.model_dump(exclude_none=True),
    )  # fmt: skip


@router.post("/create", response_model=Envelope[str])
async def create_collection(body: EmptyCollectionBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    return ok(await service(svc).create_empty(auth, draft_of(body, name=body.name, type=body.type)))


@router.post("/create/text", response_model=Envelope[CollectionCreated], response_model_exclude_unset=True)
async def create_text(body: TextCollectionBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    return ok(await service(svc).create_from_text(auth, draft_of(body, name=body.name, type="virtual"), body.text))


@router.post("/create/link", response_model=Envelope[CollectionCreated], response_model_exclude_unset=True)
async def create_link(body: LinkCollectionBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    draft = draft_of(body, name=body.name or "", type="link")
    return ok(await service(svc).create_from_link(auth, draft, body.link))


async def read_capped(upload: UploadFile, limit: int) -> bytes:
    parts, size = [], 0
    while chunk := await upload.read(READ_STEP):
        size += len(chunk)
        if size > limit:
            raise FileTooLarge(f"The file is larger than {limit} bytes", name=upload.filename or "")
        parts.append(chunk)
    return b"".join(parts)


@router.post(
    "/create/localFile",
    response_model=Envelope[CollectionCreated],
    response_model_exclude_unset=True,
    openapi_extra=LOCAL_FILE_FORM,
)
async def create_local_file(request: Request, auth: Auth, svc: Svc) -> dict[str, Any]:
    async with request.form() as form:
        upload, raw = form.get("file"), form.get("data")
        if not isinstance(upload, UploadFile):
            raise InvalidRequest("A multipart `file` field is required", key="missingParams")
        try:
            params = json.loads(raw) if isinstance(raw, str) and raw else {}
            body = CollectionCommon.model_validate(params)
        except (ValueError, ValidationError) as error:
            raise InvalidRequest(f"Invalid `data` field: {error}", key="invalidParams") from error
        data = await read_capped(upload, svc.settings.upload_max_bytes)
        name = body.name or upload.filename or "file"
    return ok(await service(svc).create_from_file(auth, draft_of(body, name=name, type="file"), data))


@router.post("/listV2", response_model=Envelope[CollectionListV2], response_model_exclude_unset=True)
async def list_v2(body: CollectionListBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    return ok(await service(svc).list_v2(auth, body.model_dump()))


@router.post("/list", response_model=Envelope[CollectionListLegacy], response_model_exclude_unset=True)
async def list_legacy(body: CollectionListBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    return ok(await service(svc).list_legacy(auth, body.model_dump()))


@router.get("/detail", response_model=Envelope[CollectionDetail], response_model_exclude_unset=True)
async def detail(auth: Auth, svc: Svc, id: str) -> dict[str, Any]:
    return ok(await service(svc).detail(auth, id))


@router.post("/update", response_model=Envelope[None])
async def update_collection(body: CollectionUpdateBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    await service(svc).update(auth, body.id, body.model_dump(exclude_unset=True, exclude={"id"}))
    return ok(None)


@router.delete("/delete", response_model=Envelope[None], openapi_extra=DELETE_BODY)
async def delete_collection(
    request: Request, auth: Auth, svc: Svc, id: str | None = Query(default=None, include_in_schema=False)
) -> dict[str, Any]:
    ids: list[str] = [id] if id else []
    raw = await request.body()
    if raw:
        try:
            ids += [i for i in CollectionDeleteBody.model_validate_json(raw).collectionIds if i not in ids]
        except ValidationError as error:
            raise InvalidRequest(f"Invalid body: {error}", key="invalidParams") from error
    await service(svc).delete(auth, ids)
    return ok(None)
