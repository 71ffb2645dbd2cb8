"""`kb_server`: the real app (SQLite and PostgreSQL) with the dataset routers mounted and training
workers running in its lifespan, its default embedding model the fake HTTP embedder."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from pyfastgpt.api.core.dataset import collection, data, dataset, training
from pyfastgpt.app import create_app
from pyfastgpt.core.config import Settings
from pyfastgpt.services.dataset import start_training_workers
from tests.conftest import make_settings
from tests.fake_llm import FakeLLM
from tests.support.live import LiveServer, free_port

FAKE_EMBEDDING = "fake-embedding"
DATASET_ROUTERS = (dataset.router, collection.router, data.router, training.router)


def models_config(directory: Path, fake: FakeLLM) -> Path:
    path = directory / "models.yaml"
    path.write_text(
        f"""
providers:
  fakeco: {{base_url: "{fake.base_url}", api_key: test-key}}
models:
  - {{id: {FAKE_EMBEDDING}, type: embedding, provider: fakeco, dimension: 384, batchSize: 16, defaultToken: 256}}
"""
    )
    return path


def kb_app(settings: Settings) -> FastAPI:
    """`create_app` plus the dataset routers (unless already mounted) and in-process workers."""
    app = create_app(settings)
    mounted = {getattr(route, "path", "") for route in app.routes}
    for router in DATASET_ROUTERS:
        if not any(getattr(route, "path", "") in mounted for route in router.routes):
            app.include_router(router)
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[Any]:
        async with inner(application) as state:
            handle = start_training_workers(application.state.services)
            try:
                yield state
            finally:
                await handle.stop()

    app.router.lifespan_context = lifespan
    return app


@contextmanager
def serve_kb(settings: Settings, *, backend: str, fake: FakeLLM) -> Iterator[LiveServer]:
    port = free_port()
    config = uvicorn.Config(kb_app(settings), host="127.0.0.1", port=port, log_level="warning", loop="asyncio")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-kb-{backend}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        credentials = json.loads((Path(settings.data_dir) / "credentials.json").read_text())
        yield LiveServer(
            base_url=f"http://127.0.0.1:{port}",
            settings=settings,
            backend=backend,
            root_key=settings.root_key or credentials["rootKey"],
            app_id=credentials["appId"],
            app_key=credentials["appKey"],
            fake_llm=fake,
        )
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="session", params=["sqlite", "pg"])
def kb_server(
    request: pytest.FixtureRequest, fake_llm: FakeLLM, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    backend: str = request.param
    cluster = request.getfixturevalue("pg") if backend == "pg" else None
    config = models_config(tmp_path_factory.mktemp(f"kb-models-{backend}"), fake_llm)
    settings = make_settings(backend, cluster, fake_llm, training_workers=2, models_config=config)
    with serve_kb(settings, backend=backend, fake=fake_llm) as live:
        yield live
