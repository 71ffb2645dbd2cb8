"""A local OpenAI-compatible server for tests: real HTTP on 127.0.0.1, scripted answers.

    with start_fake_llm() as fake:
        fake.base_url                        # "http://127.0.0.1:PORT/v1"
        fake.script(Reply(content="hi"), Reply(tool_calls=[("get_weather", '{"city":"Paris"}')]))
        fake.rule("weather", Reply(content="sunny"))
        fake.requests                        # received JSON bodies (chat, embeddings, rerank)
        fake.reset()

pytest: `pytest_plugins = ["tests.fake_llm.fixtures"]` gives `fake_llm` (session) and `fake`
(the same server, reset for the test).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from tests.fake_llm.script import Endpoint, FakeState, RecordedCall, Reply
from tests.fake_llm.server import CHAT_MODEL, EMBEDDING_MODEL, RERANK_MODEL, FakeServer, hashed_embedding

__all__ = [
    "CHAT_MODEL",
    "EMBEDDING_MODEL",
    "RERANK_MODEL",
    "FakeLLM",
    "RecordedCall",
    "Reply",
    "hashed_embedding",
    "serve_in_thread",
    "start_fake_llm",
]


class FakeLLM:
    """Handle on a running fake server: script it and read what it received."""

    def __init__(self, state: FakeState, port: int) -> None:
        self._state = state
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}/v1"

    def script(self, *replies: Reply) -> None:
        """Queue chat replies, answered first-in first-out."""
        self._state.script(*replies, endpoint="chat")

    def script_endpoint(self, endpoint: Endpoint, *replies: Reply) -> None:
        """Queue replies (faults, delays) for "embeddings" or "rerank" (or "chat")."""
        self._state.script(*replies, endpoint=endpoint)

    def rule(self, substring: str, reply: Reply) -> None:
        """Answer `reply` whenever the last user message contains `substring` (after the queue)."""
        self._state.rule(substring, reply)

    def set_embedding_dimension(self, model: str, dimension: int) -> None:
        with self._state._lock:
            self._state.embedding_dimensions[model] = dimension

    def require_api_key(self, key: str | None) -> None:
        """Answer 401 unless requests carry `Authorization: Bearer <key>` (None: accept anything)."""
        self._state.api_key = key

    @property
    def active_streams(self) -> int:
        """Streamed answers still being sent (drops to 0 once clients close their streams)."""
        with self._state._lock:
            return self._state.active_streams

    @property
    def requests(self) -> list[dict[str, Any]]:
        with self._state._lock:
            return [call.body for call in self._state.calls]

    @property
    def calls(self) -> list[RecordedCall]:
        with self._state._lock:
            return list(self._state.calls)

    def reset(self) -> None:
        self._state.reset()


class _ThreadedServer(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # runs in a thread, not the main one
        pass


@contextmanager
def serve_in_thread(app: Any) -> Iterator[int]:
    """Serve an ASGI app with uvicorn on a free port of 127.0.0.1 in a daemon thread; yields the port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        app, log_level="critical", access_log=False, lifespan="off", timeout_graceful_shutdown=1, loop="asyncio"
    )
    server = _ThreadedServer(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="asgi-test-server")
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def start_fake_llm() -> Iterator[FakeLLM]:
    """Run the fake OpenAI server on a free port of 127.0.0.1 in a background thread."""
    state = FakeState()
    with serve_in_thread(FakeServer(state).app) as port:
        yield FakeLLM(state, port)
