"""Session fixtures: a throwaway PostgreSQL, and the real server on SQLite and on PostgreSQL."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyfastgpt.core.config import Settings
from tests.fake_llm import FakeLLM
from tests.support.live import LiveServer, serve
from tests.support.pg import ThrowawayPostgres, throwaway_postgres

pytest_plugins = ["tests.fake_llm.fixtures"]

BACKENDS = ["sqlite", "pg"]
FAKE_MODEL = "fake-llm"


@pytest.fixture(scope="session")
def pg() -> Iterator[ThrowawayPostgres]:
    with throwaway_postgres() as cluster:
        yield cluster


def make_settings(
    backend: str, pg: ThrowawayPostgres | None, fake_llm: FakeLLM | None = None, **overrides: object
) -> Settings:
    data_dir = Path(tempfile.mkdtemp(prefix=f"pyfastgpt-{backend}-"))
    values: dict[str, object] = {
        "data_dir": data_dir,
        "log_level": "WARNING",
        "training_workers": 0,
        "local_llm_enabled": False,
    }
    if fake_llm is not None:
        values.update(openai_base_url=fake_llm.base_url, openai_api_key="test-key", default_llm=FAKE_MODEL)
    if backend == "pg":
        assert pg is not None
        values["database_url"] = pg.new_database()
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session", params=BACKENDS)
def server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    backend: str = request.param
    cluster = request.getfixturevalue("pg") if backend == "pg" else None
    fake = request.getfixturevalue("fake_llm")
    with serve(make_settings(backend, cluster, fake), backend=backend, fake_llm=fake) as live:
        yield live


@pytest.fixture(scope="session")
def sqlite_server(fake_llm: FakeLLM) -> Iterator[LiveServer]:
    with serve(make_settings("sqlite", None, fake_llm), backend="sqlite", fake_llm=fake_llm) as live:
        yield live


@pytest.fixture(scope="session")
def live_server(fake_llm: FakeLLM) -> Iterator[LiveServer]:
    """The server the SDK tests drive (`tests/sdk`): SQLite, with a training worker for dataset imports."""
    settings = make_settings("sqlite", None, fake_llm, training_workers=1)
    with serve(settings, backend="sqlite", fake_llm=fake_llm) as live:
        yield live
