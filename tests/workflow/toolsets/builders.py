"""FastGPT stored-format nodes for tool-set tests."""

from __future__ import annotations

from typing import Any

from tests.workflow.helpers import start_node


def model_node(node_id: str, flow_node_type: str, extra_inputs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A `tools` (or `agent`) node on the fake model, asked the start node's question."""
    return {
        "nodeId": node_id,
        "flowNodeType": flow_node_type,
        "name": "Tool call" if flow_node_type == "tools" else "Agent",
        "showStatus": True,
        "inputs": [
            {"key": "model", "renderTypeList": ["settingLLMModel"], "valueType": "string", "value": "fake-llm"},
            {"key": "temperature", "renderTypeList": ["hidden"], "valueType": "number", "value": 0},
            {"key": "systemPrompt", "renderTypeList": ["textarea"], "valueType": "string", "value": "Use tools."},
            {"key": "history", "renderTypeList": ["numberInput"], "valueType": "chatHistory", "value": 6},
            {
                "key": "userChatInput",
                "renderTypeList": ["reference", "textarea"],
                "valueType": "string",
                "value": ["start", "userChatInput"],
            },
            *(extra_inputs or []),
        ],
        "outputs": [{"id": "answerText", "key": "answerText", "type": "static", "valueType": "string"}],
    }


def tool_set_node(node_id: str, name: str, tool_config: dict[str, Any], plugin_id: str = "") -> dict[str, Any]:
    return {
        "nodeId": node_id,
        "flowNodeType": "toolSet",
        "name": name,
        "avatar": "core/app/type/mcpToolsFill",
        "pluginId": plugin_id,
        "toolConfig": tool_config,
        "inputs": [],
        "outputs": [],
    }


def selected(parent: str, tool: str) -> dict[str, Any]:
    return {"source": parent, "sourceHandle": "selectedTools", "target": tool, "targetHandle": "selectedTools"}


def flow(source: str, target: str) -> dict[str, Any]:
    return {
        "source": source,
        "sourceHandle": f"{source}-source-right",
        "target": target,
        "targetHandle": f"{target}-target-left",
    }


def tool_calling_app(parent: dict[str, Any], tools: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "nodes": [start_node("start"), parent, *tools],
        "edges": [flow("start", parent["nodeId"]), *(selected(parent["nodeId"], t["nodeId"]) for t in tools)],
    }


def lone_tool_app(tool_config: dict[str, Any], inputs: list[dict[str, Any]], **node: Any) -> dict[str, Any]:
    """A `tool` app: one `tool` node and no edges (its entry)."""
    return {
        "nodes": [
            {
                "nodeId": "tool",
                "flowNodeType": "tool",
                "name": "Tool",
                "avatar": "tool-avatar",
                "toolConfig": tool_config,
                "inputs": inputs,
                "outputs": [{"id": "rawResponse", "key": "rawResponse", "type": "static", "valueType": "any"}],
                **node,
            }
        ],
        "edges": [],
    }


def value_input(key: str, value: Any, value_type: str = "string") -> dict[str, Any]:
    return {"key": key, "renderTypeList": ["input", "reference"], "valueType": value_type, "value": value}


def mcp_tool_set_app(
    url: str, tool_list: list[dict[str, Any]], header_secret: Any = None
) -> tuple[str, dict[str, Any]]:
    """A stored MCP tool-set app (type `toolSet`): its first node holds the set."""
    config: dict[str, Any] = {"url": url, "toolList": tool_list}
    if header_secret is not None:
        config["headerSecret"] = header_secret
    return "toolSet", {"nodes": [tool_set_node("set", "MCP", {"mcpToolSet": config})], "edges": []}
