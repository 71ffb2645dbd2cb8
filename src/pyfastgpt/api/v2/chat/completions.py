"""`POST /api/v2/chat/completions` (per-node `flowNodeResponse`, keeps running after a disconnect)
and `POST /api/v2/chat/stop`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from pyfastgpt.api.chat_entry import run_completion
from pyfastgpt.api.chat_request import CompletionsBody
from pyfastgpt.api.deps import Auth, OptionalAuth, Svc
from pyfastgpt.api.envelope import Envelope, ok

router = APIRouter(tags=["chat"])


class StopBody(BaseModel):
    appId: str = Field(min_length=1)
    chatId: str = Field(min_length=1)


class StopResult(BaseModel):
    """`{stopped}`: whether a running round of this chat was told to stop."""

    stopped: bool


@router.post("/api/v2/chat/completions", response_model=None)
async def completions(body: CompletionsBody, request: Request, auth: OptionalAuth, services: Svc) -> Response:
    return await run_completion(body, request, auth, services, api_version=2)


@router.post("/api/v2/chat/stop", response_model=Envelope[StopResult])
async def stop(body: StopBody, auth: Auth, services: Svc) -> dict[str, Any]:
    await services.apps.get(auth, body.appId)
    return ok({"stopped": services.chat.stop(body.appId, body.chatId)})
