"""Tool calling shared by the `tools` and `agent` nodes and the MCP server: the function a tool node
offers (FastGPT's value types as JSON Schema), how a tool's result is shown to the model, and tool-call
messages as stored in an interactive pause."""

from __future__ import annotations

from typing import Any

from pyfastgpt.ai.protocols import ChatMessage, ToolCall, ToolSpec
from pyfastgpt.workflow.graph import RuntimeNode
from pyfastgpt.workflow.values import js_json

VALUE_TYPE_SCHEMAS: dict[str, dict[str, Any]] = {  # FastGPT `valueTypeJsonSchemaMap`
    "string": {"type": "string"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "object": {"type": "object"},
    "arrayString": {"type": "array", "items": {"type": "string"}},
    "arrayNumber": {"type": "array", "items": {"type": "number"}},
    "arrayBoolean": {"type": "array", "items": {"type": "boolean"}},
    "arrayObject": {"type": "array", "items": {"type": "object"}},
}


def tool_spec(node: RuntimeNode) -> ToolSpec:
    """The function a tool node offers, named by its node id (a raw `jsonSchema` — MCP/HTTP tools —
    is the parameters as is; else the inputs with a `toolDescription`)."""
    json_schema = node.raw.get("jsonSchema")
    if isinstance(json_schema, dict):
        return ToolSpec(name=node.node_id, description=str(node.raw.get("intro") or node.name), parameters=json_schema)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for item in node.inputs:
        if not item.get("toolDescription"):
            continue
        schema = dict(VALUE_TYPE_SCHEMAS.get(str(item.get("valueType")), {"type": "string"}))
        schema["description"] = item.get("toolDescription") or ""
        enum = [e for e in str(item.get("enum") or "").split("\n") if e]
        if enum:
            schema["enum"] = enum
        properties[str(item["key"])] = schema
        if item.get("required"):
            required.append(str(item["key"]))
    description = str(node.raw.get("toolDescription") or node.raw.get("intro") or node.name)
    return ToolSpec(
        name=node.node_id,
        description=description,
        parameters={"type": "object", "properties": properties, "required": required},
    )


def format_tool_response(value: Any) -> str:
    """`formatToolResponse`."""
    if isinstance(value, (dict, list)):
        return js_json(value, indent=2)
    if value is None or value == "" or value is False or value == 0:
        return "none"
    return str(value)


def message_to_dict(message: ChatMessage) -> dict[str, Any]:
    data: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.tool_calls:
        data["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in message.tool_calls
        ]
    if message.tool_call_id:
        data["tool_call_id"] = message.tool_call_id
    if message.name:
        data["name"] = message.name
    return data


def message_from_dict(data: dict[str, Any]) -> ChatMessage:
    calls = [
        ToolCall(
            id=c.get("id", ""),
            name=(c.get("function") or {}).get("name", ""),
            arguments=(c.get("function") or {}).get("arguments", ""),
        )
        for c in data.get("tool_calls") or []
    ]
    return ChatMessage(
        role=data.get("role", "assistant"),
        content=data.get("content"),
        tool_calls=calls or None,
        tool_call_id=data.get("tool_call_id"),
        name=data.get("name"),
    )
