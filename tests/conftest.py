"""Session fixtures: a throwaway PostgreSQL, and the real server on SQLite and on PostgreSQL."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyfastgpt.core.config import Settings
from tests.support.live import LiveServer, serve
from tests.support.pg import ThrowawayPostgres, throwaway_postgres

BACKENDS = ["sqlite", "pg"]


@pytest.fixture(scope="session")
def pg() -> Iterator[ThrowawayPostgres]:
    with throwaway_postgres() as cluster:
        yield cluster


def make_settings(backend: str, pg: ThrowawayPostgres | None, **overrides: object) -> Settings:
    data_dir = Path(tempfile.mkdtemp(prefix=f"pyfastgpt-{backend}-"))
    values: dict[str, object] = {"data_dir": data_dir, "log_level": "WARNING", "training_workers": 0}
    if backend == "pg":
        assert pg is not None
        values["database_url"] = pg.new_database()
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session", params=BACKENDS)
def server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    backend: str = request.param
    cluster = request.getfixturevalue("pg") if backend == "pg" else None
    with serve(make_settings(backend, cluster), backend=backend) as live:
        yield live


@pytest.fixture(scope="session")
def sqlite_server() -> Iterator[LiveServer]:
    with serve(make_settings("sqlite", None), backend="sqlite") as live:
        yield live
