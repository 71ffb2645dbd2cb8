"""Shared pieces of the sandbox tests: limits, a runner shortcut and a local HTTP server."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from pyfastgpt.workflow.sandbox.runner import CodeRun, SandboxLimits, run_code_with_log

LIMITS = SandboxLimits(timeout_s=3.0, memory_mb=128)
NETWORK_LIMITS = SandboxLimits(timeout_s=3.0, memory_mb=128, allow_network=True)


async def run(language: str, code: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> CodeRun:
    return await run_code_with_log(language, code, variables or {}, kwargs.pop("limits", LIMITS))


def fastgpt_hmac_base64(algorithm: str, secret: str, timestamp: str) -> str:
    """What FastGPT's createHmac signs: `<timestamp>\\n<secret>` keyed with the secret."""
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), getattr(hashlib, algorithm)).digest()
    return base64.b64encode(digest).decode()


async def echo_server() -> AsyncIterator[str]:
    """A local HTTP server answering JSON about each request (127.0.0.1 only)."""

    async def echo(request: web.Request) -> web.Response:
        return web.json_response(
            {"method": request.method, "query": dict(request.query), "body": await request.text()},
            headers={"X-Echo": "yes"},
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", echo)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()
