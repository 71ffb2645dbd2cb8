from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web


@dataclass
class BodyServer:
    """A local HTTP server the body nodes call: it counts requests in flight and per item."""

    url: str = ""
    in_flight: int = 0
    max_in_flight: int = 0
    calls: Counter[str] = field(default_factory=Counter)
    finished: list[str] = field(default_factory=list)


@pytest.fixture
async def body_server() -> AsyncIterator[BodyServer]:
    state = BodyServer()

    async def slow(request: web.Request) -> web.Response:
        """`?item=<name>[-<delay ms>][&ms=<delay ms>]`: answers `{"value": <NAME>}` after the delay."""
        item, _, delay = request.query.get("item", "").partition("-")
        state.calls[item] += 1
        state.in_flight += 1
        state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            await asyncio.sleep(int(request.query.get("ms") or delay or "0") / 1000)
        finally:
            state.in_flight -= 1
        state.finished.append(item)
        return web.json_response({"value": item.upper()})

    async def flaky(request: web.Request) -> web.Response:
        """`?item=<name>:<failures>`: HTTP 502 for the first <failures> calls of that item (-1: always)."""
        item = request.query.get("item", "")
        name, _, failures = item.partition(":")
        state.calls[name] += 1
        limit = int(failures or "0")
        if limit < 0 or state.calls[name] <= limit:
            return web.json_response({"message": f"{name} failed"}, status=502)
        return web.json_response({"value": name.upper()})

    app = web.Application()
    app.router.add_get("/slow", slow)
    app.router.add_get("/flaky", flaky)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    state.url = f"http://127.0.0.1:{port}"
    yield state
    await runner.cleanup()
