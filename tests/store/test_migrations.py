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


@pytest.mark.parametrize("backend", ["sqlite", "pg"])
def test_0015_marks_the_existing_apps_with_an_interactive_node(backend: str, request: pytest.FixtureRequest) -> None:
    """Migration 0015 reads every app's workflow once: `has_interactive_node` is true exactly for the apps whose
    nodes hold a `userSelect` or `formInput`; its downgrade drops the column."""
    from datetime import UTC, datetime

    from sqlalchemy import JSON, column, insert, table, text

    pg = request.getfixturevalue("pg") if backend == "pg" else None
    url = _url(backend, pg)
    asyncio.run(migrate.upgrade(url, "0014"))
    apps = table("apps", *(column(name) for name in ("id", "team_id", "tmb_id", "type", "name", "avatar", "intro",
                                                      "version", "create_time", "update_time")),
                 column("modules", JSON), column("edges", JSON), column("chat_config", JSON))  # fmt: skip
    now = datetime(2026, 1, 1, tzinfo=UTC)
    workflows = {
        "a" * 24: [{"flowNodeType": "workflowStart"}, {"flowNodeType": "formInput"}],
        "b" * 24: [{"flowNodeType": "workflowStart"}, {"flowNodeType": "chatNode"}],
        "c" * 24: [{"flowNodeType": "userSelect"}],
        "d" * 24: [],
    }

    async def seed() -> None:
        db = Database(url)
        try:
            await db.run_write(lambda c: c.execute(text("INSERT INTO teams (id, name, create_time) VALUES "
                                                        "(:id, 't', :now)"), {"id": "t" * 24, "now": now}))  # fmt: skip
            rows = [{"id": app_id, "team_id": "t" * 24, "tmb_id": "m" * 24, "type": "advanced", "name": app_id,
                     "avatar": "", "intro": "", "version": "v2", "create_time": now, "update_time": now,
                     "modules": nodes, "edges": [], "chat_config": {}} for app_id, nodes in workflows.items()]  # fmt: skip
            await db.run_write(lambda c: c.execute(insert(apps), rows))
        finally:
            await db.dispose()

    async def flags() -> dict[str, bool]:
        db = Database(url)
        try:
            rows = await db.run_read(lambda c: c.execute(text("SELECT id, has_interactive_node FROM apps")).all())
        finally:
            await db.dispose()
        return {row[0]: bool(row[1]) for row in rows}

    asyncio.run(seed())
    asyncio.run(migrate.upgrade(url))
    assert asyncio.run(flags()) == {"a" * 24: True, "b" * 24: False, "c" * 24: True, "d" * 24: False}
    asyncio.run(migrate.downgrade(url, "0014"))
    columns = asyncio.run(_columns(url, "apps"))
    assert "has_interactive_node" not in columns and "modules" in columns


async def _columns(url: str, table_name: str) -> set[str]:
    db = Database(url)
    try:
        return {c["name"] for c in await db.run_read(lambda conn: inspect(conn).get_columns(table_name))}
    finally:
        await db.dispose()
