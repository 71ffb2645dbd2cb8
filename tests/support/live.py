"""The real ASGI app served by uvicorn on a real socket, in a background thread."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from pyfastgpt.app import create_app
from pyfastgpt.core.config import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LiveServer:
    base_url: str
    settings: Settings
    backend: str
    root_key: str
    app_id: str
    app_key: str
    fake_llm: Any = None

    def client(self, key: str | None = None, **kwargs: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30, **kwargs)

    @property
    def root(self) -> httpx.Client:
        return self.client(self.root_key)


@contextmanager
def serve(settings: Settings, *, backend: str, fake_llm: Any = None) -> Iterator[LiveServer]:
    port = free_port()
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", loop="asyncio")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{backend}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        credentials = json.loads((Path(settings.data_dir) / "credentials.json").read_text())
        yield LiveServer(
            base_url=f"http://127.0.0.1:{port}",
            settings=settings,
            backend=backend,
            root_key=settings.root_key or credentials["rootKey"],
            app_id=credentials["appId"],
            app_key=credentials["appKey"],
            fake_llm=fake_llm,
        )
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def run(coro: Any) -> Any:
    return asyncio.run(coro)
