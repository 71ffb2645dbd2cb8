"""Streaming helpers (seed SDK module): typed events from a streaming ``httpx.Response``.

``iter_stream_events(response)`` / ``aiter_stream_events(response)`` accept the response of
``create_chat_completion(stream=True)``; ``Stream`` / ``AsyncStream`` are what
``client.chat.completions.create(stream=True)`` returns.
"""

from fastgpt_client._async._streaming import AsyncStream, aiter_stream_events
from fastgpt_client._async._streaming import collect_stream as acollect_stream
from fastgpt_client._sse import ServerSentEvent, SSEDecoder, decode_sse
from fastgpt_client._sync._streaming import Stream, collect_stream, iter_stream_events
from fastgpt_client.stream_types import parse_event

__all__ = [
    "AsyncStream",
    "SSEDecoder",
    "ServerSentEvent",
    "Stream",
    "acollect_stream",
    "aiter_stream_events",
    "collect_stream",
    "decode_sse",
    "iter_stream_events",
    "parse_event",
]
