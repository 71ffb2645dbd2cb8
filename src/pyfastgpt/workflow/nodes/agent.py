"""`agent` (FastGPT 4.15+ Agent V2, `dispatch/ai/agent/index.ts`): the offline core.

The agent's tools are not graph edges but the `agent_selectedTools` input, a list of selected tools
`{id, name?, avatar?, config?, toolConfig?}`:
- `systemTool-<x>` / `community-<x>` / a bare built-in id: a system tool;
- `mcp-<toolSetId>/<tool>` / `http-<toolSetId>/<tool>`: one tool of a stored MCP / HTTP tool set;
- an item carrying `toolConfig.mcpToolSet|httpToolSet|systemToolSet`, or the id of a tool-set
  app: every tool of that set.
`config` holds fixed input values of the tool. Nodes attached by `selectedTools` edges are offered
too. Without a plan, the agent is FastGPT's "master agent" tool-call loop: system prompt, history
(tool calls kept), the user input; answers stream; the loop is the `tools` node's own.

Not run here: plan mode (the `plan` tool, plan/ask interactions, step calls and summaries),
skills and the sandbox (`skills`, `useAgentSandbox`), knowledge-base search
(`agent_datasetParams`), file reading sub-app, workflow/plugin apps as tools, and the agent memory
(`system_memories`) FastGPT stores for resuming a plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyfastgpt.workflow.chat_values import (
    chats_to_messages,
    prompt_from_value,
    system_item,
    value_from_prompt,
)
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.graph import RuntimeNode
from pyfastgpt.workflow.inputs import wire
from pyfastgpt.workflow.llm import adapt_messages, model_info
from pyfastgpt.workflow.node import NodeResult, node_error, register_node
from pyfastgpt.workflow.nodes.chat import node_histories
from pyfastgpt.workflow.nodes.tools import ToolLoopInputs, ToolLoopNode, ToolLoopState
from pyfastgpt.workflow.system_tools import get_tool
from pyfastgpt.workflow.toolsets.expand import (
    add_nodes,
    enrich_tool_node,
    expand_tool_sets,
    http_tool_node,
    load_tool_set,
    mcp_tool_node,
    split_tool_id,
    system_tool_node,
    tool_set_children,
)

SELECTED_TOOLS_KEY = "agent_selectedTools"
TOOL_SET_KINDS = ("mcpToolSet", "httpToolSet", "systemToolSet")


async def _single_set_tool(ctx: NodeContext, node_id: str, item: dict[str, Any], tool_id: str) -> list[RuntimeNode]:
    for source, kind in (("mcp", "mcpToolSet"), ("http", "httpToolSet")):
        parsed = split_tool_id(tool_id, source)
        if parsed is None:
            continue
        tool_set_id, tool_name = parsed
        inline = (item.get("toolConfig") or {}).get(kind)
        stored = ((await load_tool_set(ctx, tool_set_id)) or {}).get(kind)
        tool_set = stored if isinstance(stored, dict) else inline if isinstance(inline, dict) else {}
        tool = next((t for t in tool_set.get("toolList") or [] if t.get("name") == tool_name), None)
        if tool is None:
            return []
        name, avatar = str(item.get("name") or tool_name), str(item.get("avatar") or "")
        if source == "mcp":
            connection = {"url": tool.get("url") or tool_set.get("url"), "headerSecret": tool_set.get("headerSecret")}
            node = mcp_tool_node(node_id, tool, tool_set_id, name, avatar, connection)
        else:
            node = http_tool_node(node_id, tool, tool_set_id, name, avatar, tool_set)
        node.name = name
        return [node]
    return []


async def selected_tool_nodes(ctx: NodeContext, selected: Any) -> list[RuntimeNode]:
    """Runtime `tool` nodes for `agent_selectedTools` (FastGPT's `getSubapps`; unknown ids are skipped)."""
    nodes: list[RuntimeNode] = []
    for index, item in enumerate(selected if isinstance(selected, list) else []):
        if isinstance(item, str):
            item = {"id": item}
        if not isinstance(item, dict):
            continue
        tool_id = str(item.get("id") or "")
        node_id = f"{ctx.node.node_id}t{index}"
        config: dict[str, Any] = item["toolConfig"] if isinstance(item.get("toolConfig"), dict) else {}
        raw = {
            "name": item.get("name") or tool_id,
            "avatar": item.get("avatar") or "",
            "pluginId": tool_id,
            "inputs": item.get("inputs") or [],
        }
        if any(kind in config for kind in TOOL_SET_KINDS):
            children = await tool_set_children(ctx, {**raw, "toolConfig": config}, node_id)
        elif tool_id.startswith(("mcp-", "http-")):
            children = await _single_set_tool(ctx, node_id, item, tool_id)
        elif get_tool(tool_id) is not None:
            children = [
                system_tool_node(node_id, tool_id, str(item.get("name") or ""), str(item.get("intro") or ""), [])
            ]
        else:
            stored = await load_tool_set(ctx, tool_id)
            children = await tool_set_children(ctx, {**raw, "toolConfig": stored}, node_id) if stored else []
        fixed: dict[str, Any] = item["config"] if isinstance(item.get("config"), dict) else {}
        for child in children:
            for child_input in child.inputs:
                if child_input.get("key") in fixed:
                    child_input["value"] = fixed[child_input["key"]]
        nodes.extend(add_nodes(ctx.graph, children))
    return nodes


@dataclass(slots=True)
class AgentInputs(ToolLoopInputs):
    vision: Any = wire("aiChatVision", True)
    selected_tools: Any = wire(SELECTED_TOOLS_KEY)


@register_node
class AgentNode(ToolLoopNode[AgentInputs]):
    node_type = "agent"
    inputs_type = AgentInputs

    async def run(self, ctx: NodeContext, inputs: AgentInputs) -> NodeResult:
        try:
            info = model_info(ctx, inputs.model)
        except Exception as exc:
            return node_error(f"Model {inputs.model} is undefined. ({exc})")
        ctx.node.is_entry = False
        query = str(inputs.user_input)
        state = ToolLoopState(model_name=info.name or info.id)
        try:
            tool_nodes = await selected_tool_nodes(ctx, inputs.selected_tools)
            await expand_tool_sets(ctx)
            attached = [n for n in (ctx.graph.node(i) for i in ctx.graph.tool_node_ids(ctx.node.node_id)) if n]
            tool_nodes += [n for n in attached if n not in tool_nodes]
            for tool_node in tool_nodes:
                await enrich_tool_node(ctx, tool_node)
            histories = node_histories(ctx, inputs.history)
            _, files = prompt_from_value(ctx.query)
            items = [
                *system_item(str(inputs.system_prompt)),
                *histories,
                {"obj": "Human", "value": value_from_prompt(query, files)},
            ]
            vision = bool(info.vision and inputs.vision)
            messages = adapt_messages(chats_to_messages(items, reserve_tool=True), vision)
            if vision and ctx.deps.image_inliner is not None:
                messages = await ctx.deps.image_inliner.inline_messages(messages)
            await self._loop(ctx, inputs, info.id, info.max_context, tool_nodes, messages, state)
        except Exception as exc:
            return node_error(exc)
        result = self._result(ctx, state, query)
        result.interactive = None  # FastGPT's agent answers interactive tools "not supported"
        return result
