"""`/api/core/dataset/data/*`: pushData, insertData, v2/list, detail, update, delete."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from pyfastgpt.api.core.dataset.responses import DataDetail, DataList, PushResult
from pyfastgpt.api.core.dataset.schemas import DataListBody, DataUpdateBody, InsertDataBody, PushDataBody
from pyfastgpt.api.deps import Auth, Svc
from pyfastgpt.api.envelope import Envelope, ok
from pyfastgpt.services.dataset import DataService

router = APIRouter(prefix="/api/core/dataset/data", tags=["dataset data"])


def service(svc: Any) -> DataService:
    return DataService(svc.kb)


@router.post("/pushData", response_model=Envelope[PushResult], response_model_exclude_unset=True)
async def push_data(body: PushDataBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    mode = body.trainingType or body.mode or "chunk"
    items = [item.model_dump(exclude_none=True) for item in body.data]
    return ok(await service(svc).push(auth, body.collectionId, items, mode=mode, bill_id=body.billId))


@router.post("/insertData", response_model=Envelope[str])
async def insert_data(body: InsertDataBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    indexes = [i.model_dump(exclude_none=True) for i in body.indexes] if body.indexes is not None else None
    return ok(await service(svc).insert(auth, body.collectionId, body.q, body.a, indexes))


@router.post("/v2/list", response_model=Envelope[DataList], response_model_exclude_unset=True)
async def list_data(body: DataListBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    return ok(await service(svc).list(auth, body.model_dump()))


@router.get("/detail", response_model=Envelope[DataDetail], response_model_exclude_unset=True)
async def data_detail(auth: Auth, svc: Svc, id: str = Query(min_length=1)) -> dict[str, Any]:
    return ok(await service(svc).detail(auth, id))


@router.put("/update", response_model=Envelope[None])
async def update_data(body: DataUpdateBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    indexes = [i.model_dump(exclude_none=True) for i in body.indexes] if body.indexes is not None else None
    await service(svc).update(auth, body.dataId, q=body.q, a=body.a, indexes=indexes)
    return ok(None)


@router.delete("/delete", response_model=Envelope[str])
async def delete_data(auth: Auth, svc: Svc, id: str = Query(min_length=1)) -> dict[str, Any]:
    await service(svc).delete(auth, id)
    return ok("success")
