"""A migrated, empty database of the backend a test is parametrized with (`params=["sqlite", "pg"]`)."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from pyfastgpt.store.db import Database
from pyfastgpt.store.migrate import upgrade


@asynccontextmanager
async def migrated_database(request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    """SQLite in a temp dir, or a new database of the session's throwaway PostgreSQL (`pg` fixture)."""
    if request.param == "pg":
        url = request.getfixturevalue("pg").new_database()
    else:
        url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'test.db'}"
    await upgrade(url)
    database = Database(url)
    try:
        yield database
    finally:
        await database.dispose()
