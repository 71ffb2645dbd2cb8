"""The scripting side of the fake OpenAI server: replies, rules and the request log."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal

Fault = Literal["500", "429", "malformed", "disconnect"]
Endpoint = Literal["chat", "embeddings", "rerank"]


@dataclass
class Reply:
    """One scripted answer of the fake server.

    content/reasoning/tool_calls shape a chat answer; `chunks` splits the content into that many
    stream chunks (None: one chunk per word); `delay_s` sleeps between chunks, `first_byte_delay_s`
    before the response starts; `fault` replaces the answer by an HTTP 500, a 429 with
    `Retry-After: retry_after`, a malformed body / SSE line, or a dropped connection (mid-stream
    for streams, mid-body otherwise); `usage` overrides the (estimated) token counts.
    """

    content: str = ""
    reasoning: str = ""
    tool_calls: list[tuple[str, str]] = field(default_factory=list)
    chunks: int | None = None
    delay_s: float = 0.0
    first_byte_delay_s: float = 0.0
    fault: Fault | None = None
    retry_after: int = 1
    usage: tuple[int, int] | None = None
    finish_reason: str | None = None


@dataclass
class RecordedCall:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]


class FakeState:
    """Thread-safe script shared by the test thread and the server thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, deque[Reply]] = {"chat": deque(), "embeddings": deque(), "rerank": deque()}
        self._rules: list[tuple[str, Reply]] = []
        self.calls: list[RecordedCall] = []
        self.embedding_dimensions: dict[str, int] = {}
        self.default_dimension = 384
        self.api_key: str | None = None
        self.active_streams = 0

    def script(self, *replies: Reply, endpoint: Endpoint = "chat") -> None:
        with self._lock:
            self._queues[endpoint].extend(replies)

    def rule(self, substring: str, reply: Reply) -> None:
        with self._lock:
            self._rules.append((substring, reply))

    def reset(self) -> None:
        with self._lock:
            for queue in self._queues.values():
                queue.clear()
            self._rules.clear()
            self.calls.clear()
            self.embedding_dimensions.clear()
            self.api_key = None

    def record(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> None:
        with self._lock:
            self.calls.append(RecordedCall(path, body, headers))

    def stream_started(self, delta: int) -> None:
        with self._lock:
            self.active_streams += delta

    def next_reply(self, endpoint: Endpoint, last_user_text: str = "") -> Reply | None:
        with self._lock:
            queue = self._queues[endpoint]
            if queue:
                return queue.popleft()
            if endpoint == "chat":
                for substring, reply in self._rules:
                    if substring in last_user_text:
                        return reply
            return None

    def dimension_for(self, model: str) -> int:
        with self._lock:
            return self.embedding_dimensions.get(model, self.default_dimension)
