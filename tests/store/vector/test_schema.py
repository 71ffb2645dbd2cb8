"""Migration 0002 on both backends: tables match the metadata (with the `kbx_*` raw-SQL objects hidden)
and downgrade removes everything it created."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

import pyfastgpt.store.fulltext
import pyfastgpt.store.vector  # noqa: F401  (registers dataset_vectors on Base.metadata)
from pyfastgpt.store import migrate
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import Base
from pyfastgpt.store.vector import include_name
from tests.store.vector.support import BACKENDS, database_url

KB_TABLES = {"dataset_vectors", "dataset_texts"}


def _diff(conn: Connection) -> list[object]:
    context = MigrationContext.configure(conn, opts={"compare_type": False, "include_name": include_name})
    return list(compare_metadata(context, Base.metadata))


def _names(conn: Connection) -> tuple[set[str], set[str]]:
    inspector = inspect(conn)
    tables = set(inspector.get_table_names())
    indexes = {ix["name"] for t in tables for ix in inspector.get_indexes(t) if ix["name"]}
    return tables, indexes


@pytest.mark.parametrize("backend", BACKENDS)
async def test_migration_matches_metadata_and_downgrades(backend: str, request: pytest.FixtureRequest) -> None:
    url = database_url(backend, request)
    await migrate.upgrade(url)
    db = Database(url)
    try:
        assert await db.run_read(_diff) == []
        tables, indexes = await db.run_read(_names)
        assert tables >= KB_TABLES
        if backend == "sqlite":
            assert "kbx_texts_fts" in tables
        else:
            assert {"kbx_vectors_hnsw_384", "kbx_vectors_hnsw_1536", "kbx_texts_tsv_gin"} <= indexes
        await migrate.downgrade(url, "0001")
        tables, _ = await db.run_read(_names)
        assert not {t for t in tables if t in KB_TABLES or t.startswith("kbx_")}
        await migrate.upgrade(url)  # and back up again
    finally:
        await db.dispose()


async def test_hnsw_indexes_are_built_with_m_12(request: pytest.FixtureRequest) -> None:
    """Migration 0011 rebuilds the graphs with 12 links a node (16 again on downgrade)."""
    url = database_url("pg", request)
    await migrate.upgrade(url)
    db = Database(url)

    def options(conn: Connection) -> dict[str, list[str]]:
        rows = conn.execute(text("SELECT relname, reloptions FROM pg_class WHERE relname LIKE 'kbx_vectors_hnsw_%'"))
        return {name: list(opts) for name, opts in rows}

    try:
        assert await db.run_read(options) == {
            f"kbx_vectors_hnsw_{dim}": ["m=12", "ef_construction=64"] for dim in (384, 512, 1024, 1536)
        }
        await migrate.downgrade(url, "0010")
        assert all(opts == ["m=16", "ef_construction=64"] for opts in (await db.run_read(options)).values())
    finally:
        await db.dispose()


async def test_graphs_cover_linked_rows_and_a_partial_btree_the_waiting_ones(request: pytest.FixtureRequest) -> None:
    """Migration 0014: graphs partial on `indexed`, `kbx_vectors_unindexed` over the rest; its downgrade
    links every waiting row into graphs over all rows of their dimension again."""
    url = database_url("pg", request)
    await migrate.upgrade(url)
    db = Database(url)

    def definitions(conn: Connection) -> dict[str, str]:
        rows = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'kbx_vectors_%'"))
        return {name: definition.split(" WHERE ")[-1] for name, definition in rows}

    def waiting_row(conn: Connection) -> None:
        conn.execute(
            text(
                "INSERT INTO dataset_vectors (id, team_id, dataset_id, collection_id, dim, embedding, indexed)"
                " VALUES (1, 't', 'd', 'c', 3, '[1,0,0]', false)"
            )
        )

    try:
        assert await db.run_read(definitions) == {
            "kbx_vectors_unindexed": "(NOT indexed)",
            **{f"kbx_vectors_hnsw_{dim}": f"((dim = {dim}) AND indexed)" for dim in (384, 512, 1024, 1536)},
        }
        await db.run_write(waiting_row)
        await migrate.downgrade(url, "0013")
        assert await db.run_read(definitions) == {
            f"kbx_vectors_hnsw_{dim}": f"(dim = {dim})" for dim in (384, 512, 1024, 1536)
        }
        assert await db.run_read(lambda conn: conn.execute(text("SELECT count(*) FROM dataset_vectors")).scalar())
        await migrate.upgrade(url)
        linked = text("SELECT indexed FROM dataset_vectors WHERE id = 1")
        assert await db.run_read(lambda conn: conn.execute(linked).scalar_one()) is True
    finally:
        await db.dispose()
