"""The session `server`, with the history routers included while `api/routers.py` lacks them.

Once the routers are mounted for real, the shared server is used as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

import tests.support.live as live
from pyfastgpt.api.core.ai import agent
from pyfastgpt.api.core.chat import feedback, history, init, record
from tests.conftest import make_settings
from tests.support.live import LiveServer

HISTORY_ROUTERS = (history.router, record.router, feedback.router, init.router, agent.router)


def with_history_routes(app: FastAPI) -> FastAPI:
    mounted = {getattr(route, "path", "") for route in app.routes}
    for router in HISTORY_ROUTERS:
        if not any(getattr(route, "path", "") in mounted for route in router.routes):
            app.include_router(router)
    return app


def history_routes_mounted(server: LiveServer) -> bool:
    response = httpx.post(f"{server.base_url}/api/core/chat/getHistories", json={}, timeout=30)
    return response.status_code != 404


@pytest.fixture(scope="session")
def server(server: LiveServer, request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    if history_routes_mounted(server):
        yield server
        return
    cluster = request.getfixturevalue("pg") if server.backend == "pg" else None
    original = live.create_app

    def create(*args: Any, **kwargs: Any) -> FastAPI:
        return with_history_routes(original(*args, **kwargs))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(live, "create_app", create)
        serving = live.serve(make_settings(server.backend, cluster, server.fake_llm), backend=server.backend)
        own = serving.__enter__()
    own.fake_llm = server.fake_llm
    try:
        yield own
    finally:
        serving.__exit__(None, None, None)
