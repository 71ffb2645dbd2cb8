"""`/api/support/mcp/{list,create,update,delete}` over HTTP on SQLite and PostgreSQL, and the
`mcp_keys` migration. FastGPT: `projects/app/src/pages/api/support/mcp/*.ts`,
`packages/service/support/mcp/schema.ts`, `packages/service/support/permission/mcp/auth.ts`."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import inspect

from pyfastgpt.store import migrate
from pyfastgpt.store.db import Database
from tests.api.core.chat.support import add_key, call, data_of, refused
from tests.api.mcp.support import app_entry, create_mcp, mcp_session, mcp_url
from tests.api.v1.chat.helpers import answer_app, create_app
from tests.support.live import LiveServer
from tests.support.pg import ThrowawayPostgres

LIST = "/api/support/mcp/list"
CREATE = "/api/support/mcp/create"
UPDATE = "/api/support/mcp/update"
DELETE = "/api/support/mcp/delete"


def _listed(server: LiveServer, key: str | None = None) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = data_of(call(server, key or server.root_key, "GET", LIST))
    return result


def test_create_list_update_delete(server: LiveServer) -> None:
    first, _ = create_app(server, answer_app("one"), name="First")
    second, _ = create_app(server, answer_app("two"), name="Second")
    # a repeated appId keeps its first entry; appName defaults to the app's name
    doc = create_mcp(
        server, [app_entry(first, "one", "First tool"), app_entry(first, "again"), app_entry(second, "two")]
    )
    assert set(doc) == {"_id", "key", "teamId", "tmbId", "name", "apps", "datasets"}
    assert len(doc["key"]) == 24 and doc["key"].isalnum()
    assert doc["apps"] == [
        {"appId": first, "appName": "First", "toolName": "one", "description": "First tool"},
        {"appId": second, "appName": "Second", "toolName": "two", "description": "A tool"},
    ]
    newer = create_mcp(server, [app_entry(second, "two")])
    ids = [item["_id"] for item in _listed(server)]
    assert ids.index(newer["_id"]) < ids.index(doc["_id"])  # newest first

    body = {"id": doc["_id"], "name": "Renamed", "apps": [{**app_entry(second, "only"), "appName": "Custom"}]}
    assert data_of(call(server, server.root_key, "PUT", UPDATE, json=body)) == {}
    updated = next(item for item in _listed(server) if item["_id"] == doc["_id"])
    assert updated["name"] == "Renamed" and updated["key"] == doc["key"]
    assert updated["apps"] == [{"appId": second, "appName": "Custom", "toolName": "only", "description": "A tool"}]
    # an empty name keeps the old one (FastGPT `...(name && { name })`)
    data_of(call(server, server.root_key, "PUT", UPDATE, json={"id": doc["_id"], "name": "", "apps": []}))
    updated = next(item for item in _listed(server) if item["_id"] == doc["_id"])
    assert updated["name"] == "Renamed" and updated["apps"] == []

    assert data_of(call(server, server.root_key, "DELETE", DELETE, params={"id": doc["_id"]})) == {}
    assert doc["_id"] not in [item["_id"] for item in _listed(server)]
    refused(call(server, server.root_key, "DELETE", DELETE, params={"id": doc["_id"]}), 404, "invalidResource")


def test_bad_input_is_refused_with_fastgpt_envelopes(server: LiveServer) -> None:
    app_id, _ = create_app(server, answer_app("x"))
    root = server.root_key
    refused(call(server, root, "POST", CREATE, json={"name": "empty", "apps": []}), 400, "missingParams")
    no_tool = {"name": "n", "apps": [{"appId": app_id, "description": "d"}]}
    assert call(server, root, "POST", CREATE, json=no_tool).status_code == 400
    assert call(server, root, "POST", CREATE, json={"apps": [app_entry(app_id, "t")]}).status_code == 400
    same_name = {"name": "n", "apps": [app_entry(app_id, "t"), app_entry(server.app_id, "t")]}
    refused(call(server, root, "POST", CREATE, json=same_name), 400, "invalidParams")
    refused(
        call(server, root, "POST", CREATE, json={"name": "n", "apps": [app_entry("f" * 24, "t")]}), 404, "appUnExist"
    )
    refused(call(server, root, "PUT", UPDATE, json={"id": "f" * 24, "name": "x"}), 404, "invalidResource")
    assert call(server, root, "DELETE", DELETE).status_code == 400


def test_only_the_team_manages_its_keys(server: LiveServer) -> None:
    app_id, app_key = create_app(server, answer_app("mine"))
    doc = create_mcp(server, [app_entry(app_id, "mine")])
    # no credential, and an app-bound key
    with httpx.Client(base_url=server.base_url, timeout=30) as anonymous:
        assert anonymous.get(LIST).status_code == 401
    refused(call(server, app_key, "GET", LIST), 403, "unAuthorization")
    refused(
        call(server, app_key, "POST", CREATE, json={"name": "n", "apps": [app_entry(app_id, "t")]}),
        403,
        "unAuthorization",
    )
    refused(call(server, app_key, "DELETE", DELETE, params={"id": doc["_id"]}), 403, "unAuthorization")
    # a team key of the same team manages it; another team sees and touches nothing of ours
    team_key = data_of(call(server, server.root_key, "POST", "/api/support/openapi/create", json={"name": "team"}))
    assert doc["_id"] in [item["_id"] for item in _listed(server, team_key)]
    stranger = add_key(server, other_team=True)
    assert _listed(server, stranger) == []
    refused(call(server, stranger, "PUT", UPDATE, json={"id": doc["_id"], "name": "mine now"}), 403, "unAuthorization")
    refused(call(server, stranger, "DELETE", DELETE, params={"id": doc["_id"]}), 403, "unAuthorization")
    assert next(item for item in _listed(server) if item["_id"] == doc["_id"])["name"] == doc["name"]


async def test_changes_reach_the_endpoint_at_once(server: LiveServer) -> None:
    first, _ = create_app(server, answer_app("one"))
    second, _ = create_app(server, answer_app("two"))
    doc = create_mcp(server, [app_entry(first, "one")])
    async with mcp_session(server, doc["key"]) as session:
        assert [t.name for t in (await session.list_tools()).tools] == ["one"]
    body = {"id": doc["_id"], "name": "", "apps": [app_entry(second, "two")]}
    data_of(await asyncio.to_thread(call, server, server.root_key, "PUT", UPDATE, json=body))
    async with mcp_session(server, doc["key"]) as session:
        assert [t.name for t in (await session.list_tools()).tools] == ["two"]
    data_of(await asyncio.to_thread(call, server, server.root_key, "DELETE", DELETE, params={"id": doc["_id"]}))
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(
            mcp_url(server, doc["key"]),
            json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
            headers={"accept": "application/json, text/event-stream"},
        )
    assert response.status_code == 401


async def _tables(url: str) -> set[str]:
    db = Database(url)
    try:
        return await db.run_read(lambda conn: set(inspect(conn).get_table_names()))
    finally:
        await db.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "pg"])
async def test_migration_0004_adds_and_removes_mcp_keys(backend: str, request: pytest.FixtureRequest) -> None:
    if backend == "pg":
        cluster: ThrowawayPostgres = request.getfixturevalue("pg")
        url = cluster.new_database()
    else:
        url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'm.db'}"
    await migrate.upgrade(url, "0003")
    assert "mcp_keys" not in await _tables(url)
    await migrate.upgrade(url, "0004")
    assert "mcp_keys" in await _tables(url)
    await migrate.downgrade(url, "0003")
    tables = await _tables(url)
    assert "mcp_keys" not in tables and "api_keys" in tables
