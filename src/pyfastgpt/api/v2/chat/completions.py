"""`POST /api/v2/chat/completions`: per-node `flowNodeResponse`, keeps running after a disconnect (stop it
with `/api/v2/chat/stop`, `stop.py`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from pyfastgpt.api.chat_entry import run_completion
from pyfastgpt.api.chat_request import CompletionsBody
from pyfastgpt.api.deps import OptionalAuth, Svc

router = APIRouter(tags=["chat"])


@router.post("/api/v2/chat/completions", response_model=None)
async def completions(body: CompletionsBody, request: Request, auth: OptionalAuth, services: Svc) -> Response:
    return await run_completion(body, request, auth, services, api_version=2)
