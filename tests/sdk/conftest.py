"""Fixtures for the SDK tests.

``scripted_server``: a tiny ASGI app under uvicorn on 127.0.0.1 that answers each request with
the next scripted ``(status, headers, body)`` for its path; used only for error mapping and
retries. ``live``: the lead's ``live_server`` (the real pyfastgpt server), or a clean skip.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn

Reply = tuple[int, dict[str, str], Any]


@dataclass
class ScriptedServer:
    """Answers ``path`` with the scripted replies in order (the last one repeats)."""

    base_url: str = ""
    scripts: dict[str, list[Reply]] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    requests: list[dict[str, Any]] = field(default_factory=list)
    delays: dict[str, float] = field(default_factory=dict)

    def script(self, path: str, *replies: Reply) -> None:
        self.scripts[path] = list(replies)
        self.hits[path] = 0

    def reset(self) -> None:
        self.scripts.clear()
        self.hits.clear()
        self.requests.clear()
        self.delays.clear()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        path = scope["path"]
        headers = {key.decode(): value.decode() for key, value in scope["headers"]}
        self.requests.append(
            {"method": scope["method"], "path": path, "query": scope["query_string"].decode(), "headers": headers,
             "body": body}
        )  # fmt: skip
        index = self.hits[path]
        self.hits[path] = index + 1
        if path in self.delays:
            await asyncio.sleep(self.delays[path])
        replies = self.scripts.get(path) or [(404, {}, {"code": 404, "statusText": "", "message": "no route"})]
        status, extra_headers, payload = replies[min(index, len(replies) - 1)]
        if isinstance(payload, bytes | str):
            raw = payload.encode() if isinstance(payload, str) else payload
            content_type = extra_headers.pop("content-type", "text/plain")
        else:
            raw = json.dumps(payload).encode()
            content_type = "application/json"
        response_headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(raw)).encode())]
        response_headers += [(key.encode(), value.encode()) for key, value in extra_headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": response_headers})
        await send({"type": "http.response.body", "body": raw})


@pytest.fixture(scope="session")
def _scripted_server_session() -> Iterator[ScriptedServer]:
    app = ScriptedServer()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="none", loop="asyncio")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("scripted server did not start")
        time.sleep(0.01)
    app.base_url = f"http://127.0.0.1:{port}"
    try:
        yield app
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def scripted_server(_scripted_server_session: ScriptedServer) -> ScriptedServer:
    _scripted_server_session.reset()
    return _scripted_server_session


@pytest.fixture
def live(request: pytest.FixtureRequest) -> Any:
    """The lead's ``live_server`` fixture; skip cleanly while it does not exist."""
    try:
        return request.getfixturevalue("live_server")
    except pytest.FixtureLookupError:
        pytest.skip("live_server fixture not available")
