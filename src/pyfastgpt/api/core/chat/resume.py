"""`GET /api/core/chat/resume`: reattach to a running v2 stream (FastGPT 4.14.11 stream resume).

Query: `appId`, `chatId` (+ `shareId`/`outLinkUid` or `outLinkAuthData` for share-link visitors).
A finished chat answers its latest records (JSON envelope, or SSE `resumeCompleted` + `done` when
the client accepts `text/event-stream`); a generating chat needs `Accept: text/event-stream` (406
otherwise) and is replayed with `resumePhase: catchup` → the chunks sent so far → `resumePhase: live`.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from starlette.responses import Response, StreamingResponse

from pyfastgpt.api.deps import Caller, Svc
from pyfastgpt.api.envelope import ok
from pyfastgpt.api.responses import FastJSONResponse
from pyfastgpt.api.schema_docs import app_id_query
from pyfastgpt.api.sse import SSE_HEADERS, SSE_MEDIA_TYPE

router = APIRouter(tags=["chat"])

GENERATING_NEEDS_SSE = "This chat is still generating. Retry /api/core/chat/resume with Accept: text/event-stream."


def _accepts_sse(request: Request) -> bool:
    return any("text/event-stream" in value for value in request.headers.getlist("accept"))


@router.get("/api/core/chat/resume", response_model=None, openapi_extra=app_id_query())
async def resume(
    request: Request,
    auth: Caller,
    services: Svc,
    chatId: str = Query(min_length=1, max_length=1024),
    appId: str = Query(default="", include_in_schema=False),
) -> Response:
    target = await services.resume.locate(auth, appId, chatId)
    sse = _accepts_sse(request)
    if not target.generating:
        if not sse:
            return FastJSONResponse(ok(await services.resume.completed(target)))
        body = services.resume.completed_events(target)
    elif not sse:
        envelope = {"code": 406, "statusText": "error", "message": GENERATING_NEEDS_SSE, "data": None}
        return FastJSONResponse(envelope, status_code=406)
    else:
        body = services.resume.events(target)
    return StreamingResponse(body, media_type=SSE_MEDIA_TYPE, headers=SSE_HEADERS)
