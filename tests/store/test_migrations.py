from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import inspect

from pyfastgpt.store import migrate
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import Base
from pyfastgpt.store.vector import include_name
from tests.support.pg import ThrowawayPostgres


def _url(backend: str, pg: ThrowawayPostgres | None) -> str:
    if backend == "pg":
        assert pg is not None
        return pg.new_database()
    return f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'm.db'}"


async def _tables(url: str) -> set[str]:
    db = Database(url)
    try:
        return set(await db.run_read(lambda c: inspect(c).get_table_names()))
    finally:
        await db.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "pg"])
def test_upgrade_creates_every_table_and_downgrade_removes_them(backend: str, request: pytest.FixtureRequest) -> None:
    pg = request.getfixturevalue("pg") if backend == "pg" else None
    url = _url(backend, pg)
    asyncio.run(migrate.upgrade(url))
    tables = asyncio.run(_tables(url))
    assert set(Base.metadata.tables) <= tables
    asyncio.run(migrate.upgrade(url))  # idempotent
    asyncio.run(migrate.downgrade(url, "base"))
    assert asyncio.run(_tables(url)) <= {"alembic_version"}


@pytest.mark.parametrize("backend", ["sqlite", "pg"])
def test_models_match_migrations(backend: str, request: pytest.FixtureRequest) -> None:
    """Autogenerate finds nothing to do: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    pg = request.getfixturevalue("pg") if backend == "pg" else None
    url = _url(backend, pg)
    asyncio.run(migrate.upgrade(url))

    async def diff() -> list[object]:
        db = Database(url)
        try:
            return await db.run_read(
                lambda c: compare_metadata(
                    MigrationContext.configure(c, opts={"compare_type": False, "include_name": include_name}),
                    Base.metadata,
                )
            )
        finally:
            await db.dispose()

    assert asyncio.run(diff()) == []
