"""HTTP tool sets against a local aiohttp API, system tools, and the agent node's tool loop."""

from __future__ import annotations

import dataclasses
import json

from pyfastgpt.workflow.events import AnswerDelta, ToolCallEvent
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
from tests.workflow.toolsets.conftest import HttpApi, McpServer, ToolSetApps

WEATHER_TOOL = {
    "name": "getWeather",
    "description": "Weather of a city",
    "path": "/weather",
    "method": "get",
    "inputSchema": {
        "type": "object",
        "properties": {"city": {"type": "string", "description": "City"}},
        "required": ["city"],
    },
    "outputSchema": {"type": "object", "properties": {"weather": {"type": "string"}}},
    "staticHeaders": [{"key": "X-City", "value": "{{city}}"}],
}
OPENAPI = {
    "openapi": "3.0.0",
    "info": {"title": "items", "version": "1"},
    "paths": {
        "/items/{item_id}": {
            "post": {
                "operationId": "createItem",
                "parameters": [
                    {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "dryRun", "in": "query", "schema": {"type": "boolean"}},
                ],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"title": {"type": "string"}},
                                "required": ["title"],
                            }
                        }
                    }
                },
            }
        }
    },
}
ITEM_TOOL = {
    "name": "createItem",
    "description": "Create an item",
    "path": "/items/{item_id}",
    "method": "post",
    "inputSchema": {
        "type": "object",
        "properties": {"item_id": {"type": "string"}, "dryRun": {"type": "boolean"}, "title": {"type": "string"}},
        "required": ["item_id", "title"],
    },
    "outputSchema": {"type": "object", "properties": {}},
}


def http_tool_set(base_url: str) -> dict:
    return {
        "httpToolSet": {
            "baseUrl": base_url,
            "apiSchemaStr": "",
            "customHeaders": '{"X-App": "pyfastgpt"}',
            "headerSecret": {"Bearer": {"value": "api-key", "secret": ""}},
            "toolList": [WEATHER_TOOL],
        }
    }


async def test_http_tool_set_calls_the_api(deps, fake, http_api: HttpApi):
    graph = tool_calling_app(
        model_node("agent", "tools"), [tool_set_node("api", "Api", http_tool_set(http_api.base_url))]
    )
    fake.script(Reply(tool_calls=[("api0", '{"city": "Paris"}')]), Reply(content="Sunny in Paris."))

    result, _ = await run_graph(deps, graph, RunInput(query=text_query("weather?")))

    assert result.error is None, result.flow_responses
    offered = fake.requests[0]["tools"][0]["function"]
    assert offered["name"] == "api0" and offered["parameters"] == WEATHER_TOOL["inputSchema"]
    sent = http_api.requests[0]
    assert sent["method"] == "GET" and sent["query"] == {"city": "Paris"}
    assert sent["headers"]["Authorization"] == "Bearer api-key"
    assert sent["headers"]["X-App"] == "pyfastgpt" and sent["headers"]["X-City"] == "Paris"
    detail = result.flow_responses[-1]["toolDetail"][0]
    assert detail["toolRes"] == {"city": "Paris", "weather": "sunny"}
    assert json.loads(fake.requests[1]["messages"][-1]["content"]) == {"city": "Paris", "weather": "sunny"}
    assert answer_text(result) == "Sunny in Paris."


async def test_imported_http_tool_places_params_by_openapi(plain_deps, http_api: HttpApi):
    tool_set = {"baseUrl": http_api.base_url, "apiSchemaStr": json.dumps(OPENAPI), "toolList": [ITEM_TOOL]}
    apps = ToolSetApps({"items": ("httpToolSet", {"nodes": [tool_set_node("s", "Items", {"httpToolSet": tool_set})]})})
    inputs = [value_input("item_id", "a b"), value_input("dryRun", True, "boolean"), value_input("title", "Tea")]
    graph = lone_tool_app({"httpTool": {"toolId": "http-items/createItem"}}, inputs)

    result, _ = await run_graph(dataclasses.replace(plain_deps, app_loader=apps), graph)

    assert result.error is None, result.flow_responses
    sent = http_api.requests[0]
    assert sent["method"] == "POST" and sent["path"] == "/items/a b"
    assert sent["query"] == {"dryRun": "true"} and sent["body"] == {"title": "Tea"}
    assert result.flow_responses[0]["toolRes"] == {"id": "a b", "saved": {"title": "Tea"}}


async def test_http_error_is_a_node_error_with_axios_message(plain_deps, http_api: HttpApi):
    broken = {**WEATHER_TOOL, "name": "broken", "path": "/broken", "staticHeaders": []}
    tool_set = {"baseUrl": http_api.base_url, "toolList": [broken]}
    apps = ToolSetApps({"b": ("httpToolSet", {"nodes": [tool_set_node("s", "B", {"httpToolSet": tool_set})]})})
    graph = lone_tool_app({"httpTool": {"toolId": "http-b/broken"}}, [value_input("city", "x")])

    result, _ = await run_graph(dataclasses.replace(plain_deps, app_loader=apps), graph)

    assert result.flow_responses[0]["errorText"] == "Request failed with status code 500"


async def test_unknown_system_tool_is_a_node_error_naming_it(plain_deps):
    graph = lone_tool_app({"systemTool": {"toolId": "systemTool-noSuchTool"}}, [value_input("q", "x")])
    result, _ = await run_graph(plain_deps, graph)
    response = result.flow_responses[0]
    assert response["errorText"] == "System tool 'systemTool-noSuchTool' does not exist"
    assert response["moduleLogo"] == "tool-avatar" and response["toolInput"] == {"q": "x"}


async def test_agent_round_with_one_mcp_tool_call(deps, fake, mcp_streamable: McpServer):
    tool_list = await McpClient(mcp_streamable.url).list_tools()
    apps = ToolSetApps({"set1": mcp_tool_set_app(mcp_streamable.url, tool_list)})
    selected = [{"id": "mcp-set1/add", "name": "Adder", "avatar": "adder.svg"}]
    agent = model_node("agent", "agent", [value_input("agent_selectedTools", selected, "arrayObject")])
    graph = tool_calling_app(agent, [])
    fake.script(Reply(tool_calls=[("agentt0", '{"a": 20, "b": 22}')]), Reply(content="The answer is 42."))

    result, events = await run_graph(
        dataclasses.replace(deps, app_loader=apps), graph, RunInput(query=text_query("20 + 22?"))
    )

    assert result.error is None, result.flow_responses
    first = fake.requests[0]
    assert first["messages"][0] == {"role": "system", "content": "Use tools."}
    assert first["tools"][0]["function"]["name"] == "agentt0"
    assert first["tools"][0]["function"]["description"] == "Add two integers."
    assert next(e.tool["toolName"] for e in events if isinstance(e, ToolCallEvent)) == "Adder"
    assert "".join(e.content for e in events if isinstance(e, AnswerDelta)) == "The answer is 42."
    assert answer_text(result) == "The answer is 42."
    tool_part = next(p for p in result.assistant_responses if p["type"] == "tool")
    assert tool_part["tools"][0]["toolName"] == "Adder"
    response = result.flow_responses[-1]
    assert response["moduleType"] == "agent" and response["model"]
    assert response["toolDetail"][0]["toolRes"]["content"][0]["text"] == "42"
