"""MCP client (FastGPT's `MCPClient`, `packages/service/core/app/mcp.ts`) on the official SDK.

Connects with Streamable HTTP first; when that handshake is answered with an HTTP 4xx (an SSE-only
server answers its POST with 405) it falls back to the SSE transport. When both fail the error is
FastGPT's "MCP connection failed. Streamable HTTP: …; SSE: …". Each `list_tools` / `call_tool`
opens its own session and closes it: nothing is shared between runs.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import anyio

from pyfastgpt.workflow.node import NodeRunError

if TYPE_CHECKING:  # the SDK itself is imported on first use: it costs ~0.9 s at start-up
    import httpx2
    from mcp import ClientSession

T = TypeVar("T")
CONNECT_TIMEOUT_S = 30.0
CALL_TIMEOUT_S = 300.0  # FastGPT's tool call timeout


def leaf_error(error: BaseException) -> BaseException:
    """The first real error inside (nested) exception groups raised by the SDK's task groups."""
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return error


def error_message(error: BaseException) -> str:
    error = leaf_error(error)
    return str(error) or type(error).__name__


class McpClient:
    def __init__(
        self,
        url: str,
        headers: dict[str, str] | None = None,
        *,
        connect_timeout_s: float = CONNECT_TIMEOUT_S,
        call_timeout_s: float = CALL_TIMEOUT_S,
    ) -> None:
        if not url:
            raise NodeRunError("MCP URL is empty")
        self.url = url
        self.headers = dict(headers or {})
        self.connect_timeout_s = connect_timeout_s
        self.call_timeout_s = call_timeout_s

    async def list_tools(self) -> list[dict[str, Any]]:
        """`getTools`: `[{name, description, inputSchema}]` with local `$ref`s resolved."""

        async def action(session: ClientSession) -> list[dict[str, Any]]:
            result = await session.list_tools()
            tools = [tool.model_dump(by_alias=True, mode="json") for tool in result.tools]
            return [
                {
                    "name": tool["name"],
                    "description": tool.get("description") or "",
                    "inputSchema": object_schema(tool.get("inputSchema")),
                }
                for tool in tools
            ]

        return await self._with_session(action)

    async def call_tool(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        """`toolCall`: the raw `CallToolResult` (`{content, structuredContent?, isError}`)."""
        arguments = {key: value for key, value in params.items() if value is not None}

        async def action(session: ClientSession) -> dict[str, Any]:
            result = await session.call_tool(name, arguments, read_timeout_seconds=self.call_timeout_s)
            dumped: dict[str, Any] = result.model_dump(by_alias=True, mode="json", exclude_none=True)
            if dumped.get("resultType") == "complete":  # the SDK's default, not sent by FastGPT's servers
                dumped.pop("resultType")
            return dumped

        return await self._with_session(action)

    async def _with_session(self, action: Callable[[ClientSession], Awaitable[T]]) -> T:
        statuses: list[int] = []
        stage = ["connect"]
        try:
            return await self._run(self._streamable(statuses), action, stage)
        except Exception as exc:
            streamable_error = leaf_error(exc)
            if stage[0] != "connect" or not any(400 <= status < 500 for status in statuses):
                raise NodeRunError(error_message(exc)) from streamable_error
        stage = ["connect"]
        try:
            return await self._run(self._sse(), action, stage)
        except Exception as exc:
            if stage[0] != "connect":
                raise NodeRunError(error_message(exc)) from leaf_error(exc)
            raise NodeRunError(
                f"MCP connection failed. Streamable HTTP: {error_message(streamable_error)}; SSE: {error_message(exc)}"
            ) from leaf_error(exc)

    async def _run(
        self,
        transport: AbstractAsyncContextManager[tuple[Any, Any]],
        action: Callable[[ClientSession], Awaitable[T]],
        stage: list[str],
    ) -> T:
        """Open the transport and a session, initialize it, then run `action`; `stage` tells the
        caller whether a failure happened while connecting (then SSE may be tried) or after."""
        from mcp import ClientSession

        async with (
            transport as (read, write),
            ClientSession(read, write, read_timeout_seconds=self.call_timeout_s) as session,
        ):
            with anyio.fail_after(self.connect_timeout_s):
                await session.initialize()
            stage[0] = "call"
            return await action(session)

    @asynccontextmanager
    async def _streamable(self, statuses: list[int]) -> AsyncIterator[tuple[Any, Any]]:
        import httpx2
        from mcp.client.streamable_http import streamable_http_client

        async def record(response: httpx2.Response) -> None:
            if response.request.method == "POST":
                statuses.append(response.status_code)

        timeout = httpx2.Timeout(self.connect_timeout_s, read=self.call_timeout_s)
        async with (
            httpx2.AsyncClient(headers=self.headers, timeout=timeout, event_hooks={"response": [record]}) as client,
            streamable_http_client(self.url, http_client=client) as streams,
        ):
            yield streams[0], streams[1]

    @asynccontextmanager
    async def _sse(self) -> AsyncIterator[tuple[Any, Any]]:
        from mcp.client.sse import sse_client

        async with sse_client(
            self.url, headers=self.headers, timeout=self.connect_timeout_s, sse_read_timeout=self.call_timeout_s
        ) as streams:
            yield streams[0], streams[1]


def object_schema(schema: Any) -> dict[str, Any]:
    """FastGPT's tool schema: `{type: 'object', ...schema, properties: schema.properties || {}}`."""
    if not isinstance(schema, dict):
        return {"type": "object", "properties": {}}
    resolved = resolve_refs(schema)
    if not isinstance(resolved, dict):
        return {"type": "object", "properties": {}}
    resolved.pop("$defs", None)
    resolved.pop("definitions", None)
    return {"type": "object", **resolved, "properties": resolved.get("properties") or {}}


def resolve_refs(schema: dict[str, Any]) -> Any:
    """Inline local `#/...` references (no file or HTTP resolution, as FastGPT)."""
    root = copy.deepcopy(schema)

    def lookup(ref: str) -> Any:
        node: Any = root
        for part in ref.removeprefix("#/").split("/"):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def walk(node: Any, seen: frozenset[str]) -> Any:
        if isinstance(node, list):
            return [walk(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and ref not in seen:
            target = lookup(ref)
            if isinstance(target, dict):
                merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
                return walk(merged, seen | {ref})
        return {key: walk(value, seen) for key, value in node.items()}

    return walk(root, frozenset())
