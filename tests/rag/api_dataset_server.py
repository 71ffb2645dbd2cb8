"""A local file server speaking FastGPT's API-dataset contract (`/v1/file/{list,content,read,detail}`),
on 127.0.0.1 in a background thread, with an in-memory tree and a request log."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "secret-token"


@dataclass
class FileNode:
    id: str
    name: str
    parent_id: str | None
    type: str = "file"  # file | folder
    content: str | None = None
    preview_html: str | None = None  # served at /preview/<id>; content answers previewUrl then
    title: str | None = None


@dataclass
class ApiDatasetServer:
    base_url: str = ""
    files: dict[str, FileNode] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, Any], str]] = field(default_factory=list)

    def add(self, node: FileNode) -> FileNode:
        self.files[node.id] = node
        return node

    def _ok(self, data: Any) -> web.Response:
        return web.json_response({"success": True, "message": "", "data": data})

    def _fail(self, message: str) -> web.Response:
        return web.json_response({"success": False, "message": message, "data": None})

    async def handle(self, request: web.Request) -> web.Response:
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST":
            params = await request.json()
        self.requests.append((request.method, request.path, params, request.headers.get("Authorization", "")))
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._fail("bad token")
        if request.path == "/v1/file/list":
            parent = params.get("parentId") or None
            if parent == "root":
                parent = None
            children = [n for n in self.files.values() if n.parent_id == parent]
            return self._ok([{"id": n.id, "parentId": n.parent_id, "name": n.name, "type": n.type,
                              "updateTime": "2025-01-01T00:00:00Z", "createTime": "2025-01-01T00:00:00Z"}
                             for n in children])  # fmt: skip
        node = self.files.get(str(params.get("id")))
        if node is None:
            return self._fail("no such file")
        if request.path == "/v1/file/content":
            if node.preview_html is not None:
                return self._ok({"title": node.title, "previewUrl": f"{self.base_url}/preview/{node.id}"})
            return self._ok({"title": node.title, "content": node.content})
        if request.path == "/v1/file/read":
            return self._ok({"url": f"{self.base_url}/preview/{node.id}"})
        if request.path == "/v1/file/detail":
            return self._ok({"id": node.id, "parentId": node.parent_id, "name": node.name, "type": node.type,
                             "updateTime": "2025-01-01T00:00:00Z", "createTime": "2025-01-01T00:00:00Z"})  # fmt: skip
        return web.json_response({"success": False, "message": "not found"}, status=404)

    async def preview(self, request: web.Request) -> web.Response:
        node = self.files.get(request.match_info["id"])
        if node is None or node.preview_html is None:
            return web.Response(status=404)
        return web.Response(text=node.preview_html, content_type="text/html")


@contextmanager
def api_dataset_server() -> Iterator[ApiDatasetServer]:
    state = ApiDatasetServer()
    app = web.Application()
    app.router.add_route("*", "/v1/file/{name}", state.handle)
    app.router.add_get("/preview/{id}", state.preview)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    ready = threading.Event()

    async def start() -> None:
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        state.base_url = f"http://127.0.0.1:{port}"
        ready.set()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, name="api-dataset-server", daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield state
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
