"""Reattaching to a v2 chat stream (FastGPT 4.14.11 `GET /api/core/chat/resume`).

FastGPT's phases (`projects/app/src/pages/api/core/chat/resume.ts`):

- the chat is no longer generating: it is marked read and its latest records are answered, as
  JSON (`{chatGenerateStatus, hasBeenRead, records}`) or as SSE `resumeCompleted` then `done`;
- it is generating and the client did not ask for `text/event-stream`: 406;
- it is generating: `resumePhase: catchup`, every chunk sent so far (from the start of the round),
  `resumePhase: live`, then the chunks as they come until the stream's end;
- it is generating without a mirror (the round was started without `x-fastgpt-stream-resume`):
  `resumePhase: catchup`, `resumeUnavailable {reason: mirrorUnavailable}`, pings while waiting for
  the round to end, then `resumeCompleted` and `done`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select

from pyfastgpt.core.errors import NotFound, PermissionDenied
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.chat.resume.buffer import END, StreamHead, StreamOwner, StreamResumeHub
from pyfastgpt.services.chat.round_store import GENERATING
from pyfastgpt.services.history import HistoryService
from pyfastgpt.services.history.access import CHAT_NOT_FOUND, check_chat_owner
from pyfastgpt.services.history.records import Cursor
from pyfastgpt.store.models import Chat

PHASE_EVENT, COMPLETED_EVENT, UNAVAILABLE_EVENT = "resumePhase", "resumeCompleted", "resumeUnavailable"
CATCHUP, LIVE = "catchup", "live"
MIRROR_UNAVAILABLE = "mirrorUnavailable"
COMPLETED_PAGE_SIZE = 10
PING = b": ping\n\n"
PING_EVERY_S = 10.0
STATUS_CHECK_EVERY_S = 3.0  # FastGPT's resumeUnavailablePollIntervalMs
WAIT_AT_MOST_S = 30 * 60.0  # FastGPT waits up to STREAM_RESUME_TTL_SECONDS for an unmirrored round
REQUEST_HEADER = "x-fastgpt-stream-resume"
_ENABLED = frozenset({"1", "true", "yes", "on"})


def resume_requested(value: str | None) -> bool:
    """FastGPT `isStreamResumeMirrorRequested`: `1`, `true`, `yes` or `on`, any case."""
    return bool(value) and value.strip().lower() in _ENABLED  # type: ignore[union-attr]


def sse_event(name: str, data: str | bytes) -> bytes:
    payload = data.encode() if isinstance(data, str) else data
    return b"event: " + name.encode() + b"\ndata: " + payload + b"\n\n"


@dataclass(slots=True)
class ResumeTarget:
    ctx: AuthContext
    app_id: str
    chat_id: str
    status: int | None  # the chat row's chatGenerateStatus; None while a new chat has no row yet
    head: StreamHead | None

    @property
    def generating(self) -> bool:
        if self.status is not None:
            return self.status == GENERATING
        return self.head is not None and not self.head.ended


def _check_owner(ctx: AuthContext, owner: StreamOwner) -> None:
    if owner.team_id != ctx.team_id:
        raise PermissionDenied(key="unAuthChat")
    if ctx.share_id is not None:
        if owner.share_id != ctx.share_id or owner.out_link_uid != ctx.out_link_uid:
            raise PermissionDenied(key="unAuthChat")
    elif owner.tmb_id != ctx.tmb_id and not ctx.is_root:
        raise PermissionDenied(key="unAuthChat")


class StreamResumeService:
    def __init__(self, hub: StreamResumeHub, history: HistoryService) -> None:
        self.hub = hub
        self.history = history

    async def locate(self, ctx: AuthContext, app_id: str, chat_id: str) -> ResumeTarget:
        """The chat to reattach to: 404 when neither a chat nor a mirrored stream exists, 403 when
        it is someone else's."""
        app = await self.history.app(ctx, app_id)
        async with self.history.db.read() as session:
            chat = (
                await session.execute(
                    select(Chat).where(Chat.app_id == app.id, Chat.chat_id == chat_id, Chat.delete_time.is_(None))
                )
            ).scalar_one_or_none()
            if chat is not None:
                check_chat_owner(ctx, chat)
        head = await self.hub.head(app.id, chat_id)
        if chat is None:
            if head is None or head.ended:
                raise NotFound(CHAT_NOT_FOUND, key="invalidResource")
            _check_owner(ctx, head.owner)
        status = None if chat is None else chat.chat_generate_status
        return ResumeTarget(ctx, app.id, chat_id, status, head)

    async def completed(self, target: ResumeTarget) -> dict[str, Any]:
        """FastGPT `findCompletedChat` after `makeSureTheCompletedChatHasBeenRead`."""
        ctx, app_id, chat_id = target.ctx, target.app_id, target.chat_id
        await self.history.mark_read(ctx, app_id, chat_id)
        records = await self.history.cursor_records(
            ctx, app_id, chat_id, Cursor(page_size=COMPLETED_PAGE_SIZE), custom_feedbacks=True
        )
        status = await self._status(target)
        return {"chatGenerateStatus": 1 if status is None else status, "hasBeenRead": True, "records": records}

    async def completed_events(self, target: ResumeTarget) -> AsyncIterator[bytes]:
        yield sse_event(COMPLETED_EVENT, orjson.dumps(await self.completed(target)))
        yield sse_event("done", "[DONE]")

    async def _status(self, target: ResumeTarget) -> int | None:
        async with self.history.db.read() as session:
            status: int | None = (
                await session.execute(
                    select(Chat.chat_generate_status).where(
                        Chat.app_id == target.app_id, Chat.chat_id == target.chat_id, Chat.delete_time.is_(None)
                    )
                )
            ).scalar_one_or_none()
        return status

    async def _still_generating(self, target: ResumeTarget) -> bool:
        status = await self._status(target)
        if status is not None:
            return status == GENERATING
        head = await self.hub.head(target.app_id, target.chat_id)
        return head is not None and not head.ended

    async def events(self, target: ResumeTarget) -> AsyncIterator[bytes]:
        """The SSE body of a reattach to a generating chat."""
        yield sse_event(PHASE_EVENT, CATCHUP)
        head = target.head
        if head is None or head.ended:
            async for chunk in self._unavailable(target):
                yield chunk
            return
        if head.mirror is not None:
            mirror = head.mirror
            sent = len(mirror.chunks)
            yield b"".join(mirror.chunks[:sent])
            yield sse_event(PHASE_EVENT, LIVE)
            while True:
                if sent < len(mirror.chunks):
                    total = len(mirror.chunks)
                    yield b"".join(mirror.chunks[sent:total])
                    sent = total
                elif mirror.ended:
                    return
                elif not await mirror.changed(PING_EVERY_S):
                    yield PING
            return
        async for chunk in self._from_table(target, head):
            yield chunk

    async def _from_table(self, target: ResumeTarget, head: StreamHead) -> AsyncIterator[bytes]:
        seq, ended = 0, False
        while True:  # catch-up: everything written so far, page by page
            rows = await self.hub.rows_after(head.run_id, seq)
            if rows:
                seq = rows[-1].seq
                ended = rows[-1].kind == END
                yield "".join(row.data for row in rows).encode()
            if len(rows) < 500 or ended:
                break
        yield sse_event(PHASE_EVENT, LIVE)
        last_row = last_check = last_ping = time.monotonic()
        while not ended:
            rows = await self.hub.rows_after(head.run_id, seq)
            now = time.monotonic()
            if rows:
                seq = rows[-1].seq
                ended = rows[-1].kind == END
                last_row = last_ping = now
                yield "".join(row.data for row in rows).encode()
                continue
            if now - last_ping >= PING_EVERY_S:
                last_ping = now
                yield PING
            if now - last_row >= STATUS_CHECK_EVERY_S and now - last_check >= STATUS_CHECK_EVERY_S:
                last_check = now  # the replica running the round died: its chat is no longer generating
                if not await self._still_generating(target) and not await self.hub.rows_after(head.run_id, seq):
                    return
            await asyncio.sleep(self.hub.poll_interval_s)

    async def _unavailable(self, target: ResumeTarget) -> AsyncIterator[bytes]:
        yield sse_event(UNAVAILABLE_EVENT, orjson.dumps({"reason": MIRROR_UNAVAILABLE}))
        deadline = time.monotonic() + WAIT_AT_MOST_S
        while await self._still_generating(target):
            if time.monotonic() >= deadline:
                yield sse_event("done", "[DONE]")
                return
            yield PING
            await asyncio.sleep(STATUS_CHECK_EVERY_S)
        async for chunk in self.completed_events(target):
            yield chunk
