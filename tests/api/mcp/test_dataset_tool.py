"""A dataset served as an MCP search tool (pyfastgpt's "dataset search as a tool"), on both backends.

The knowledge bases are written straight through the stores (as the search tests do); the server
reads them on its first search."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from pyfastgpt.ai.registry import build_registry
from pyfastgpt.store.db import Database
from pyfastgpt.store.fulltext import build_fulltext_index
from pyfastgpt.store.models import App, UsageRecord
from pyfastgpt.store.vector import build_vector_store
from tests.api.mcp.support import create_mcp, mcp_session
from tests.rag.search.corpus import FORBIDDEN, PASSWORD, corpus
from tests.rag.search.kb import Built, Collection, Env
from tests.support.live import LiveServer


@dataclass
class Kb:
    mine: Built
    theirs: Built
    db: Database


@pytest.fixture(scope="module")
async def kb(server: LiveServer) -> AsyncIterator[Kb]:
    db = Database(server.settings.resolved_database_url)
    registry: Any = build_registry(server.settings)
    writer = Env(
        server.backend,
        db,
        registry,
        build_vector_store(db, server.settings),
        build_fulltext_index(db),
        server.settings,
    )
    async with db.read() as session:
        app = await session.get(App, server.app_id)
    assert app is not None
    mine = await writer.add_dataset(app.team_id, corpus(), name="Handbook")
    other_team = await writer.add_team("someone else")
    theirs = await writer.add_dataset(other_team, [Collection("theirs", [PASSWORD])])
    yield Kb(mine, theirs, db)
    await writer.vectors.close()
    await registry.aclose()
    await db.dispose()


def _entry(dataset_id: str, **extra: Any) -> dict[str, Any]:
    return {"datasetId": dataset_id, "toolName": "search_kb", "description": "Search the handbook", **extra}


async def test_dataset_tool_lists_and_searches(server: LiveServer, kb: Kb) -> None:
    doc = create_mcp(server, [], datasets=[_entry(kb.mine.dataset_id, searchMode="mixedRecall")])
    assert doc["apps"] == []
    assert doc["datasets"] == [
        {
            "datasetId": kb.mine.dataset_id,
            "datasetName": "Handbook",  # filled from the dataset
            "toolName": "search_kb",
            "description": "Search the handbook",
            "searchMode": "mixedRecall",
            "limit": 5000,
            "similarity": 0.0,
            "usingReRank": False,
        }
    ]
    async with mcp_session(server, doc["key"]) as session:
        tools = (await session.list_tools()).tools
        result = await session.call_tool("search_kb", {"question": "忘记密码了应该怎么办"})
        empty = await session.call_tool("search_kb", {"question": "  "})
    assert [(t.name, t.description) for t in tools] == [("search_kb", "Search the handbook")]
    assert tools[0].input_schema["required"] == ["question"]
    assert result.is_error is False
    quotes = json.loads(result.content[0].text)  # type: ignore[union-attr]
    assert quotes[0]["id"] == kb.mine.data[PASSWORD.q]
    assert quotes[0]["content"] == f"{PASSWORD.q}\n{PASSWORD.a}"
    assert quotes[0]["sourceName"] == "guide" and set(quotes[0]) == {"id", "sourceName", "updateTime", "content"}
    assert all(FORBIDDEN.a not in q["content"] for q in quotes)  # forbidden collections stay hidden
    assert empty.is_error is True
    # the embedding used is billed to the key's team as an MCP usage
    async with kb.db.read() as session:
        usages = list((await session.execute(select(UsageRecord).where(UsageRecord.app_name == "search_kb"))).scalars())
    assert usages and usages[-1].source == "mcp"


async def test_a_dataset_of_another_team_cannot_be_served(server: LiveServer, kb: Kb) -> None:
    with server.root as client:
        response = client.post(
            "/api/support/mcp/create", json={"name": "steal", "apps": [], "datasets": [_entry(kb.theirs.dataset_id)]}
        )
        missing = client.post(
            "/api/support/mcp/create", json={"name": "gone", "apps": [], "datasets": [_entry("f" * 24)]}
        )
        bad_mode = client.post(
            "/api/support/mcp/create",
            json={"name": "bad", "apps": [], "datasets": [_entry(kb.mine.dataset_id, searchMode="nope")]},
        )
    assert response.status_code == 403 and response.json()["statusText"] == "unAuthDataset"
    assert missing.status_code == 404 and missing.json()["statusText"] == "unExistDataset"
    assert bad_mode.status_code == 400 and bad_mode.json()["statusText"] == "invalidParams"
