"""`GET /healthz`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from pyfastgpt import __version__
from pyfastgpt.api.deps import Svc

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str
    storage: str


@router.get("/healthz", response_model=Health)
async def healthz(services: Svc) -> dict[str, Any]:
    return {"status": "ok", "version": __version__, "storage": services.settings.storage_mode}
