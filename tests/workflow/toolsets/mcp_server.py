"""A real MCP server for the tests, run as a subprocess on 127.0.0.1 with the official SDK.

    python mcp_server.py <streamable-http|sse> <port> [bearer-token]

It serves two tools, `add(a, b)` and `shout(text)`; with a token, every request without
`Authorization: Bearer <token>` is answered 401.
"""

from __future__ import annotations

import sys
from typing import Any

import uvicorn
from mcp.server.mcpserver import MCPServer

server = MCPServer("pyfastgpt-test-tools")


@server.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@server.tool()
def shout(text: str) -> str:
    """Upper-case a text."""
    return text.upper()


def require_token(app: Any, token: str) -> Any:
    async def guarded(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            if headers.get(b"authorization") != f"Bearer {token}".encode():
                await send(
                    {"type": "http.response.start", "status": 401, "headers": [(b"content-type", b"text/plain")]}
                )
                await send({"type": "http.response.body", "body": b"Unauthorized"})
                return
        await app(scope, receive, send)

    return guarded


def main() -> None:
    transport, port = sys.argv[1], int(sys.argv[2])
    app: Any = server.streamable_http_app() if transport == "streamable-http" else server.sse_app()
    if len(sys.argv) > 3:
        app = require_token(app, sys.argv[3])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
