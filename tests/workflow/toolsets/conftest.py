"""Real servers for tool-set tests: MCP servers (subprocesses, official SDK) and an aiohttp API."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

SERVER_SCRIPT = Path(__file__).with_name("mcp_server.py")
TOKEN = "t0ken"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"MCP test server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("MCP test server did not start")


@dataclass
class McpServer:
    url: str
    process: subprocess.Popen[bytes]


def start_mcp_server(transport: str, token: str | None = None) -> McpServer:
    port = free_port()
    args = [sys.executable, str(SERVER_SCRIPT), transport, str(port), *([token] if token else [])]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, process)
    path = "/mcp" if transport == "streamable-http" else "/sse"
    return McpServer(url=f"http://127.0.0.1:{port}{path}", process=process)


def stop(server: McpServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def mcp_streamable() -> Iterator[McpServer]:
    server = start_mcp_server("streamable-http")
    yield server
    stop(server)


@pytest.fixture(scope="session")
def mcp_sse() -> Iterator[McpServer]:
    server = start_mcp_server("sse")
    yield server
    stop(server)


@pytest.fixture(scope="session")
def mcp_guarded() -> Iterator[McpServer]:
    server = start_mcp_server("streamable-http", TOKEN)
    yield server
    stop(server)


@dataclass
class ToolSetApps:
    """An `AppLoader` over stored tool-set apps (the port the server's app store implements)."""

    apps: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    async def load(self, app_id: str, team_id: str) -> tuple[str, dict[str, Any]]:
        if app_id not in self.apps:
            raise LookupError(app_id)
        return self.apps[app_id]


@dataclass
class HttpApi:
    base_url: str
    requests: list[dict[str, Any]]


@pytest.fixture
async def http_api() -> AsyncIterator[HttpApi]:
    """A small JSON API recording what it was sent."""
    requests: list[dict[str, Any]] = []

    async def record(request: web.Request) -> dict[str, Any]:
        body = await request.json() if request.can_read_body else None
        entry = {
            "method": request.method,
            "path": request.path,
            "query": dict(request.query),
            "headers": dict(request.headers),
            "body": body,
        }
        requests.append(entry)
        return entry

    async def weather(request: web.Request) -> web.Response:
        entry = await record(request)
        return web.json_response({"city": entry["query"].get("city"), "weather": "sunny"})

    async def create_item(request: web.Request) -> web.Response:
        entry = await record(request)
        return web.json_response({"id": request.match_info["item_id"], "saved": entry["body"]})

    async def broken(request: web.Request) -> web.Response:
        await record(request)
        return web.json_response({"message": "boom"}, status=500)

    app = web.Application()
    app.router.add_get("/weather", weather)
    app.router.add_post("/items/{item_id}", create_item)
    app.router.add_get("/broken", broken)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    yield HttpApi(base_url=f"http://127.0.0.1:{port}", requests=requests)
    await runner.cleanup()
