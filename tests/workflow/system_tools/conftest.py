from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from pyfastgpt.workflow.runner import WorkflowDeps


@pytest.fixture
def open_deps(plain_deps: WorkflowDeps) -> WorkflowDeps:
    """Engine deps whose tools may call 127.0.0.1 (`LINK_FETCH_ALLOW_PRIVATE=true`)."""
    settings = plain_deps.settings.model_copy(update={"link_fetch_allow_private": True, "link_fetch_timeout_s": 5.0})
    return WorkflowDeps(registry=plain_deps.registry, settings=settings)


@pytest.fixture
def guarded_deps(plain_deps: WorkflowDeps) -> WorkflowDeps:
    """The default: private and loopback addresses refused."""
    settings = plain_deps.settings.model_copy(update={"link_fetch_allow_private": False})
    return WorkflowDeps(registry=plain_deps.registry, settings=settings)


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class LocalServer:
    """A real aiohttp server on 127.0.0.1; `routes` maps a path to `(status, content_type, body)`."""

    base_url: str = ""
    routes: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.requests.append(Recorded(request.method, request.path, dict(request.query), dict(request.headers), body))
        status, content_type, text = self.routes.get(request.path, (404, "text/plain", "not found"))
        return web.Response(status=status, text=text, content_type=content_type)


@pytest.fixture
async def local_server() -> AsyncIterator[LocalServer]:
    server = LocalServer()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    server.base_url = f"http://127.0.0.1:{port}"
    yield server
    await runner.cleanup()
