"""`POST /api/v1/chat/completions`: OpenAI-compatible chat; stops the run when the client leaves."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from pyfastgpt.api.chat_request import CompletionsBody, to_chat_request
from pyfastgpt.api.chat_stream import json_response, stream_response
from pyfastgpt.api.deps import Auth, Svc

router = APIRouter(tags=["chat"])


@router.post("/api/v1/chat/completions", response_model=None)
async def completions(body: CompletionsBody, request: Request, auth: Auth, services: Svc) -> Response:
    prepared = await services.chat.prepare(auth, to_chat_request(body, request))
    if prepared.stream:
        return stream_response(services.chat, prepared, api_version=1)
    return await json_response(services.chat, prepared, api_version=1)
