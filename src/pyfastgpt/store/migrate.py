"""Run Alembic migrations programmatically on SQLite or PostgreSQL (async engines)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

from pyfastgpt.store.db import migration_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 0x70796667  # pg_advisory_xact_lock key: replicas starting together migrate one at a time


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _run(connection: Connection, action: str, *args: Any) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    getattr(command, action)(config, *args)


async def _on_connection(url: str, action: str, *args: Any) -> None:
    engine = migration_engine(url)
    try:
        async with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            await connection.run_sync(_run, action, *args)
    finally:
        await engine.dispose()


async def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` to `revision` (creating the SQLite file if needed)."""
    await _on_connection(url, "upgrade", revision)


async def downgrade(url: str, revision: str) -> None:
    await _on_connection(url, "downgrade", revision)


async def autogenerate(url: str, message: str) -> None:
    """Developer helper: write a new revision from the model changes."""
    await _on_connection(url, "revision", message, True)
