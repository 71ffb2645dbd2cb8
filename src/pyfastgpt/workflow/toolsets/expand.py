"""Runtime `tool` nodes for tool sets (FastGPT's `rewriteRuntimeWorkFlow`, dispatch/utils).

A `toolSet` node attached to a `tools` node is replaced at run time by one `tool` node per tool
it contains (node id `<toolSetNodeId><index>`, name `<toolSetName>/<toolName>`), each attached to
the same parents by `selectedTools` edges. The tool list comes from the tool-set app
(`toolConfig.mcpToolSet.toolId` or the node's `pluginId`) when the app loader knows it — the
node's saved descriptions still win — else from the list saved in the node itself.

A child node keeps what it needs to run under `runtimeToolSet` (the MCP URL and header secret, or
the HTTP tool set and tool), so a workflow whose tool-set app is not stored here still runs.
"""

from __future__ import annotations

from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.graph import SELECTED_TOOLS, RuntimeEdge, RuntimeGraph, RuntimeNode, build_node
from pyfastgpt.workflow.system_tools import get_tool

RUNTIME_KEY = "runtimeToolSet"
RAW_RESPONSE = "rawResponse"
_SCHEMA_VALUE_TYPES = {"string": "string", "number": "number", "integer": "number", "boolean": "boolean"}
_ARRAY_VALUE_TYPES = {
    "string": "arrayString",
    "number": "arrayNumber",
    "integer": "arrayNumber",
    "boolean": "arrayBoolean",
    "object": "arrayObject",
}


def tool_config(node: RuntimeNode | dict[str, Any]) -> dict[str, Any]:
    raw = node.raw if isinstance(node, RuntimeNode) else node
    config = raw.get("toolConfig")
    return config if isinstance(config, dict) else {}


def split_tool_id(tool_id: str, source: str) -> tuple[str, str] | None:
    """`mcp-<toolSetId>/<toolName>` (or `http-…`) → `(toolSetId, toolName)`."""
    prefix = f"{source}-"
    if not tool_id.startswith(prefix):
        return None
    tool_set_id, _, tool_name = tool_id[len(prefix) :].partition("/")
    return (tool_set_id, tool_name) if tool_set_id and tool_name else None


def schema_value_type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        return _ARRAY_VALUE_TYPES.get(str((items or {}).get("type")), "arrayAny")
    if kind == "object":
        return "object"
    return _SCHEMA_VALUE_TYPES.get(str(kind), "any")


def json_schema_inputs(schema: Any) -> list[dict[str, Any]]:
    """`jsonSchema2NodeInput`: one agent-filled input per schema property."""
    if not isinstance(schema, dict):
        return []
    required = set(schema.get("required") or [])
    inputs = []
    for key, prop in (schema.get("properties") or {}).items():
        prop = prop if isinstance(prop, dict) else {}
        description = str(prop.get("description") or "")
        item: dict[str, Any] = {
            "key": key,
            "label": key,
            "valueType": schema_value_type(prop),
            "description": description,
            "toolDescription": str(prop.get("x-tool-description") or description or key),
            "required": key in required,
            "renderTypeList": ["input", "reference"],
        }
        if isinstance(prop.get("enum"), list):
            item["enum"] = "\n".join(str(v) for v in prop["enum"])
        inputs.append(item)
    return inputs


def _raw_response_output() -> dict[str, Any]:
    return {"id": RAW_RESPONSE, "key": RAW_RESPONSE, "required": True, "valueType": "any", "type": "static"}


def mcp_tool_node(
    node_id: str, tool: dict[str, Any], tool_set_id: str, tool_set_name: str, avatar: str, connection: dict[str, Any]
) -> RuntimeNode:
    """`getMCPToolRuntimeNode`."""
    name = str(tool.get("name") or "")
    return build_node(
        {
            "nodeId": node_id,
            "flowNodeType": "tool",
            "name": f"{tool_set_name}/{name}",
            "avatar": avatar or "core/app/type/mcpToolsFill",
            "intro": tool.get("description") or "",
            "toolConfig": {"mcpTool": {"toolId": f"mcp-{tool_set_id}/{name}"}},
            "jsonSchema": tool.get("inputSchema") or {"type": "object", "properties": {}},
            "inputs": json_schema_inputs(tool.get("inputSchema")),
            "outputs": [_raw_response_output()],
            RUNTIME_KEY: {"mcpToolSet": connection, "toolName": name},
        }
    )


def http_tool_node(
    node_id: str, tool: dict[str, Any], tool_set_id: str, tool_set_name: str, avatar: str, tool_set: dict[str, Any]
) -> RuntimeNode:
    """`getHTTPToolRuntimeNode`; the function parameters are the tool's request schema."""
    name = str(tool.get("name") or "")
    outputs = [
        {"id": key, "key": key, "valueType": schema_value_type(prop or {}), "type": "static"}
        for key, prop in ((tool.get("outputSchema") or {}).get("properties") or {}).items()
        if key != RAW_RESPONSE
    ]
    schema = tool.get("requestSchema") if isinstance(tool.get("requestSchema"), dict) else None
    input_schema = tool.get("inputSchema") or {"type": "object", "properties": {}}
    return build_node(
        {
            "nodeId": node_id,
            "flowNodeType": "tool",
            "name": f"{tool_set_name}/{name}",
            "avatar": avatar or "core/app/type/httpToolsFill",
            "intro": tool.get("description") or "",
            "toolConfig": {"httpTool": {"toolId": f"http-{tool_set_id}/{name}"}},
            "jsonSchema": schema if schema and schema.get("properties") else input_schema,
            "inputs": json_schema_inputs(input_schema),
            "outputs": [*outputs, _raw_response_output()],
            RUNTIME_KEY: {"httpToolSet": {k: v for k, v in tool_set.items() if k != "toolList"}, "httpTool": tool},
        }
    )


def system_tool_node(
    node_id: str, tool_id: str, name: str, intro: str, extra_inputs: list[dict[str, Any]]
) -> RuntimeNode:
    """A child of a system tool set; inputs are the set's secret config plus the tool's own inputs."""
    tool = get_tool(tool_id)
    inputs = [*extra_inputs, *[dict(i) for i in getattr(tool, "inputs", ()) or ()]]
    outputs = [dict(o) for o in getattr(tool, "outputs", ()) or ()]
    return build_node(
        {
            "nodeId": node_id,
            "flowNodeType": "tool",
            "name": name or (tool.name if tool else tool_id),
            "intro": intro or (tool.intro if tool else ""),
            "toolConfig": {"systemTool": {"toolId": tool_id}},
            "inputs": inputs,
            "outputs": outputs,
        }
    )


async def load_tool_set(ctx: NodeContext, app_id: str) -> dict[str, Any] | None:
    """The tool-set config of a stored `toolSet` / `httpToolSet` app (its first node), if known."""
    loader = ctx.deps.app_loader
    if loader is None or not app_id:
        return None
    try:
        _, graph = await loader.load(app_id, ctx.run_state.team_id)
    except LookupError:
        return None
    nodes = graph.get("nodes") or graph.get("modules") or []
    if not nodes or not isinstance(nodes[0], dict):
        return None
    first = nodes[0]
    config = tool_config(first)
    if "mcpToolSet" in config or "httpToolSet" in config:
        return config
    legacy = ((first.get("inputs") or [{}])[0] or {}).get("value")
    return {"mcpToolSet": legacy} if isinstance(legacy, dict) and legacy.get("url") else None


def _legacy_mcp_value(raw: dict[str, Any]) -> dict[str, Any] | None:
    value = ((raw.get("inputs") or [{}])[0] or {}).get("value")
    return value if isinstance(value, dict) and "toolList" in value else None


async def tool_set_children(ctx: NodeContext, raw: dict[str, Any], node_id: str) -> list[RuntimeNode]:
    """The runtime `tool` nodes of one tool set (a `toolSet` node, or an agent's selected set)."""
    config = tool_config(raw)
    name = str(raw.get("name") or "")
    avatar = str(raw.get("avatar") or "")
    system_set = config.get("systemToolSet")
    if isinstance(system_set, dict) and system_set.get("toolId"):
        secret_input = next((i for i in raw.get("inputs") or [] if i.get("key") == "system_input_config"), None)
        return [
            system_tool_node(
                f"{node_id}{index}",
                str(item.get("toolId") or ""),
                str(item.get("name") or ""),
                str(item.get("description") or ""),
                [secret_input] if secret_input else [],
            )
            for index, item in enumerate(system_set.get("toolList") or [])
        ]
    mcp_set = config.get("mcpToolSet") or _legacy_mcp_value(raw)
    http_set = config.get("httpToolSet")
    saved = mcp_set if isinstance(mcp_set, dict) else http_set if isinstance(http_set, dict) else None
    if saved is None:
        return []
    kind = "mcpToolSet" if saved is mcp_set else "httpToolSet"
    tool_set_id = str(saved.get("toolId") or raw.get("pluginId") or "")
    stored = ((await load_tool_set(ctx, tool_set_id)) or {}).get(kind)
    source = stored if isinstance(stored, dict) else saved
    descriptions = {t.get("name"): t.get("description") for t in saved.get("toolList") or [] if isinstance(t, dict)}
    children = []
    for index, tool in enumerate(source.get("toolList") or []):
        if not isinstance(tool, dict):
            continue
        tool = {**tool, "description": descriptions.get(tool.get("name")) or tool.get("description") or ""}
        child_id = f"{node_id}{index}"
        if kind == "mcpToolSet":
            connection = {"url": tool.get("url") or source.get("url"), "headerSecret": source.get("headerSecret")}
            children.append(mcp_tool_node(child_id, tool, tool_set_id, name, avatar, connection))
        else:
            children.append(http_tool_node(child_id, tool, tool_set_id, name, avatar, source))
    return children


def add_nodes(graph: RuntimeGraph, nodes: list[RuntimeNode]) -> list[RuntimeNode]:
    """Add nodes not yet in the graph; returns the graph's node for each (existing ones win)."""
    result = []
    for node in nodes:
        existing = graph.node(node.node_id)
        if existing is None:
            graph.nodes.append(node)
            graph.by_id[node.node_id] = node
            existing = node
        result.append(existing)
    graph.reindex()
    return result


async def expand_tool_sets(ctx: NodeContext) -> None:
    """Replace every `toolSet` node attached by `selectedTools` edges with its tools' nodes."""
    graph = ctx.graph
    for tool_set in [n for n in graph.nodes if n.flow_node_type == "toolSet"]:
        # On an interactive resume the edges to the children come back from the stored run state
        # while the stored nodes hold the `toolSet` again: its children are rebuilt all the same.
        incoming = [e for e in graph.edges if e.target == tool_set.node_id and e.target_handle == SELECTED_TOOLS]
        children = await tool_set_children(ctx, tool_set.raw, tool_set.node_id)
        add_nodes(graph, children)
        existing = {(e.source, e.target, e.target_handle) for e in graph.edges}
        for edge in incoming:
            for child in children:
                if (edge.source, child.node_id, SELECTED_TOOLS) not in existing:
                    graph.edges.append(
                        RuntimeEdge(edge.source, edge.source_handle, child.node_id, SELECTED_TOOLS, edge.status)
                    )
        graph.edges[:] = [e for e in graph.edges if e.target != tool_set.node_id]
        graph.nodes[:] = [n for n in graph.nodes if n.node_id != tool_set.node_id]
        graph.reindex()


async def enrich_tool_node(ctx: NodeContext, node: RuntimeNode) -> None:
    """`parseMcpTool` / `parseHttpTool`: give a stored MCP/HTTP `tool` node its tool's schema."""
    if node.flow_node_type != "tool" or node.raw.get("jsonSchema"):
        return
    for item in node.inputs:
        if item.get("key") in ("toolData", "system_toolData") and isinstance(item.get("value"), dict):
            node.raw["jsonSchema"] = item["value"].get("inputSchema")
            return
    config = tool_config(node)
    for source, kind in (("mcp", "mcpTool"), ("http", "httpTool")):
        parsed = split_tool_id(str((config.get(kind) or {}).get("toolId") or ""), source)
        if parsed is None:
            continue
        stored = ((await load_tool_set(ctx, parsed[0])) or {}).get(f"{kind}Set") or {}
        tool = next((t for t in stored.get("toolList") or [] if t.get("name") == parsed[1]), None)
        if tool is None:
            return
        if kind == "mcpTool":
            node.raw["jsonSchema"] = tool.get("inputSchema")
        else:
            request = tool.get("requestSchema")
            node.raw["jsonSchema"] = request if isinstance(request, dict) and request else tool.get("inputSchema")
        if node.raw.get("intro") is None or (node.raw.get("intro") != "" and not node.raw.get("intro")):
            node.raw["intro"] = tool.get("description") or ""
        return
