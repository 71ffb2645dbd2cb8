"""``client.chat.interactive``: resume a workflow paused at a ``userSelect`` or form node.

FastGPT resumes an interactive node when the next user message of the same ``chatId`` is the
chosen option's value (userSelect) or a JSON object of form values (userInput).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, overload

from fastgpt_client._async._streaming import AsyncStream
from fastgpt_client._async.resources._resource import AsyncAPIResource
from fastgpt_client._interaction import form_answer, select_answer
from fastgpt_client._types import NOT_GIVEN, NotGivenOr
from fastgpt_client.stream_types import FastGPTInteractiveEvent, StreamEvent
from fastgpt_client.types import ChatCompletion


def _options_of(event: FastGPTInteractiveEvent | None) -> Sequence[Mapping[str, Any]]:
    return event.options if event is not None else []


class AsyncInteractive(AsyncAPIResource):
    """Answer an interactive node and continue the run (streamed with ``detail=True`` by default)."""

    @overload
    async def answer_select(
        self,
        *,
        chat_id: str,
        choice: str,
        event: FastGPTInteractiveEvent | None = ...,
        stream: Literal[True] = ...,
        detail: bool = ...,
        app_id: NotGivenOr[str] = ...,
        variables: NotGivenOr[Mapping[str, Any]] = ...,
    ) -> AsyncStream[StreamEvent]: ...

    @overload
    async def answer_select(
        self,
        *,
        chat_id: str,
        choice: str,
        event: FastGPTInteractiveEvent | None = ...,
        stream: Literal[False],
        detail: bool = ...,
        app_id: NotGivenOr[str] = ...,
        variables: NotGivenOr[Mapping[str, Any]] = ...,
    ) -> ChatCompletion: ...

    async def answer_select(
        self,
        *,
        chat_id: str,
        choice: str,
        event: FastGPTInteractiveEvent | None = None,
        stream: bool = True,
        detail: bool = True,
        app_id: NotGivenOr[str] = NOT_GIVEN,
        variables: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
    ) -> AsyncStream[StreamEvent] | ChatCompletion:
        """Pick ``choice`` (an option value or key; checked against ``event`` when given)."""
        message = select_answer(_options_of(event), choice)
        return await self._client.chat.completions.create(
            messages=[{"role": "user", "content": message}],
            stream=stream,
            chat_id=chat_id,
            detail=detail,
            app_id=app_id,
            variables=variables,
        )

    @overload
    async def submit_form(
        self,
        *,
        chat_id: str,
        values: Mapping[str, Any],
        event: FastGPTInteractiveEvent | None = ...,
        stream: Literal[True] = ...,
        detail: bool = ...,
        app_id: NotGivenOr[str] = ...,
        variables: NotGivenOr[Mapping[str, Any]] = ...,
    ) -> AsyncStream[StreamEvent]: ...

    @overload
    async def submit_form(
        self,
        *,
        chat_id: str,
        values: Mapping[str, Any],
        event: FastGPTInteractiveEvent | None = ...,
        stream: Literal[False],
        detail: bool = ...,
        app_id: NotGivenOr[str] = ...,
        variables: NotGivenOr[Mapping[str, Any]] = ...,
    ) -> ChatCompletion: ...

    async def submit_form(
        self,
        *,
        chat_id: str,
        values: Mapping[str, Any],
        event: FastGPTInteractiveEvent | None = None,
        stream: bool = True,
        detail: bool = True,
        app_id: NotGivenOr[str] = NOT_GIVEN,
        variables: NotGivenOr[Mapping[str, Any]] = NOT_GIVEN,
    ) -> AsyncStream[StreamEvent] | ChatCompletion:
        """Submit form ``values`` (keyed by field key or label; defaults and required checked via ``event``)."""
        message = form_answer(event.form if event is not None else [], values)
        return await self._client.chat.completions.create(
            messages=[{"role": "user", "content": message}],
            stream=stream,
            chat_id=chat_id,
            detail=detail,
            app_id=app_id,
            variables=variables,
        )
