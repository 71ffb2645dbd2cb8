"""`/api/core/dataset/collection/create/{apiCollection,apiCollectionV2}`: import files of an API dataset."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from pyfastgpt.api.core.dataset.collection import draft_of, service
from pyfastgpt.api.core.dataset.responses import CollectionCreated
from pyfastgpt.api.core.dataset.schemas import Body, CollectionCommon
from pyfastgpt.api.deps import Auth, Svc
from pyfastgpt.api.envelope import Envelope, ok
from pyfastgpt.rag.api_dataset import ApiFile
from pyfastgpt.services.dataset.api_collections import ApiCollectionService

router = APIRouter(prefix="/api/core/dataset/collection/create", tags=["dataset collection"])


class ApiCollectionBody(CollectionCommon):
    apiFileId: str = Field(min_length=1, max_length=200)
    customPdfParse: bool | None = None


class ApiFileItem(Body):
    id: str = Field(min_length=1, max_length=200)
    name: str = ""
    type: str = "file"
    parentId: str | None = None
    hasChild: bool | None = None


class ApiCollectionV2Body(CollectionCommon):
    apiFiles: list[ApiFileItem] = Field(min_length=1, max_length=1000)
    customPdfParse: bool | None = None


def api_service(svc: Any) -> ApiCollectionService:
    return ApiCollectionService(service(svc))


@router.post("/apiCollection", response_model=Envelope[CollectionCreated], response_model_exclude_unset=True)
async def create_api_collection(body: ApiCollectionBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    draft = draft_of(body, name=body.name or "", type="apiFile")
    return ok(await api_service(svc).create(auth, draft, body.apiFileId))


@router.post("/apiCollectionV2", response_model=Envelope[None])
async def create_api_collection_v2(body: ApiCollectionV2Body, auth: Auth, svc: Svc) -> dict[str, Any]:
    files = [
        ApiFile(
            id=item.id, name=item.name or item.id, type=item.type, parent_id=item.parentId,
            has_child=item.hasChild if item.hasChild is not None else item.type == "folder",
        )
        for item in body.apiFiles
    ]  # fmt: skip
    draft = draft_of(body, name="", type="apiFile")
    draft.params = body.model_dump(exclude_none=True, exclude={"apiFiles"})
    await api_service(svc).create_many(auth, draft, files)
    return ok(None)
