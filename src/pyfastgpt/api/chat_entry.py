"""Shared entry of both completions versions: who is calling (key or share link), then run the round."""

from __future__ import annotations

import json

from fastapi import Request
from starlette.responses import Response

from pyfastgpt.api.chat_request import CompletionsBody, share_credentials, to_chat_request
from pyfastgpt.api.chat_stream import json_response, stream_response
from pyfastgpt.core.chat_text import value_text
from pyfastgpt.core.errors import AuthError, PermissionDenied
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.chat.messages import messages_to_items
from pyfastgpt.services.chat.resume import REQUEST_HEADER, StreamMirror, StreamOwner, resume_requested
from pyfastgpt.services.chat.round import PreparedRound
from pyfastgpt.services.container import Services


def _question_text(body: CompletionsBody) -> str:
    items = messages_to_items(body.messages) if body.messages else []
    if items:
        return value_text(items[-1]["value"])
    return json.dumps(body.variables or {}, ensure_ascii=False)


async def run_completion(
    body: CompletionsBody, request: Request, auth: AuthContext | None, services: Services, *, api_version: int
) -> Response:
    chat_request = to_chat_request(body, request)
    share_id, out_link_uid = share_credentials(body)
    show_running_status = True
    if share_id:
        visitor = await services.share.visitor_for_chat(
            share_id, out_link_uid, question=_question_text(body), ip=chat_request.origin_ip
        )
        if body.appId and body.appId != visitor.link.app_id:
            raise PermissionDenied("This share link belongs to another app", key="unAuthLink")
        chat_request.app_id = visitor.link.app_id
        chat_request.share = visitor
        show_running_status = visitor.link.show_running_status
        ctx = visitor.auth_context()
    elif auth is None:
        raise AuthError("Missing credential: send `Authorization: Bearer <key>` or share-link fields")
    else:
        ctx = auth
    prepared = await services.chat.prepare(ctx, chat_request)
    if prepared.stream:
        mirror = None
        if api_version == 2 and resume_requested(request.headers.get(REQUEST_HEADER)):
            mirror = _mirror(services, prepared)
        return stream_response(
            services.chat, prepared, api_version=api_version, show_running_status=show_running_status, mirror=mirror
        )
    return await json_response(services.chat, prepared, api_version=api_version)


def _mirror(services: Services, prepared: PreparedRound) -> StreamMirror | None:
    """FastGPT `getStreamResumeMirror`: a recorded chat's v2 stream, mirrored for `/api/core/chat/resume`."""
    if prepared.record is None:  # NO_RECORD_HISTORIES: nothing to reattach to
        return None
    scope = prepared.record.scope
    owner = StreamOwner(scope.team_id, scope.tmb_id, scope.share_id, scope.out_link_uid)
    return services.resume.hub.mirror(scope.app_id, prepared.chat_id, owner)
