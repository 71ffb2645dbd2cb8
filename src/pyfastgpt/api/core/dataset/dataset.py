"""`/api/core/dataset/{create,list,detail,update,delete}`: datasets and dataset folders."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from pyfastgpt.api.core.dataset.responses import DatasetDetail
from pyfastgpt.api.core.dataset.schemas import DatasetCreateBody, DatasetListBody, DatasetUpdateBody
from pyfastgpt.api.deps import Auth, Svc
from pyfastgpt.api.envelope import Envelope, ok
from pyfastgpt.services.dataset import DatasetCreate, DatasetService

router = APIRouter(prefix="/api/core/dataset", tags=["dataset"])


def service(svc: Any) -> DatasetService:
    return DatasetService(svc.kb)


@router.post("/create", response_model=Envelope[str])
async def create_dataset(body: DatasetCreateBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    spec = DatasetCreate(
        name=body.name, type=body.type, parent_id=body.parentId, intro=body.intro, avatar=body.avatar,
        vector_model=body.vectorModel, agent_model=body.agentModel, vlm_model=body.vlmModel,
        api_server=body.apiDatasetServer or body.apiServer,
    )  # fmt: skip
    return ok(await service(svc).create(auth, spec))


@router.post("/list", response_model=Envelope[list[dict[str, Any]]])
async def list_datasets(auth: Auth, svc: Svc, body: DatasetListBody | None = None) -> dict[str, Any]:
    body = body or DatasetListBody()
    return ok(await service(svc).list(auth, parent_id=body.parentId, type=body.type, search_key=body.searchKey))


@router.get("/detail", response_model=Envelope[DatasetDetail], response_model_exclude_unset=True)
async def dataset_detail(auth: Auth, svc: Svc, id: str = Query(min_length=1)) -> dict[str, Any]:
    return ok(await service(svc).detail(auth, id))


@router.put("/update", response_model=Envelope[None])
async def update_dataset(body: DatasetUpdateBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True, exclude={"id"})
    await service(svc).update(auth, body.id, changes)
    return ok(None)


@router.delete("/delete", response_model=Envelope[None])
async def delete_dataset(auth: Auth, svc: Svc, id: str = Query(min_length=1)) -> dict[str, Any]:
    await service(svc).delete(auth, id)
    return ok(None)
