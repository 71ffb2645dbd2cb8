"""``client.chat.completions`` ↔ ``POST /api/v1/chat/completions`` (and ``/api/v2/...``, ``/api/v2/chat/stop``).

``create(stream=False)`` returns the OpenAI-shaped :class:`~fastgpt_client.types.ChatCompletion`;
``create(stream=True)`` returns an :class:`AsyncStream` of typed FastGPT events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast, overload

from fastgpt_client._async._streaming import AsyncStream
from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._base import build_request_options
from fastgpt_client._exceptions import ValidationError
from fastgpt_client._types import NOT_GIVEN, NotGiven, NotGivenOr
from fastgpt_client.stream_types import StreamEvent
from fastgpt_client.types import ChatCompletion, StopResult

ApiVersion = Literal["v1", "v2"]


def completion_body(
    *,
    messages: NotGivenOr[Sequence[Mapping[str, Any]]],
    stream: bool,
    chat_id: NotGivenOr[str],
    detail: NotGivenOr[bool],
    variables: NotGivenOr[Mapping[str, Any]],
    response_chat_item_id: NotGivenOr[str],
    app_id: NotGivenOr[str],
    custom_uid: NotGivenOr[str],
    metadata: NotGivenOr[Mapping[str, Any]],
    retain_dataset_cite: NotGivenOr[bool],
    out_link_auth_data: NotGivenOr[Mapping[str, Any]],
    model: NotGivenOr[str],
) -> dict[str, Any]:
    """The JSON body of a completion request (wire names; NOT_GIVEN fields are left out later)."""
    return {
        "messages": [dict(message) for message in messages] if not isinstance(messages, NotGiven) else messages,
        "stream": stream,
        "chatId": chat_id,
        "detail": detail,
        "variables": dict(variables) if not isinstance(variables, NotGiven) else variables,
        "responseChatItemId": response_chat_item_id,
        "appId": app_id,
        "customUid": custom_uid,
        "metadata": dict(metadata) if not isinstance(metadata, NotGiven) else metadata,
        "retainDatasetCite": retain_dataset_cite,
        "outLinkAuthData": dict(out_link_auth_data) if not isinstance(out_link_auth_data, NotGiven) else NOT_GIVEN,
        "model": model,
    }


class AsyncCompletions(AsyncAPIResource):
    """Run an app's (published) workflow on a conversation."""

    @overload
    async def create(
        self,
        *,
        messages: NotGivenOr[Sequence[Mapping[str, Any]]] = ...,
        stream: Literal[False] = ...,
        chat_id: NotGivenOr[str] = ...,
        detail: NotGivenOr[bool] = ...,
        variables: NotGivenOr[Mapping[str, Any]] = ...,
        response_chat_item_id: NotGivenOr[str] = ...,
        app_id: NotGivenOr[str] = ...,
        custom_uid: NotGivenOr[str] = ...,
        metadata: NotGivenOr[Mapping[str, Any]] = ...,
        retain_dataset_cite: NotGivenOr[bool] = ...,
        out_link_auth_data: NotGivenOr[Mapping[str, Any]] = ...,
        model: NotGivenOr[str] = ...,
        api_version: ApiVersion = ...,
        extra_body: Mapping[str, Any] | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        timeout: float | NotGiven | None = ...,
    ) -> ChatCompletion: ...

    @overload
    async def create(
        self,
        *,
        messages: NotGivenOr[Sequence[Mapping[str, Any]]] = ...,
        stream: Literal[True],
        chat_id: NotGivenOr[str] = ...,
        detail: NotGivenOr[bool] = ...,
        variables: NotGivenOr[Mapping[str, Any]] = ...,
        response_chat_item_id: NotGivenOr[str] = ...,
        app_id: NotGivenOr[str] = ...,
        custom_uid: NotGivenOr[str] = ...,
        metadata: NotGivenOr[Mapping[str, Any]] = ...,
        retain_dataset_cite: NotGivenOr[bool] = ...,
        out_link_auth_data: NotGivenOr[Mapping[str, Any]] = ...,
        model: NotGivenOr[str] = ...,
        api_version: ApiVersion = ...,
        extra_body: Mapping[str, Any] | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        timeout: float | NotGiven | None = ...,
    ) -> AsyncStream[StreamEvent]: ...

    @overload
    async def create(
        self,
        *,
        messages: NotGivenOr[Sequence[Mapping[str, Any]]] = ...,
        stream: bool,
        chat_id: NotGivenOr[str] = ...,
        detail: NotGivenOr[bool] = ...,
        variables: NotGivenOr[Mapping[str, Any]] = ...,
        response_chat_item_id: NotGivenOr[str] = ...,
        app_id: NotGivenOr[str] = ...,
        custom_uid: NotGivenOr[str] = ...,
        metadata: NotGivenOr[Mapping[str, Any]] = ...,
        retain_dataset_cite: NotGivenOr[bool] = ...,
        out_link_auth_data: NotGivenOr[Mapping[str, Any]] = ...,
        model: NotGivenOr[str] = ...,
        api_version: ApiVersion = ...,
        extra_body: Mapping[str, Any] | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        timeout: float | NotGiven | None = ...,
    ) -> ChatCompletion | AsyncStream[StreamEvent]: ...

    async def create(
        self,
        *,
        messages: NotGivenOr[Sequence[Mapping[str, Any]]] = NOT_GIVEN,
        stream: bool = False,
        chat_id: NotGivenOr[str] = NOT_GIVEN,
        detail: NotGivenOr[bool] = NOT_GIVEN,
        variables: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
        response_chat_item_id: NotGivenOr[str] = NOT_GIVEN,
        app_id: NotGivenOr[str] = NOT_GIVEN,
        custom_uid: NotGivenOr[str] = NOT_GIVEN,
        metadata: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
        retain_dataset_cite: NotGivenOr[bool] = NOT_GIVEN,
        out_link_auth_data: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
        model: NotGivenOr[str] = NOT_GIVEN,
        api_version: ApiVersion = "v1",
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
    ) -> ChatCompletion | AsyncStream[StreamEvent]:
        """Send the conversation and run the app.

        Args:
            messages: OpenAI chat messages (with ``chat_id`` set, send only the new one).
            stream: Return an :class:`AsyncStream` of typed events instead of the final body.
            chat_id: Conversation id; history is loaded and the round stored under it.
            detail: Ask for node statuses / node responses (``event:`` frames when streaming).
            variables: Global variables (or plugin inputs).
            response_chat_item_id: The ``dataId`` to give the answer message.
            app_id: Which app to run when the key is not bound to one.
        """
        body = completion_body(
            messages=messages,
            stream=stream,
            chat_id=chat_id,
            detail=detail,
            variables=variables,
            response_chat_item_id=response_chat_item_id,
            app_id=app_id,
            custom_uid=custom_uid,
            metadata=metadata,
            retain_dataset_cite=retain_dataset_cite,
            out_link_auth_data=out_link_auth_data,
            model=model,
        )
        if isinstance(messages, NotGiven) and isinstance(variables, NotGiven):
            raise ValidationError("pass messages (or variables, for a plugin app)")
        options = build_request_options(
            "POST",
            f"/api/{api_version}/chat/completions",
            body=body,
            extra_body=extra_body,
            extra_headers=extra_headers,
            timeout=timeout,
            authenticated=isinstance(out_link_auth_data, NotGiven),
        )
        return cast("ChatCompletion | AsyncStream[StreamEvent]", await self._send_run(options, stream=stream))

    async def _send_body(self, body: dict[str, Any], *, stream: bool) -> Any:
        """POST a ready-made v1 body (the seed ``create_chat_completion`` builds its own)."""
        return await self._send_run(build_request_options("POST", "/api/v1/chat/completions", body=body), stream=stream)

    async def stop(self, app_id: str, chat_id: str) -> StopResult:
        """Stop a run still going on for ``chat_id`` (``POST /api/v2/chat/stop``).

        A v2 run keeps going after its client disconnects; this ends it. ``stopped`` tells whether
        a run was found.
        """
        return cast(StopResult, await self._post("/api/v2/chat/stop", body={"appId": app_id, "chatId": chat_id}))
