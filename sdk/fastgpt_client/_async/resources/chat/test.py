"""``client.chat.test`` ↔ ``POST /api/core/chat/chatTest``: run an unsaved workflow (the editor's debug chat).

FastGPT path: ``projects/app/src/pages/api/core/chat/chatTest.ts``. The graph travels in the request
(``nodes``, ``edges``, ``chatConfig``); the chat is stored with source ``test`` and node details
are always on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast, overload

from fastgpt_client._async._streaming import AsyncStream
from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._base import build_request_options
from fastgpt_client._types import NOT_GIVEN, NotGivenOr
from fastgpt_client.stream_types import StreamEvent
from fastgpt_client.types import ChatCompletion


class AsyncChatTest(AsyncAPIResource):
    """Debug runs of a workflow that is not saved or published."""

    @overload
    async def run(
        self,
        app_id: str,
        *,
        nodes: Sequence[Mapping[str, Any]],
        edges: Sequence[Mapping[str, Any]],
        messages: Sequence[Mapping[str, Any]],
        stream: Literal[False] = ...,
        chat_id: NotGivenOr[str] = ...,
        chat_config: NotGivenOr[Mapping[str, Any]] = ...,
        variables: NotGivenOr[Mapping[str, Any]] = ...,
    ) -> ChatCompletion: ...

    @overload
    async def run(
        self,
        app_id: str,
        *,
        nodes: Sequence[Mapping[str, Any]],
        edges: Sequence[Mapping[str, Any]],
        messages: Sequence[Mapping[str, Any]],
        stream: Literal[True],
        chat_id: NotGivenOr[str] = ...,
        chat_config: NotGivenOr[Mapping[str, Any]] = ...,
        variables: NotGivenOr[Mapping[str, Any]] = ...,
    ) -> AsyncStream[StreamEvent]: ...

    async def run(
        self,
        app_id: str,
        *,
        nodes: Sequence[Mapping[str, Any]],
        edges: Sequence[Mapping[str, Any]],
        messages: Sequence[Mapping[str, Any]],
        stream: bool = False,
        chat_id: NotGivenOr[str] = NOT_GIVEN,
        chat_config: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
        variables: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
    ) -> ChatCompletion | AsyncStream[StreamEvent]:
        """Run ``nodes``/``edges`` of app ``app_id`` on ``messages`` (the app's saved graph is not used)."""
        body = {
            "appId": app_id,
            "chatId": chat_id,
            "nodes": [dict(node) for node in nodes],
            "edges": [dict(edge) for edge in edges],
            "chatConfig": dict(chat_config) if isinstance(chat_config, Mapping) else NOT_GIVEN,
            "messages": [dict(message) for message in messages],
            "variables": dict(variables) if isinstance(variables, Mapping) else NOT_GIVEN,
            "stream": stream,
            "detail": True,
        }
        options = build_request_options("POST", "/api/core/chat/chatTest", body=body)
        return cast("ChatCompletion | AsyncStream[StreamEvent]", await self._send_run(options, stream=stream))
