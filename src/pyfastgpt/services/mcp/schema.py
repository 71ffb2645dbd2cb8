"""An app's MCP tool input schema (FastGPT `workflow2InputSchema`, `pluginNodes2InputSchema`).

A chat app (simple or workflow) takes `question` (required), `fileUrlList` when its chat config lets
the user pick files or images, and one property per chat-config variable. A plugin takes the inputs
of its `pluginInput` node. Value types map to JSON Schema as FastGPT's `valueTypeJsonSchemaMap`;
anything else is a string.
"""

from __future__ import annotations

from typing import Any

from pyfastgpt.workflow.tool_calls import VALUE_TYPE_SCHEMAS

_STRING: dict[str, Any] = {"type": "string"}


def _property(value_type: Any, description: Any, enum: list[str] | None) -> dict[str, Any]:
    prop = dict(VALUE_TYPE_SCHEMAS.get(str(value_type), _STRING)) if value_type else dict(_STRING)
    if description is not None:
        prop["description"] = description
    if enum:
        prop["enum"] = enum
    return prop


def is_plugin_graph(nodes: list[Any]) -> bool:
    return any(isinstance(n, dict) and n.get("flowNodeType") == "pluginInput" for n in nodes)


def plugin_input_schema(nodes: list[Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    plugin_input = next((n for n in nodes if isinstance(n, dict) and n.get("flowNodeType") == "pluginInput"), None)
    for item in (plugin_input or {}).get("inputs") or []:
        if not isinstance(item, dict) or not item.get("key"):
            continue
        key = str(item["key"])
        enum = [e for e in str(item.get("enum") or "").split("\n") if e]
        properties[key] = _property(item.get("valueType"), item.get("description"), enum)
        if item.get("required"):
            required.append(key)
    return {"type": "object", "properties": properties, "required": required}


def workflow_input_schema(chat_config: dict[str, Any] | None) -> dict[str, Any]:
    config = chat_config or {}
    properties: dict[str, Any] = {"question": {"type": "string", "description": "Question from user"}}
    files = config.get("fileSelectConfig") or {}
    if isinstance(files, dict) and (files.get("canSelectFile") or files.get("canSelectImg")):
        properties["fileUrlList"] = {"type": "array", "items": {"type": "string"}, "description": "File linkage"}
    required = ["question"]
    for variable in config.get("variables") or []:
        if not isinstance(variable, dict) or not variable.get("key"):
            continue
        key = str(variable["key"])
        enums = variable.get("enums")
        enum = [str(e.get("value")) for e in enums if isinstance(e, dict)] if isinstance(enums, list) else None
        properties[key] = _property(variable.get("valueType"), variable.get("description"), enum)
        if variable.get("required"):
            required.append(key)
    return {"type": "object", "properties": properties, "required": required}


def dataset_input_schema() -> dict[str, Any]:
    """The dataset-search tool (pyfastgpt): the text to search for."""
    return {
        "type": "object",
        "properties": {"question": {"type": "string", "description": "What to search for in the knowledge base"}},
        "required": ["question"],
    }
