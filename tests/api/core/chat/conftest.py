"""Serve the real app with the history routers included (until `api/routers.py` mounts them).

Overrides the session `server` fixture for this folder only; once the routers are mounted for
real, `with_history_routes` adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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


@pytest.fixture(scope="session", params=["sqlite", "pg"])
def server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    backend: str = request.param
    cluster = request.getfixturevalue("pg") if backend == "pg" else None
    fake = request.getfixturevalue("fake_llm")
    original = live.create_app

    def create(*args: Any, **kwargs: Any) -> FastAPI:
        return with_history_routes(original(*args, **kwargs))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(live, "create_app", create)
        serving = live.serve(make_settings(backend, cluster, fake), backend=backend, fake_llm=fake)
        server = serving.__enter__()
    try:
        yield server
    finally:
        serving.__exit__(None, None, None)
