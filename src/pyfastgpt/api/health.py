"""`GET /healthz` (the process is up) and `GET /readyz` (it can serve: database, object store and
default models answer — see `api/observability/readiness.py`). Both are open, for probes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from pyfastgpt import __version__
from pyfastgpt.api.deps import Svc
from pyfastgpt.api.observability.readiness import readiness
from pyfastgpt.api.responses import FastJSONResponse

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str
    storage: str


class Readiness(BaseModel):
    status: str  # "ready" (200) or "unready" (503)
    checks: dict[str, dict[str, Any]]  # database, objectStore, models: {"ok": bool, "ms": float, …}


@router.get("/healthz", response_model=Health)
async def healthz(services: Svc) -> dict[str, Any]:
    return {"status": "ok", "version": __version__, "storage": services.settings.storage_mode}


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
async def readyz(services: Svc) -> FastJSONResponse:
    ready, checks = await readiness(services)
    return FastJSONResponse(
        {"status": "ready" if ready else "unready", "checks": checks}, status_code=200 if ready else 503
    )
