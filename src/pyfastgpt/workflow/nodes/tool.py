"""`tool` and `toolSet` (FastGPT's `dispatchRunTool`, dispatch/child/runTool.ts).

A `tool` node runs, by its `toolConfig`:
- `systemTool {toolId}`: a built-in tool (`pyfastgpt.workflow.system_tools`);
- `mcpTool {toolId: "mcp-<toolSetId>/<toolName>"}`: one MCP call on the tool set's server;
- `httpTool {toolId: "http-<toolSetId>/<toolName>"}`: one HTTP call built from the tool's schema;
- none (MCP nodes saved before 4.10): `toolData` / `system_toolData` `{name, url, headerSecret}`.

Its node response is `{toolInput, toolRes, moduleLogo, totalPoints?}` and its tool response (what a
`tools` node hands back to the model) is the tool's result. A `toolSet` node does nothing when run:
a `tools` or `agent` node expands it into one `tool` node per tool (`workflow.toolsets.expand`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.events import UsageItem
from pyfastgpt.workflow.inputs import NodeInputs, NoInputs, wire
from pyfastgpt.workflow.node import ERROR_TEXT_KEY, Node, NodeResult, NodeRunError, node_error, register_node
from pyfastgpt.workflow.system_tools import get_tool
from pyfastgpt.workflow.toolsets.expand import RAW_RESPONSE, RUNTIME_KEY, load_tool_set, split_tool_id, tool_config
from pyfastgpt.workflow.toolsets.http import run_http_tool
from pyfastgpt.workflow.toolsets.mcp import McpClient
from pyfastgpt.workflow.toolsets.secrets import secret_headers

SYSTEM_INPUT_CONFIG = "system_input_config"
LEGACY_TOOL_DATA_KEYS = ("toolData", "system_toolData")


def _runtime(ctx: NodeContext, key: str) -> dict[str, Any] | None:
    runtime = ctx.node.raw.get(RUNTIME_KEY)
    value = runtime.get(key) if isinstance(runtime, dict) else None
    return value if isinstance(value, dict) else None


async def _stored_tool_set(ctx: NodeContext, tool_id: str, source: str) -> tuple[dict[str, Any], str]:
    parsed = split_tool_id(tool_id, source)
    if parsed is None:
        raise NodeRunError(f"Invalid tool id '{tool_id}'")
    tool_set_id, tool_name = parsed
    kind = "mcpToolSet" if source == "mcp" else "httpToolSet"
    stored = ((await load_tool_set(ctx, tool_set_id)) or {}).get(kind)
    if not isinstance(stored, dict):
        label = "MCP" if source == "mcp" else "HTTP"
        raise NodeRunError(f"{label} tool set not found: {tool_set_id}")
    return stored, tool_name


@dataclass(slots=True)
class ToolInputs(NodeInputs):
    input_config: Any = wire(SYSTEM_INPUT_CONFIG)  # a system tool's secret config
    tool_data: Any = wire("toolData")  # MCP nodes saved before 4.10
    system_tool_data: Any = wire("system_toolData")


@register_node
class ToolNode(Node[ToolInputs]):
    node_type = "tool"
    inputs_type = ToolInputs

    async def run(self, ctx: NodeContext, inputs: ToolInputs) -> NodeResult:
        avatar = ctx.node.raw.get("avatar") or ""
        config = tool_config(ctx.node)
        # dynamic: the tool's own input fields, forwarded to the tool as they are
        params = {k: v for k, v in ctx.params.items() if v is not None}
        tool_input: dict[str, Any] = {}
        try:
            system_tool_id = str((config.get("systemTool") or {}).get("toolId") or "")
            if system_tool_id:
                tool_input = {k: v for k, v in params.items() if k != SYSTEM_INPUT_CONFIG}
                return await self._system_tool(ctx, system_tool_id, inputs.input_config, tool_input, avatar)
            mcp_tool_id = str((config.get("mcpTool") or {}).get("toolId") or "")
            if mcp_tool_id:
                tool_input = params
                return await self._mcp_tool(ctx, mcp_tool_id, params, avatar)
            http_tool_id = str((config.get("httpTool") or {}).get("toolId") or "")
            if http_tool_id:
                tool_input = params
                return await self._http_tool(ctx, http_tool_id, params, avatar)
            tool_input = {k: v for k, v in params.items() if k not in LEGACY_TOOL_DATA_KEYS}
            return await self._legacy_mcp_tool(inputs, tool_input, avatar)
        except Exception as exc:
            return node_error(exc, custom_response={"toolInput": tool_input, "moduleLogo": avatar})

    async def _system_tool(
        self, ctx: NodeContext, tool_id: str, input_config: Any, tool_input: dict[str, Any], avatar: str
    ) -> NodeResult:
        tool = get_tool(tool_id)
        if tool is None:
            raise NodeRunError(f"System tool '{tool_id}' does not exist")
        config_type = input_config.get("type") if isinstance(input_config, dict) else None
        if config_type == "team":
            raise NodeRunError("This is not supported yet")
        secrets = {}
        if isinstance(input_config, dict) and config_type == "manual":
            secrets = secret_headers(input_config.get("value"))
        result = await tool.run(ctx, {**tool_input, **secrets})
        return NodeResult(
            data=result,
            response={"toolInput": tool_input, "toolRes": result, "moduleLogo": avatar, "totalPoints": 0},
            tool_responses=result,
            usages=[UsageItem(module_name=ctx.node.name, model="", total_points=0)],
        )

    async def _mcp_tool(self, ctx: NodeContext, tool_id: str, params: dict[str, Any], avatar: str) -> NodeResult:
        connection = _runtime(ctx, "mcpToolSet")
        runtime = ctx.node.raw.get(RUNTIME_KEY) or {}
        if connection is None:
            connection, tool_name = await _stored_tool_set(ctx, tool_id, "mcp")
        else:
            tool_name = str(runtime.get("toolName") or "")
        client = McpClient(str(connection.get("url") or ""), secret_headers(connection.get("headerSecret")))
        result = await client.call_tool(tool_name, params)
        return self._raw_result(result, params, avatar)

    async def _legacy_mcp_tool(self, inputs: ToolInputs, tool_input: dict[str, Any], avatar: str) -> NodeResult:
        data = next((d for d in (inputs.tool_data, inputs.system_tool_data) if isinstance(d, dict)), None)
        if data is None:
            raise NodeRunError("Tool node has no tool config")
        client = McpClient(str(data.get("url") or ""), secret_headers(data.get("headerSecret")))
        result = await client.call_tool(str(data.get("name") or ""), tool_input)
        return self._raw_result(result, tool_input, avatar)

    @staticmethod
    def _raw_result(result: Any, tool_input: dict[str, Any], avatar: str) -> NodeResult:
        return NodeResult(
            data={RAW_RESPONSE: result},
            response={"toolInput": tool_input, "toolRes": result, "moduleLogo": avatar},
            tool_responses=result,
        )

    async def _http_tool(self, ctx: NodeContext, tool_id: str, params: dict[str, Any], avatar: str) -> NodeResult:
        tool_set = _runtime(ctx, "httpToolSet")
        tool = _runtime(ctx, "httpTool")
        if tool_set is None or tool is None:
            tool_set, tool_name = await _stored_tool_set(ctx, tool_id, "http")
            tool = next((t for t in tool_set.get("toolList") or [] if t.get("name") == tool_name), None)
            if tool is None:
                raise NodeRunError(f"HTTP tool {tool_name} not found")
        data, error_msg = await run_http_tool(tool_set, tool, params)
        if error_msg is not None:
            if ctx.node.catch_error:
                return NodeResult(
                    error={ERROR_TEXT_KEY: error_msg},
                    response={"toolInput": params, "toolRes": error_msg, "moduleLogo": avatar},
                    tool_responses=error_msg,
                )
            raise NodeRunError(error_msg)
        return NodeResult(
            data={RAW_RESPONSE: data, **(data if isinstance(data, dict) else {})},
            response={"toolInput": params, "toolRes": data, "moduleLogo": avatar},
            tool_responses=data,
        )


@register_node
class ToolSetNode(Node[NoInputs]):
    """FastGPT runs nothing for a `toolSet` node itself (`() => Promise.resolve()`)."""

    node_type = "toolSet"
    inputs_type = NoInputs

    async def run(self, ctx: NodeContext, inputs: NoInputs) -> NodeResult:
        return NodeResult(run_times=1.0)
