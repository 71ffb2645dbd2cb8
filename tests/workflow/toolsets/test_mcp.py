"""MCP tool sets against real MCP servers (official SDK, Streamable HTTP and SSE)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from pyfastgpt.workflow.events import ToolCallEvent, ToolResponseEvent
from pyfastgpt.workflow.node import NodeRunError
from pyfastgpt.workflow.runner import RunInput
from pyfastgpt.workflow.toolsets.mcp import McpClient
from tests.fake_llm import Reply
from tests.workflow.helpers import answer_text, run_graph, text_query
from tests.workflow.toolsets.builders import (
    lone_tool_app,
    mcp_tool_set_app,
    model_node,
    tool_calling_app,
    tool_set_node,
    value_input,
)
from tests.workflow.toolsets.conftest import TOKEN, McpServer, ToolSetApps, free_port


def text_of(result: dict) -> str:
    return "".join(part.get("text", "") for part in result["content"])


async def test_client_lists_and_calls_tools_over_streamable_http(mcp_streamable: McpServer):
    client = McpClient(mcp_streamable.url)
    tools = {tool["name"]: tool for tool in await client.list_tools()}
    assert sorted(tools) == ["add", "shout"]
    assert tools["add"]["description"] == "Add two integers."
    schema = tools["add"]["inputSchema"]
    assert schema["type"] == "object" and sorted(schema["properties"]) == ["a", "b"]
    assert sorted(schema["required"]) == ["a", "b"]
    result = await client.call_tool("add", {"a": 2, "b": 40})
    assert text_of(result) == "42" and result["isError"] is False


async def test_client_falls_back_to_sse(mcp_sse: McpServer):
    client = McpClient(mcp_sse.url)
    assert sorted(t["name"] for t in await client.list_tools()) == ["add", "shout"]
    assert text_of(await client.call_tool("shout", {"text": "hi"})) == "HI"


async def test_both_transports_refused_is_fastgpts_connection_error(mcp_guarded: McpServer):
    with pytest.raises(NodeRunError, match=r"^MCP connection failed\. Streamable HTTP: .+; SSE: .+"):
        await McpClient(mcp_guarded.url, {"Authorization": "Bearer wrong"}).list_tools()
    tools = await McpClient(mcp_guarded.url, {"Authorization": f"Bearer {TOKEN}"}).list_tools()
    assert len(tools) == 2


async def test_tool_set_attached_to_tools_node_offers_each_tool(deps, fake, mcp_streamable: McpServer):
    tool_list = await McpClient(mcp_streamable.url).list_tools()
    tool_set = tool_set_node(
        "maths", "Maths", {"mcpToolSet": {"toolId": "", "url": mcp_streamable.url, "toolList": tool_list}}
    )
    graph = tool_calling_app(model_node("agent", "tools"), [tool_set])
    fake.script(Reply(tool_calls=[("maths0", '{"a": 2, "b": 3}')]), Reply(content="2 + 3 = 5."))

    result, events = await run_graph(deps, graph, RunInput(query=text_query("what is 2 + 3?")))

    assert result.error is None, result.flow_responses
    offered = {t["function"]["name"]: t["function"] for t in fake.requests[0]["tools"]}
    assert sorted(offered) == ["maths0", "maths1"]
    assert offered["maths0"]["description"] == "Add two integers."
    assert offered["maths0"]["parameters"] == tool_list[0]["inputSchema"]
    call = next(e.tool for e in events if isinstance(e, ToolCallEvent))
    assert call["toolName"] == "Maths/add" and call["functionName"] == "maths0"
    response = next(e.tool["response"] for e in events if isinstance(e, ToolResponseEvent))
    assert json.loads(response)["content"][0]["text"] == "5"
    tool_message = fake.requests[1]["messages"][-1]
    assert tool_message["role"] == "tool" and '"text": "5"' in tool_message["content"]
    assert answer_text(result) == "2 + 3 = 5."
    detail = result.flow_responses[-1]["toolDetail"][0]
    assert detail["moduleType"] == "tool" and detail["moduleName"] == "Maths/add"
    assert detail["toolInput"] == {"a": 2, "b": 3}
    assert text_of(detail["toolRes"]) == "5" and detail["moduleLogo"] == "core/app/type/mcpToolsFill"


async def test_tool_set_list_comes_from_the_stored_app_with_saved_descriptions(deps, fake, mcp_sse: McpServer):
    tool_list = await McpClient(mcp_sse.url).list_tools()
    apps = ToolSetApps({"set1": mcp_tool_set_app(mcp_sse.url, tool_list)})
    saved = {"toolId": "set1", "url": "", "toolList": [{"name": "shout", "description": "Make it loud"}]}
    graph = tool_calling_app(model_node("agent", "tools"), [tool_set_node("loud", "Loud", {"mcpToolSet": saved})])
    fake.script(Reply(tool_calls=[("loud1", '{"text": "quiet"}')]), Reply(content="QUIET it is."))

    result, _ = await run_graph(dataclasses.replace(deps, app_loader=apps), graph, RunInput(query=text_query("shout")))

    assert result.error is None, result.flow_responses
    offered = {t["function"]["name"]: t["function"]["description"] for t in fake.requests[0]["tools"]}
    assert offered == {"loud0": "Add two integers.", "loud1": "Make it loud"}
    assert text_of(result.flow_responses[-1]["toolDetail"][0]["toolRes"]) == "QUIET"


async def test_lone_mcp_tool_node_is_the_entry_of_a_tool_app(plain_deps, mcp_sse: McpServer):
    tool_list = await McpClient(mcp_sse.url).list_tools()
    apps = ToolSetApps({"set1": mcp_tool_set_app(mcp_sse.url, tool_list)})
    graph = lone_tool_app({"mcpTool": {"toolId": "mcp-set1/shout"}}, [value_input("text", "hello")])

    result, _ = await run_graph(dataclasses.replace(plain_deps, app_loader=apps), graph)

    assert result.error is None, result.flow_responses
    response = result.flow_responses[0]
    assert response["moduleType"] == "tool" and response["toolInput"] == {"text": "hello"}
    assert text_of(response["toolRes"]) == "HELLO" and response["moduleLogo"] == "tool-avatar"


async def test_legacy_tool_data_node_sends_its_header_secret(plain_deps, mcp_guarded: McpServer):
    tool_data = {
        "name": "add",
        "url": mcp_guarded.url,
        "headerSecret": {"Bearer": {"value": TOKEN, "secret": ""}},
        "inputSchema": {"type": "object", "properties": {}},
    }
    inputs = [
        value_input("toolData", tool_data, "object"),
        value_input("a", 1, "number"),
        value_input("b", 2, "number"),
    ]

    result, _ = await run_graph(plain_deps, lone_tool_app({}, inputs))

    assert result.error is None, result.flow_responses
    assert result.flow_responses[0]["toolInput"] == {"a": 1, "b": 2}
    assert text_of(result.flow_responses[0]["toolRes"]) == "3"


async def test_mcp_server_down_is_a_node_error(plain_deps):
    url = f"http://127.0.0.1:{free_port()}/mcp"
    apps = ToolSetApps({"gone": mcp_tool_set_app(url, [])})
    graph = lone_tool_app({"mcpTool": {"toolId": "mcp-gone/add"}}, [value_input("a", 1, "number")])

    result, _ = await run_graph(dataclasses.replace(plain_deps, app_loader=apps), graph)

    response = result.flow_responses[0]
    assert response["errorText"] and result.error == response["errorText"]
    assert response["toolInput"] == {"a": 1}


async def test_unknown_mcp_tool_set_app_is_a_node_error(plain_deps):
    graph = lone_tool_app({"mcpTool": {"toolId": "mcp-nowhere/add"}}, [])
    result, _ = await run_graph(dataclasses.replace(plain_deps, app_loader=ToolSetApps()), graph)
    assert result.flow_responses[0]["errorText"] == "MCP tool set not found: nowhere"
