"""Serve the real app with the chat-file routes included (until `api/routers.py` mounts them)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import pytest
from fastapi import FastAPI

import tests.support.live as live
from pyfastgpt.api.core.chat import file as file_routes
from pyfastgpt.api.core.chat import init as init_routes
from pyfastgpt.core.config import Settings
from tests.support.live import LiveServer

ROUTERS = (file_routes.router, init_routes.router)


def with_file_routes(app: FastAPI) -> FastAPI:
    """Include the routers (unless mounted) and close a lazily built file store at shutdown."""
    mounted = {getattr(route, "path", "") for route in app.routes}
    for router in ROUTERS:
        if not any(getattr(route, "path", "") in mounted for route in router.routes):
            app.include_router(router)
    original = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(running: FastAPI) -> AsyncIterator[Any]:
        async with original(running) as state:
            try:
                yield state
            finally:
                files = running.state.services.extras.get("files")
                if files is not None:
                    await files.store.aclose()

    app.router.lifespan_context = lifespan
    return app


@contextmanager
def serve_with_files(settings: Settings, *, backend: str, fake_llm: Any = None) -> Iterator[LiveServer]:
    original = live.create_app

    def create(*args: Any, **kwargs: Any) -> FastAPI:
        return with_file_routes(original(*args, **kwargs))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(live, "create_app", create)
        serving = live.serve(settings, backend=backend, fake_llm=fake_llm)
        server = serving.__enter__()
    try:
        yield server
    finally:
        serving.__exit__(None, None, None)


def file_app_graph(file_select_config: dict[str, Any], text: str = "got it") -> dict[str, Any]:
    """An answer-only app whose chat may upload the files `file_select_config` allows."""
    from tests.api.v1.chat.helpers import answer_app

    graph = answer_app(text)
    graph["chatConfig"] = {**graph.get("chatConfig", {}), "fileSelectConfig": file_select_config}
    return graph
