"""`/api/core/dataset/training/*`: queue size, failed jobs, retry/edit, delete, rebuild embeddings."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from pyfastgpt.api.core.dataset.responses import TrainingErrorList
from pyfastgpt.api.core.dataset.schemas import RebuildBody, TrainingDeleteBody, TrainingErrorBody, TrainingUpdateBody
from pyfastgpt.api.deps import Auth, Svc
from pyfastgpt.api.envelope import Envelope, ok
from pyfastgpt.services.dataset import TrainingService

router = APIRouter(prefix="/api/core/dataset/training", tags=["dataset training"])


def service(svc: Any) -> TrainingService:
    return TrainingService(svc.kb)


@router.get("/getDatasetTrainingQueue", response_model=Envelope[dict[str, int]])
async def training_queue(auth: Auth, svc: Svc, datasetId: str = Query(min_length=1)) -> dict[str, Any]:
    return ok(await service(svc).queue(auth, datasetId))


@router.post("/getTrainingError", response_model=Envelope[TrainingErrorList], response_model_exclude_unset=True)
async def training_errors(body: TrainingErrorBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    return ok(await service(svc).errors(auth, body.model_dump()))


@router.put("/updateTrainingData", response_model=Envelope[None])
async def update_training_data(body: TrainingUpdateBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    await service(svc).retry(auth, body.model_dump(exclude_none=True))
    return ok(None)


@router.delete("/deleteTrainingData", response_model=Envelope[None])
async def delete_training_data(body: TrainingDeleteBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    await service(svc).delete(auth, body.model_dump())
    return ok(None)


@router.post("/rebuildEmbedding", response_model=Envelope[None])
async def rebuild_embedding(body: RebuildBody, auth: Auth, svc: Svc) -> dict[str, Any]:
    await service(svc).rebuild(auth, body.datasetId, body.vectorModel)
    return ok(None)
