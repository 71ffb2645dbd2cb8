"""`kb_server`: the real app (SQLite and PostgreSQL) with training workers running in its lifespan,
its default embedding model the fake HTTP embedder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import make_settings
from tests.fake_llm import FakeLLM
from tests.support.live import LiveServer, serve

FAKE_EMBEDDING = "fake-embedding"


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


@pytest.fixture(scope="session", params=["sqlite", "pg"])
def kb_server(
    request: pytest.FixtureRequest, fake_llm: FakeLLM, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    backend: str = request.param
    cluster = request.getfixturevalue("pg") if backend == "pg" else None
    config = models_config(tmp_path_factory.mktemp(f"kb-models-{backend}"), fake_llm)
    settings = make_settings(backend, cluster, fake_llm, training_workers=2, models_config=config)
    with serve(settings, backend=backend, fake_llm=fake_llm) as live:
        yield live
