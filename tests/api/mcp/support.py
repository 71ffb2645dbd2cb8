"""Helpers of the MCP tests: MCP keys over the HTTP API, and the SDK's own client over a real socket."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from sqlalchemy.orm import Session

from pyfastgpt.store.db import Database
from pyfastgpt.store.models import McpKey, Team
from tests.support.live import LiveServer


def mcp_url(server: LiveServer, key: str) -> str:
    return f"{server.base_url}/api/mcp/app/{key}/mcp"


@asynccontextmanager
async def mcp_session(server: LiveServer, key: str) -> AsyncIterator[ClientSession]:
    """An initialized MCP client session (Streamable HTTP) on the key's endpoint."""
    async with (
        streamable_http_client(mcp_url(server, key)) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield session


def app_entry(app_id: str, tool_name: str, description: str = "A tool") -> dict[str, Any]:
    return {"appId": app_id, "toolName": tool_name, "description": description}


def create_mcp(
    server: LiveServer,
    apps: list[dict[str, Any]],
    *,
    datasets: list[dict[str, Any]] | None = None,
    auth: str | None = None,
) -> dict[str, Any]:
    """Create an MCP key over HTTP (`{}` answered, as FastGPT) and find it in the list by its name."""
    name = f"mcp-{uuid.uuid4().hex[:8]}"
    body: dict[str, Any] = {"name": name, "apps": apps}
    if datasets is not None:
        body["datasets"] = datasets
    with server.client(auth or server.root_key) as client:
        created = client.post("/api/support/mcp/create", json=body)
        assert created.status_code == 200, created.text
        assert created.json() == {"code": 200, "statusText": "", "message": "", "data": {}}
        listed = client.get("/api/support/mcp/list").json()["data"]
    found: dict[str, Any] = next(item for item in listed if item["name"] == name)
    return found


async def insert_foreign_mcp_key(server: LiveServer, apps: list[dict[str, Any]]) -> str:
    """An MCP key of a new team, written straight to the database (the API refuses such apps)."""
    key = uuid.uuid4().hex[:24]

    def unit(session: Session) -> None:
        team = Team(name=f"other-{key[:6]}")
        session.add(team)
        session.flush()
        session.add(McpKey(key=key, team_id=team.id, tmb_id=key, name="foreign", apps=apps, datasets=[]))

    db = Database(server.settings.resolved_database_url)
    try:
        await db.run_write_session(unit)
    finally:
        await db.dispose()
    return key
