"""A migrated SQLite and PostgreSQL database for the analytics service tests."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pyfastgpt.store.db import Database
from pyfastgpt.store.migrate import upgrade
from tests.support.pg import ThrowawayPostgres

TEAM = "team000000000000000000aa"


class Backend:
    """A migrated database driven from its own event loop (the test itself is synchronous)."""

    def __init__(self, url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(upgrade(url))
        self.db = Database(url)

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        self.run(self.db.dispose())
        self.loop.close()


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "pg":
        cluster: ThrowawayPostgres = request.getfixturevalue("pg")
        url = cluster.new_database()
    else:
        url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='analytics-')) / 'a.db'}"
    engine = Backend(url)
    yield engine
    engine.close()
