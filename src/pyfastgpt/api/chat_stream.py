"""Run a chat round for the HTTP layer: JSON for non-stream, SSE with heartbeats for stream.

v1 stops the run when the client goes away; v2 keeps running (and persisting) until it ends or
`/api/v2/chat/stop` stops it. A v2 stream asked with `x-fastgpt-stream-resume` also hands every
chunk to its `StreamMirror`, so `/api/core/chat/resume` can replay it; without the header nothing
else happens per chunk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.responses import StreamingResponse

from pyfastgpt.api.responses import FastJSONResponse
from pyfastgpt.api.sse import HEARTBEAT, SSE_HEADERS, SSE_MEDIA_TYPE, SseEncoder
from pyfastgpt.core.errors import AppError
from pyfastgpt.services.chat.output import completion_body
from pyfastgpt.services.chat.resume import StreamMirror
from pyfastgpt.services.chat.round import ChatRoundService, PreparedRound
from pyfastgpt.workflow.events import RunResult, WorkflowDone

log = logging.getLogger("pyfastgpt.chat")
HEARTBEAT_EVERY_S = 10.0


async def json_response(service: ChatRoundService, prepared: PreparedRound, *, api_version: int) -> FastJSONResponse:
    result: RunResult | None = None
    async for event in service.run(prepared):
        if isinstance(event, WorkflowDone):
            result = event.result
    assert result is not None
    body = completion_body(
        chat_id=prepared.chat_id,
        result=result,
        responses=prepared.public_responses(result.flow_responses),
        detail=prepared.detail,
        api_version=api_version,
        title=prepared.title,
    )
    return FastJSONResponse(body)


def stream_response(
    service: ChatRoundService,
    prepared: PreparedRound,
    *,
    api_version: int,
    show_running_status: bool = True,
    mirror: StreamMirror | None = None,
) -> StreamingResponse:
    encoder = SseEncoder(
        chat_id=prepared.chat_id,
        detail=prepared.detail,
        api_version=api_version,
        show_running_status=show_running_status,
        public_responses=prepared.public_responses,
    )
    queue: asyncio.Queue[bytes | None] = asyncio.Queue()
    put: Callable[[bytes], None] = queue.put_nowait
    if mirror is not None:
        prepared.on_begin = mirror.start
        put = _tee(queue, mirror)

    async def produce() -> None:
        try:
            async for event in service.run(prepared):
                if prepared.title and isinstance(event, WorkflowDone):
                    for chunk in encoder.chat_title(prepared.title):
                        put(chunk)
                for chunk in encoder.encode(event):
                    put(chunk)
        except AppError as exc:
            put(encoder.error(exc.message, status_text=exc.key, code=exc.code))
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("chat round failed")
            put(encoder.error(str(exc) or type(exc).__name__))
        finally:
            queue.put_nowait(None)
            if mirror is not None:
                mirror.end()

    async def body() -> AsyncIterator[bytes]:
        task = asyncio.create_task(produce())
        finished = False
        try:
            while True:
                try:
                    chunk = await asyncio.wait_for(queue.get(), timeout=HEARTBEAT_EVERY_S)
                except TimeoutError:
                    yield HEARTBEAT
                    continue
                if chunk is None:
                    finished = True
                    break
                yield chunk
        finally:
            if not finished and api_version == 1 and not task.done():
                prepared.run_input.stop_event.set()
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            elif not finished:
                _keep_running.add(task)
                task.add_done_callback(_keep_running.discard)

    return StreamingResponse(body(), media_type=SSE_MEDIA_TYPE, headers=SSE_HEADERS)


def _tee(queue: asyncio.Queue[bytes | None], mirror: StreamMirror) -> Callable[[bytes], None]:
    def put(chunk: bytes) -> None:
        queue.put_nowait(chunk)
        mirror.append(chunk)

    return put


_keep_running: set[asyncio.Task[Any]] = set()
