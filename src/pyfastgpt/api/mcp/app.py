"""`/api/mcp/app/{key}/mcp`: the built-in MCP server over Streamable HTTP (FastGPT 4.9.6+).

FastGPT answers every POST with a fresh, session-less server whose tools are the key's apps
(`projects/app/src/pages/api/mcp/app/[key]/mcp.ts`). Here one low-level server of the official SDK
is served by its session manager in stateless mode with JSON responses (no session to keep, so any
replica answers any request); the handlers find the key's document on the HTTP request. The SDK
is imported, and its manager started, on the first MCP request, so a server that never serves MCP
pays nothing for it; `close_mcp_http` (called from the app's lifespan) stops it.

As FastGPT, only POST is served: GET and DELETE answer 405 with a JSON-RPC error (-32000,
`Method not allowed.`). An unknown key is answered before the SDK sees the request: HTTP 401 with
a JSON-RPC error whose `data` carries FastGPT's `invalidResource` code (the SDK's clients surface
it as an error; FastGPT answers 500 `Internal server error` there).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

import orjson
from fastapi import APIRouter, FastAPI
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from pyfastgpt.core.errors import ERROR_CODES
from pyfastgpt.services.mcp import McpKeyDoc, McpService, ToolCallFailed, build_mcp_service

if TYPE_CHECKING:
    from mcp.server.lowlevel.server import Server
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

log = logging.getLogger("pyfastgpt.mcp")
SERVER_NAME = "fastgpt-mcp-server-http-streamable"
INVALID_REQUEST = -32600  # JSON-RPC error codes
CONNECTION_CLOSED = -32000  # what FastGPT answers a GET or DELETE with
_STATE_KEY = "mcp_key"


def get_mcp_service(app: FastAPI | Any) -> McpService:
    """The app's one MCP service (key CRUD and the endpoint share its key cache)."""
    service: McpService | None = getattr(app.state, "mcp_service", None)
    if service is None:
        service = build_mcp_service(app.state.services)
        app.state.mcp_service = service
    return service


def _key_doc(ctx: Any) -> McpKeyDoc:
    doc: McpKeyDoc = ctx.request.state.mcp_key
    return doc


def build_server(service: McpService) -> Server[Any]:
    import mcp.types as types
    from mcp.server.lowlevel.server import Server

    async def list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        tools = await service.tools.list_tools(_key_doc(ctx))
        return types.ListToolsResult(
            tools=[types.Tool(name=t.name, description=t.description, input_schema=t.input_schema) for t in tools]
        )

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        try:
            text = await service.tools.call_tool(_key_doc(ctx), params.name, dict(params.arguments or {}))
        except ToolCallFailed as exc:
            text, failed = str(exc), True
        except Exception as exc:  # FastGPT answers any failure as an error result, never a protocol error
            log.exception("MCP tool %s failed", params.name)
            text, failed = str(exc) or type(exc).__name__, True
        else:
            failed = False
        return types.CallToolResult(content=[types.TextContent(text=text)], is_error=failed)

    return Server(SERVER_NAME, version="1.0.0", on_list_tools=list_tools, on_call_tool=call_tool)


class McpHttpServer:
    """The SDK's Streamable HTTP session manager, started on first use in a task of its own."""

    def __init__(self, service: McpService) -> None:
        self.service = service
        self._manager: StreamableHTTPSessionManager | None = None
        self._runner: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self._lock = asyncio.Lock()

    async def manager(self) -> StreamableHTTPSessionManager:
        if self._manager is not None:
            return self._manager
        async with self._lock:
            if self._manager is None:
                from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

                manager = StreamableHTTPSessionManager(build_server(self.service), json_response=True, stateless=True)
                ready = asyncio.Event()

                async def run() -> None:
                    async with manager.run():
                        ready.set()
                        await self._stop.wait()

                self._runner = asyncio.create_task(run(), name="mcp-session-manager")
                waiter = asyncio.create_task(ready.wait())
                await asyncio.wait({self._runner, waiter}, return_when=asyncio.FIRST_COMPLETED)
                if not ready.is_set():
                    waiter.cancel()
                    await self._runner  # raises what stopped it
                self._manager = manager
        return self._manager

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("method") != "POST":  # stateless: no stream to open with GET, no session to DELETE
            await _jsonrpc_error(
                send, 405, "Method not allowed.", code=CONNECTION_CLOSED, headers=[(b"allow", b"POST")]
            )
            return
        key = str(scope.get("path_params", {}).get("key", ""))
        doc = await self.service.keys.by_key(key) if key else None
        if doc is None:
            await _jsonrpc_error(send, 401, "Invalid MCP key", status_text="invalidResource")
            return
        scope.setdefault("state", {})[_STATE_KEY] = doc
        manager = await self.manager()
        await manager.handle_request(scope, receive, send)

    async def aclose(self) -> None:
        self._stop.set()
        if self._runner is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner


async def _jsonrpc_error(
    send: Send,
    status: int,
    message: str,
    *,
    code: int = INVALID_REQUEST,
    status_text: str | None = None,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    error: dict[str, Any] = {"code": code, "message": message}
    if status_text is not None:
        error["data"] = {"code": ERROR_CODES[status_text][0], "statusText": status_text}
    body = orjson.dumps({"jsonrpc": "2.0", "error": error, "id": None})
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


def _http_server(app: Any) -> McpHttpServer:
    server: McpHttpServer | None = getattr(app.state, "mcp_http", None)
    if server is None:
        server = McpHttpServer(get_mcp_service(app))
        app.state.mcp_http = server
    return server


async def close_mcp_http(app: FastAPI) -> None:
    """Stop the MCP session manager if a request started it (the app's lifespan calls this)."""
    server: McpHttpServer | None = getattr(app.state, "mcp_http", None)
    if server is not None:
        await server.aclose()


class McpEndpoint:
    """A raw ASGI endpoint: the SDK's transport reads the request and writes the response itself."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _http_server(scope["app"]).handle(scope, receive, send)


router = APIRouter()
router.routes.append(
    Route("/api/mcp/app/{key}/mcp", McpEndpoint(), methods=["GET", "POST", "DELETE"], include_in_schema=False)
)
