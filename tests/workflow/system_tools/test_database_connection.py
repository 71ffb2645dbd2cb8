"""`databaseConnection` on a throwaway PostgreSQL (the `pg` fixture of tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.workflow.system_tools.helpers import run_tool

pytestmark = pytest.mark.pg


def _connection(pg, database: str, **extra: object) -> dict[str, object]:
    return {
        "databaseType": "PostgreSQL",
        "host": "127.0.0.1",
        "port": str(pg.port),
        "databaseName": database,
        "user": "postgres",
        "password": "",
        **extra,
    }


async def test_runs_sql_and_returns_rows(open_deps, pg) -> None:
    database = pg.new_database().rsplit("/", 1)[1]
    pg.psql(
        "CREATE TABLE items (id int, name text, price numeric(6,2)); "
        "INSERT INTO items VALUES (1, 'pen', 1.50), (2, 'book', 12.00)",
        database,
    )
    sql = "SELECT id, name, price FROM items ORDER BY id"
    result, response = await run_tool(
        open_deps, "community-databaseConnection", _connection(pg, database, sql=sql), ["result"]
    )
    assert result.error is None, result.flow_responses
    assert response["toolRes"] == {
        "result": [{"id": 1, "name": "pen", "price": "1.50"}, {"id": 2, "name": "book", "price": "12.00"}]
    }


async def test_secrets_from_system_input_config_and_sql_errors(open_deps, pg) -> None:
    database = pg.new_database().rsplit("/", 1)[1]
    config = {
        "type": "manual",
        "value": {k: {"value": v, "secret": ""} for k, v in _connection(pg, database).items() if v},
    }
    result, _ = await run_tool(
        open_deps, "databaseConnection", {"system_input_config": config, "sql": "SELECT * FROM nope"}
    )
    assert result.error == 'relation "nope" does not exist'


async def test_unsupported_database_type(open_deps) -> None:
    result, _ = await run_tool(
        open_deps, "databaseConnection", {"databaseType": "MySQL", "host": "db", "sql": "select 1"}
    )
    assert result.error == "MySQL is not supported by this server (PostgreSQL only)"


async def test_private_database_host_refused_by_default(guarded_deps) -> None:
    inputs = {"databaseType": "PostgreSQL", "host": "127.0.0.1", "port": 5432, "sql": "select 1"}
    result, _ = await run_tool(guarded_deps, "databaseConnection", inputs)
    assert result.error == "Refusing to connect to 127.0.0.1: it resolves to a private or reserved address"
