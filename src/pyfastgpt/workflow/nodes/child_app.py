"""`appModule` and `pluginModule`: run another app / a plugin app as a child workflow.

A `pluginModule` whose `pluginId` names a built-in system tool (`community-getTime`,
`systemTool-fetchUrl`, …) runs that tool instead, as FastGPT's `dispatchRunPlugin` hands
`systemTool` sources to `dispatchRunTool`; a bare tool name (`getTime`) is used only when no app
with that id exists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyfastgpt.ai.protocols import ChatMessage
from pyfastgpt.core.chat_text import value_text
from pyfastgpt.workflow.chat_values import (
    chats_to_messages,
    messages_to_chats,
    select_histories,
    value_from_prompt,
)
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.engine import DispatchOutcome
from pyfastgpt.workflow.graph import load_graph
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.node import Node, NodeResult, NodeRunError, node_error, register_node
from pyfastgpt.workflow.nodes.documents import file_part_from_url
from pyfastgpt.workflow.system_tools import get_tool, is_system_tool_id
from pyfastgpt.workflow.system_tools.runner import run_system_tool

CHILD_INPUT_KEYS = {"userChatInput", "history", "fileUrlList", "system_forbid_stream", "app", "system_addInputParam"}


async def _load(ctx: NodeContext, app_id: str) -> tuple[str, dict[str, Any]]:
    loader = ctx.deps.app_loader
    if loader is None:
        raise NodeRunError("Child apps are not available (no app loader)")
    if not app_id:
        raise NodeRunError("No app is selected")
    try:
        return await loader.load(app_id, ctx.run_state.team_id)
    except LookupError as exc:
        raise NodeRunError(f"App '{app_id}' does not exist") from exc


def _answer(outcome: DispatchOutcome) -> str:
    return value_text(outcome.assistant_responses, "")


def _child_error(outcome: DispatchOutcome) -> str | None:
    for response in reversed(outcome.flow_responses):
        text = response.get("error") or response.get("errorText")
        if text:
            return str(text)
    return None


def _child_interactive(ctx: NodeContext) -> dict[str, Any] | None:
    last = ctx.last_interactive or {}
    resuming_here = ctx.node.node_id in (last.get("entryNodeIds") or [])
    if resuming_here and last.get("type") == "childrenInteractive":
        child = (last.get("params") or {}).get("childrenResponse")
        return child if isinstance(child, dict) else None
    return None


@dataclass(slots=True)
class PluginModuleInputs(NodeInputs):
    forbid_stream: Any = wire("system_forbid_stream")


@dataclass(slots=True)
class AppModuleInputs(PluginModuleInputs):
    app: Any = wire("app")
    user_chat_input: Any = wire("userChatInput", "", or_default=True)
    file_urls: Any = wire("fileUrlList", factory=list, or_default=True)
    history: Any = wire("history")


@register_node
class AppModuleNode(Node[AppModuleInputs]):
    node_type = "appModule"
    aliases = ("app",)  # FastGPT's older `runApp` node stores type 'app' with the same inputs
    inputs_type = AppModuleInputs

    async def run(self, ctx: NodeContext, inputs: AppModuleInputs) -> NodeResult:
        app = inputs.app
        app_id = str(app.get("id") if isinstance(app, dict) else ctx.node.plugin_id or "")
        _, graph = await _load(ctx, app_id or str(ctx.node.plugin_id or ""))
        resume = _child_interactive(ctx)
        ctx.node.is_entry = False
        user_input = str(inputs.user_chat_input)
        files = [file_part_from_url(str(u)) for u in inputs.file_urls if u]
        histories = select_histories(0 if inputs.history is None else inputs.history, ctx.histories)
        runtime = load_graph(
            graph,
            entry_node_ids=(resume or {}).get("entryNodeIds") or None,
            memory_edges=(resume or {}).get("memoryEdges") or None,
        )
        child_vars = {
            **{
                k: v
                for k, v in ctx.variables.items()
                if k in ("userId", "appId", "chatId", "responseChatItemId", "histories", "cTime")
            },
            **{  # dynamic: the child app's own variables, added to this node as editable inputs
                item["key"]: ctx.params.get(item["key"])
                for item in ctx.node.inputs
                if item.get("canEdit") and item.get("key") not in CHILD_INPUT_KEYS
            },
            "appId": app_id,
        }
        outcome = await ctx.run_child(
            runtime,
            variables=child_vars,
            histories=histories,
            query=ctx.query if resume else value_from_prompt(user_input, files),
            chat_config=graph.get("chatConfig") or {},
            last_interactive=resume,
            is_child_app=True,
        )
        text = _answer(outcome)
        child_error = _child_error(outcome)
        if child_error and not text and outcome.interactive is None:
            prefix = "" if child_error.startswith("Child app failed: ") else "Child app failed: "
            return node_error(
                f"{prefix}{child_error}",
                custom_response={"query": user_input, "pluginDetail": outcome.flow_responses},
            )
        history = messages_to_chats(
            [
                *chats_to_messages(histories),
                ChatMessage(role="user", content=user_input),
                ChatMessage(role="assistant", content=text),
            ]
        )
        points = sum(u.total_points for u in outcome.usages)
        forbid_stream = bool(inputs.forbid_stream)
        return NodeResult(
            data={"answerText": text, "history": history},
            assistant_responses=[]
            if forbid_stream
            else [a for a in outcome.assistant_responses if a.get("type") != "interactive"],
            interactive={"type": "childrenInteractive", "params": {"childrenResponse": outcome.interactive}}
            if outcome.interactive
            else None,
            usages=list(outcome.usages),
            child_run_times=outcome.run_times,
            response={
                "totalPoints": points,
                "query": user_input,
                "textOutput": text,
                "pluginDetail": outcome.flow_responses,
            },
            tool_responses=text,
        )


@register_node
class PluginModuleNode(Node[PluginModuleInputs]):
    node_type = "pluginModule"
    inputs_type = PluginModuleInputs

    async def run(self, ctx: NodeContext, inputs: PluginModuleInputs) -> NodeResult:
        plugin_id = str(ctx.node.plugin_id or "")
        tool = get_tool(plugin_id) if plugin_id else None
        if is_system_tool_id(plugin_id):
            if tool is None:
                return node_error(f"System tool '{plugin_id}' is not available on this server")
            return await run_system_tool(ctx, tool)
        try:
            _, graph = await _load(ctx, plugin_id)
        except NodeRunError:
            if tool is None:
                raise
            return await run_system_tool(ctx, tool)
        resume = _child_interactive(ctx)
        ctx.node.is_entry = False
        runtime = load_graph(
            graph,
            entry_node_ids=(resume or {}).get("entryNodeIds") or None,
            memory_edges=(resume or {}).get("memoryEdges") or None,
        )
        for node in runtime.nodes:
            if node.flow_node_type == "pluginInput":
                for item in node.inputs:  # dynamic: the plugin's own input fields
                    if item.get("key") in ctx.params:
                        item["value"] = ctx.params[item["key"]]
        outcome = await ctx.run_child(
            runtime,
            variables={
                k: v
                for k, v in ctx.variables.items()
                if k in ("userId", "appId", "chatId", "responseChatItemId", "histories", "cTime")
            },
            chat_config=graph.get("chatConfig") or {},
            last_interactive=resume,
            is_child_app=True,
        )
        output = next((r for r in outcome.flow_responses if r.get("moduleType") == "pluginOutput"), None)
        values = dict((output or {}).get("pluginOutput") or {})
        error = _child_error(outcome)
        points = sum(u.total_points for u in outcome.usages)
        result = NodeResult(
            data={**values, "answerText": _answer(outcome)} if values or not error else None,
            assistant_responses=[]
            if inputs.forbid_stream
            else [a for a in outcome.assistant_responses if a.get("type") != "interactive"],
            interactive={"type": "childrenInteractive", "params": {"childrenResponse": outcome.interactive}}
            if outcome.interactive
            else None,
            usages=list(outcome.usages),
            child_run_times=outcome.run_times,
            response={"totalPoints": points, "pluginOutput": values, "pluginDetail": outcome.flow_responses},
            tool_responses=values,
        )
        if error and not values:
            result.error = {"system_error_text": error}
            result.response = {**(result.response or {}), "errorText": error}
        return result
