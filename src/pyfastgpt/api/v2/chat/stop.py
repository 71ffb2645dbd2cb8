"""`POST /api/v2/chat/stop`: tell a v2 round running on this chat to stop."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from pyfastgpt.api.deps import Auth, Svc
from pyfastgpt.api.envelope import Envelope, ok

router = APIRouter(tags=["chat"])


class StopBody(BaseModel):
    appId: str = Field(min_length=1)
    chatId: str = Field(min_length=1)


class StopResult(BaseModel):
    """`{stopped}`: whether a running round of this chat was told to stop."""

    stopped: bool


@router.post("/api/v2/chat/stop", response_model=Envelope[StopResult])
async def stop(body: StopBody, auth: Auth, services: Svc) -> dict[str, Any]:
    await services.apps.get(auth, body.appId)
    return ok({"stopped": services.chat.stop(body.appId, body.chatId)})
