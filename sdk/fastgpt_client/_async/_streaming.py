"""``AsyncStream``: an async iterator of typed SSE events that owns (and closes) its response."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable
from types import TracebackType
from typing import Generic, TypeVar

import httpx

from fastgpt_client._sse import ServerSentEvent, SSEDecoder
from fastgpt_client.stream_types import FastGPTStreamEvent, StreamEvent, StreamSummary, parse_event

_T = TypeVar("_T")


class AsyncStream(Generic[_T]):
    """Iterate the events of a streaming response; closes the connection when exhausted.

    ::

        async with await client.chat.completions.create(messages=…, stream=True) as stream:
            async for event in stream:
                if event.event == "answer":
                    print(event.content, end="")
    """

    def __init__(self, response: httpx.Response, parse: Callable[[ServerSentEvent], _T | None]) -> None:
        self.response = response
        self._parse = parse
        self._iterator = self._iter_events()

    async def __anext__(self) -> _T:
        return await self._iterator.__anext__()

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for event in self._iterator:
            yield event

    async def _iter_events(self) -> AsyncGenerator[_T, None]:
        decoder = SSEDecoder()
        try:
            async for chunk in self.response.aiter_bytes():
                for sse in decoder.feed(chunk):
                    event = self._parse(sse)
                    if event is not None:
                        yield event
            for sse in decoder.flush():
                event = self._parse(sse)
                if event is not None:
                    yield event
        finally:
            await self.response.aclose()

    async def close(self) -> None:
        """Stop reading and release the connection (safe to call more than once)."""
        await self._iterator.aclose()
        await self.response.aclose()

    async def __aenter__(self) -> AsyncStream[_T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        await self.close()


async def collect_stream(stream: AsyncStream[StreamEvent]) -> StreamSummary:
    """Read ``stream`` to the end and summarise it (answer text, interactive pause, errors…)."""
    summary = StreamSummary()
    async with stream:
        async for event in stream:
            summary.add(event)
    return summary


async def aiter_stream_events(response: httpx.Response) -> AsyncIterator[FastGPTStreamEvent]:
    """Typed events of a streaming ``httpx.Response`` (seed SDK helper).

    Works with the response of ``create_chat_completion(stream=True)``; handles bare ``data:``
    frames (``detail=False``) and ``event:``/``data:`` pairs (``detail=True``), ``[DONE]``
    included (as a ``DoneEvent``). The response is closed at the end.
    """
    async for event in AsyncStream(response, parse_event):
        yield event
