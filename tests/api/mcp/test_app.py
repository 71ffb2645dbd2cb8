"""`/api/mcp/app/{key}/mcp`: the MCP SDK's own client over a real socket, on SQLite and PostgreSQL.

FastGPT: `projects/app/src/pages/api/mcp/app/[key]/mcp.ts` and `service/support/mcp/utils.ts`
(`getMcpServerTools`, `callMcpServerTool`)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError
from sqlalchemy import select

from pyfastgpt.store.db import Database
from pyfastgpt.store.models import UsageRecord
from tests.api.core.chat.support import add_key, histories
from tests.api.mcp.support import app_entry, create_mcp, insert_foreign_mcp_key, mcp_session, mcp_url
from tests.api.v1.chat.helpers import answer_app, create_app, load_fixture
from tests.fake_llm import FakeLLM, Reply
from tests.support.live import LiveServer

JSON_ACCEPT = {"accept": "application/json, text/event-stream", "content-type": "application/json"}


def _texts(result: Any) -> list[str]:
    return [block.text for block in result.content]


async def test_tools_are_the_keys_chat_apps_and_plugins_with_fastgpt_schemas(server: LiveServer) -> None:
    chat_app, _ = create_app(server, load_fixture("simple_chat"), app_type="simple")
    plugin, _ = create_app(server, load_fixture("plugin_greet"), app_type="plugin")
    graph = answer_app("fixed")
    graph["chatConfig"] = {
        "fileSelectConfig": {"canSelectFile": True},
        "variables": [
            {"key": "age", "valueType": "number", "required": True, "description": "Age"},
            {"key": "tone", "valueType": "string", "enums": [{"value": "warm"}, {"value": "dry"}]},
        ],
    }
    workflow, _ = create_app(server, graph)
    with server.root as client:
        folder = client.post("/api/core/app/folder/create", json={"name": "folder"}).json()["data"]
    doc = create_mcp(
        server,
        [
            app_entry(chat_app, "ask", "Ask the assistant"),
            app_entry(plugin, "greet", "Greets someone"),
            app_entry(workflow, "fixed"),
            app_entry(folder, "folder"),  # not a chat app: not a tool (FastGPT filters app types)
        ],
    )
    async with mcp_session(server, doc["key"]) as session:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
    assert list(tools) == ["ask", "greet", "fixed"]
    assert tools["ask"].description == "Ask the assistant"
    assert tools["ask"].input_schema == {
        "type": "object",
        "properties": {
            "question": {"type": "string", "description": "Question from user"},
            "company": {"type": "string"},
        },
        "required": ["question"],
    }
    assert tools["greet"].input_schema == {
        "type": "object",
        "properties": {"who": {"type": "string"}},
        "required": ["who"],
    }
    assert tools["fixed"].input_schema == {
        "type": "object",
        "properties": {
            "question": {"type": "string", "description": "Question from user"},
            "fileUrlList": {"type": "array", "items": {"type": "string"}, "description": "File linkage"},
            "age": {"type": "number", "description": "Age"},
            "tone": {"type": "string", "enum": ["warm", "dry"]},
        },
        "required": ["question", "age"],
    }


async def test_call_app_tool_runs_a_chat_round_with_the_variables(server: LiveServer, fake: FakeLLM) -> None:
    app_id, _ = create_app(server, load_fixture("simple_chat"), app_type="simple")
    doc = create_mcp(server, [app_entry(app_id, "ask")])
    fake.rule("capital of France", Reply(content="  Paris [0123456789abcdef01234567](CITE) is the capital.  "))
    async with mcp_session(server, doc["key"]) as session:
        result = await session.call_tool("ask", {"question": "capital of France?", "company": "Initech"})
    assert result.is_error is False
    assert _texts(result) == ["Paris  is the capital."]  # trimmed, cite markers removed
    system = fake.requests[-1]["messages"][0]
    assert system["role"] == "system" and "Initech" in system["content"]  # arguments are the chat variables
    # the round is saved as an MCP chat of the key's member
    page = histories(server, server.root_key, app_id, source="mcp")
    assert page["total"] == 1 and page["list"][0]["title"] == "capital of France?"
    db = Database(server.settings.resolved_database_url)
    try:
        async with db.read() as session:
            query = select(UsageRecord.source).where(UsageRecord.app_id == app_id)
            assert list((await session.execute(query)).scalars()) == ["mcp"]  # billed as an MCP usage
    finally:
        await db.dispose()


async def test_call_plugin_tool_answers_the_plugin_output_as_json(server: LiveServer) -> None:
    plugin, _ = create_app(server, load_fixture("plugin_greet"), app_type="plugin")
    doc = create_mcp(server, [app_entry(plugin, "greet")])
    async with mcp_session(server, doc["key"]) as session:
        result = await session.call_tool("greet", {"who": "Ada"})
    assert result.is_error is False
    assert _texts(result) == ['{"greeting":"Hello Ada"}']


async def test_tool_errors_are_error_results(server: LiveServer) -> None:
    app_id, _ = create_app(server, answer_app("hi"))
    doc = create_mcp(server, [app_entry(app_id, "hi")])
    async with mcp_session(server, doc["key"]) as session:
        unknown = await session.call_tool("nope", {})
        no_question = await session.call_tool("hi", {})
        fine = await session.call_tool("hi", {"question": "hello"})
    assert unknown.is_error is True and _texts(unknown) == ["Tool 'nope' does not exist"]
    assert no_question.is_error is True and _texts(no_question) == ["question is required"]
    assert fine.is_error is False and _texts(fine) == ["hi"]


async def test_bad_key_is_401_with_a_jsonrpc_error(server: LiveServer) -> None:
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    }
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(mcp_url(server, "no-such-key"), json=initialize, headers=JSON_ACCEPT)
    assert response.status_code == 401
    assert response.json() == {
        "jsonrpc": "2.0",
        "error": {
            "code": -32600,
            "message": "Invalid MCP key",
            "data": {"code": 507001, "statusText": "invalidResource"},
        },
        "id": None,
    }
    # the SDK's client surfaces it as an MCP error on initialize
    async with (
        streamable_http_client(mcp_url(server, "no-such-key")) as (read, write),
        ClientSession(read, write) as session,
    ):
        with pytest.raises(MCPError, match="Invalid MCP key"):
            await session.initialize()


async def test_only_post_is_served(server: LiveServer) -> None:
    app_id, _ = create_app(server, answer_app("hi"))
    doc = create_mcp(server, [app_entry(app_id, "hi")])
    async with httpx.AsyncClient(timeout=30) as client:
        for method in ("GET", "DELETE"):
            response = await client.request(method, mcp_url(server, doc["key"]), headers=JSON_ACCEPT)
            assert response.status_code == 405 and response.headers["allow"] == "POST"
            assert response.json() == {
                "jsonrpc": "2.0",
                "error": {"code": -32000, "message": "Method not allowed."},
                "id": None,
            }


async def test_a_key_reaches_no_app_of_another_team(server: LiveServer) -> None:
    """A key whose team does not own the app lists no tool for it and cannot call it."""
    app_id, _ = create_app(server, answer_app("secret"))
    stranger = await asyncio.to_thread(add_key, server, other_team=True)
    # through the API: another team's key cannot put our app in its key
    with server.client(stranger) as client:
        refused = client.post("/api/support/mcp/create", json={"name": "steal", "apps": [app_entry(app_id, "steal")]})
    assert refused.status_code == 403 and refused.json()["statusText"] == "unAuthApp"
    # written straight to the database: still no tool, and a call fails without running the app
    foreign = await insert_foreign_mcp_key(server, [app_entry(app_id, "steal")])
    async with mcp_session(server, foreign) as session:
        assert (await session.list_tools()).tools == []
        result = await session.call_tool("steal", {"question": "hi"})
    assert result.is_error is True and "secret" not in json.dumps(_texts(result))
