"""`POST /api/core/chat/chatTest`: run an unsaved workflow from the request body (source `test`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from pyfastgpt.api.chat_request import ChatTestBody, to_chat_request
from pyfastgpt.api.chat_stream import json_response, stream_response
from pyfastgpt.api.deps import Auth, Svc
from pyfastgpt.workflow.validate import validate_graph

router = APIRouter(tags=["chat"])


@router.post("/api/core/chat/chatTest", response_model=None)
async def chat_test(body: ChatTestBody, request: Request, auth: Auth, services: Svc) -> Response:
    validate_graph(body.nodes, body.edges)
    chat_request = to_chat_request(body, request, source="test")
    chat_request.graph_override = {"nodes": body.nodes, "edges": body.edges, "chatConfig": body.chatConfig}
    chat_request.detail = True
    prepared = await services.chat.prepare(auth, chat_request)
    if body.stream:
        return stream_response(services.chat, prepared, api_version=1)
    return await json_response(services.chat, prepared, api_version=1)
