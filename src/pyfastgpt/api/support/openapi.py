"""`/api/support/openapi/*`: API key management."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from pyfastgpt.api.deps import Auth, Keys
from pyfastgpt.api.envelope import Envelope, ok
from pyfastgpt.core.clock import iso
from pyfastgpt.services.keys import KeyLimit
from pyfastgpt.store.models import ApiKey

router = APIRouter(prefix="/api/support/openapi", tags=["api keys"])


class LimitBody(BaseModel):
    expiredTime: datetime | None = None
    maxUsagePoints: float = -1


class KeyCreateBody(BaseModel):
    appId: str | None = None
    name: str = Field(default="Api Key", max_length=200)
    limit: LimitBody | None = None


class KeyUpdateBody(BaseModel):
    id: str = Field(alias="_id", min_length=1)
    name: str | None = Field(default=None, max_length=200)
    limit: LimitBody | None = None


def _limit(body: LimitBody | None) -> KeyLimit:
    if body is None:
        return KeyLimit()
    return KeyLimit(expired_time=body.expiredTime, max_usage_points=body.maxUsagePoints)


def key_item(key: ApiKey) -> dict[str, Any]:
    return {
        "_id": key.id,
        "name": key.name,
        "apiKey": key.key_masked,
        "createTime": iso(key.create_time),
        "lastUsedTime": iso(key.last_used_time),
        "appId": key.app_id,
        "teamId": key.team_id,
        "tmbId": key.tmb_id,
        "usagePoints": key.usage_points,
        "limit": {"expiredTime": iso(key.expired_time), "maxUsagePoints": key.max_usage_points},
    }


@router.post("/create", response_model=Envelope[str])
async def create_key(body: KeyCreateBody, auth: Auth, keys: Keys) -> dict[str, Any]:
    return ok(await keys.create(auth, name=body.name, app_id=body.appId, limit=_limit(body.limit)))


@router.get("/list", response_model=Envelope[list[dict[str, Any]]])
async def list_keys(auth: Auth, keys: Keys, appId: str | None = Query(default=None)) -> dict[str, Any]:
    return ok([key_item(k) for k in await keys.list_keys(auth, app_id=appId)])


@router.put("/update", response_model=Envelope[None])
async def update_key(body: KeyUpdateBody, auth: Auth, keys: Keys) -> dict[str, Any]:
    limit = _limit(body.limit) if body.limit is not None else None
    await keys.update(auth, body.id, name=body.name, limit=limit)
    return ok(None)


@router.delete("/delete", response_model=Envelope[None])
async def delete_key(auth: Auth, keys: Keys, id: str = Query(min_length=1)) -> dict[str, Any]:
    await keys.delete(auth, id)
    return ok(None)
