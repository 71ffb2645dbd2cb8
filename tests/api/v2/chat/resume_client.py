"""A client of v2 streams that drops mid-answer and reattaches with `/api/core/chat/resume`."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from tests.api.v1.chat.helpers import parse_sse
from tests.fake_llm import Reply
from tests.support.live import LiveServer

WORDS = "alpha beta gamma delta epsilon zeta eta theta"
RESUME_HEADER = {"x-fastgpt-stream-resume": "1"}
SSE = {"Accept": "text/event-stream"}


def slow_reply(delay_s: float = 0.4) -> Reply:
    return Reply(content=WORDS, chunks=8, delay_s=delay_s)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def start_and_drop(
    server: LiveServer, key: str, text: str, chat_id: str | None, *, headers: dict[str, str] | None = None
) -> tuple[str, str]:
    """Start a v2 stream, read until the first word arrived, hang up. Returns (chatId, what was read)."""
    body: dict[str, Any] = {"stream": True, "messages": [{"role": "user", "content": text}]}
    if chat_id:
        body["chatId"] = chat_id
    received = b""
    with (
        server.client(key) as client,
        client.stream("POST", "/api/v2/chat/completions", json=body, headers=headers or {}) as response,
    ):
        assert response.status_code == 200
        for chunk in response.iter_bytes():
            received += chunk
            if b"alpha" in received:
                break
    text_read = received.decode()
    first = next(data for _, data in parse_sse(text_read[: text_read.rindex("\n\n") + 2]) if data.startswith("{"))
    return json.loads(first)["id"], text_read


def resume(
    server: LiveServer, key: str, app_id: str, chat_id: str, *, sse: bool = True, **params: str
) -> httpx.Response:
    with server.client(key) as client:
        return client.get(
            "/api/core/chat/resume", params={"appId": app_id, "chatId": chat_id, **params}, headers=SSE if sse else {}
        )


def split_phases(raw: str) -> tuple[list[tuple[str | None, str]], list[tuple[str | None, str]]]:
    """The events of a resumed stream: (catch-up part, live part), phase markers checked and removed."""
    events = parse_sse(raw)
    assert events[0] == ("resumePhase", "catchup"), events[:2]
    live_at = events.index(("resumePhase", "live"))
    return events[1:live_at], events[live_at + 1 :]


def answer_text(events: list[tuple[str | None, str]]) -> str:
    """The assistant text carried by OpenAI-shaped chunks (detail=false streams)."""
    parts = []
    for _, data in events:
        if data.startswith("{"):
            for choice in json.loads(data)["choices"]:
                parts.append(choice["delta"].get("content") or "")
    return "".join(parts)
