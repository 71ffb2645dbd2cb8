"""One workflow dispatch (FastGPT's `dispatchWorkFlow`): the edge-state scheduler.

Scheduling follows FastGPT exactly: a node is checked when a predecessor finishes; its incoming
edges decide run / skip / wait (`RuntimeGraph.run_status`); before it runs or skips, its incoming
edges are reset to waiting; when it finishes its outgoing edges become active, or skipped for
handles listed in `skip_handle_ids`; active successors are checked first (concurrently), then
skipped ones (skip propagation stops at nodes already skipped in this wave and at branch nodes).
Each run costs 1 from the run budget, each skip 0.1.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from pyfastgpt.core.ids import nanoid
from pyfastgpt.core.observability import node_span
from pyfastgpt.workflow.context import NodeContext, RunState
from pyfastgpt.workflow.events import NodeResponse, NodeStatus, UsageItem
from pyfastgpt.workflow.graph import RuntimeGraph, RuntimeNode, handle_id
from pyfastgpt.workflow.node import ERROR_TEXT_KEY, NodeResult, NodeRunError, error_text, get_node
from pyfastgpt.workflow.templating import reference_value, replace_editor_variable
from pyfastgpt.workflow.values import VARIABLE_NODE_ID, is_reference, value_type_format

SYSTEM_VARIABLE_KEYS = ("userId", "appId", "chatId", "responseChatItemId", "histories", "cTime")
INTERACTIVE_ENTRY_TYPES = ("userSelect", "formInput", "tools")
ADD_INPUT_PARAM = "system_addInputParam"
# Inputs of these nodes are filled by the runtime (question, plugin inputs), not by the app.
NO_REQUIRED_CHECK_TYPES = frozenset(
    {"workflowStart", "userGuide", "pluginInput", "pluginConfig", "pluginOutput", "pluginModule", "appModule", "tool"}
)
RAW_INPUT_KEYS = frozenset({"childrenNodeIdList", "system_httpJsonBody"})


@dataclass
class DispatchOutcome:
    flow_responses: list[dict[str, Any]] = field(default_factory=list)
    usages: list[UsageItem] = field(default_factory=list)
    assistant_responses: list[dict[str, Any]] = field(default_factory=list)
    tool_response: Any = None
    new_variables: dict[str, Any] = field(default_factory=dict)
    interactive: dict[str, Any] | None = None
    run_times: float = 0.0
    duration_seconds: float = 0.0
    memories: dict[str, Any] = field(default_factory=dict)


def remove_system_variables(variables: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in variables.items() if key not in SYSTEM_VARIABLE_KEYS}


def merge_text_parts(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`mergeAssistantResponseAnswerText`: join consecutive text parts; never empty."""
    result: list[dict[str, Any]] = []
    for part in parts:
        if part.get("type") == "text":
            last = result[-1] if result else None
            if last and last.get("type") == "text" and (last.get("text") or {}).get("content"):
                last["text"] = {"content": last["text"]["content"] + ((part.get("text") or {}).get("content") or "")}
                continue
            part = {"type": "text", "text": {"content": (part.get("text") or {}).get("content") or ""}}
        result.append(part)
    if not result:
        result.append({"type": "text", "text": {"content": ""}})
    return result


class Dispatch:
    """Runs one graph at one nesting depth."""

    def __init__(
        self,
        run: RunState,
        graph: RuntimeGraph,
        *,
        variables: dict[str, Any],
        histories: list[dict[str, Any]],
        query: list[dict[str, Any]],
        chat_config: dict[str, Any] | None = None,
        last_interactive: dict[str, Any] | None = None,
        depth: int = 1,
        is_tool_call: bool = False,
        is_child_app: bool = False,
        run_plugin_output: bool = True,
    ) -> None:
        self.run_plugin_output = run_plugin_output
        self.run = run
        self.graph = graph
        self.variables = variables
        self.histories = histories
        self.query = query
        self.chat_config = chat_config or {}
        self.last_interactive = last_interactive
        self.depth = depth
        self.is_tool_call = is_tool_call
        self.is_child_app = is_child_app
        self.responses: list[dict[str, Any]] = []
        self.usages: list[UsageItem] = []
        self.assistant: list[dict[str, Any]] = []
        self.tool_response: Any = None
        self.run_times = 0.0
        self.pending_interactive: tuple[list[str], dict[str, Any]] | None = None
        self._chain_depth = 0
        self.memories: dict[str, Any] = {}

    @property
    def is_root(self) -> bool:
        return self.depth == 1

    def child(self, graph: RuntimeGraph, **kwargs: Any) -> Dispatch:
        options: dict[str, Any] = {
            "variables": self.variables,
            "histories": self.histories,
            "query": self.query,
            "chat_config": self.chat_config,
            "last_interactive": None,
            "is_tool_call": self.is_tool_call,
            "is_child_app": self.is_child_app,
        }
        options.update(kwargs)
        return Dispatch(self.run, graph, depth=self.depth + 1, **options)

    # ---- main loop -------------------------------------------------------------------------
    async def execute(self) -> DispatchOutcome:
        started = time.perf_counter()
        if self.depth > self.run.deps.settings.workflow_max_depth:
            raise NodeRunError(f"Workflow nesting is deeper than {self.run.deps.settings.workflow_max_depth} levels")
        entries = [node for node in self.graph.nodes if node.is_entry]
        for node in self.graph.nodes:
            if node.flow_node_type not in INTERACTIVE_ENTRY_TYPES:
                node.is_entry = False
        await asyncio.gather(*(self._check(node) for node in entries))

        plugin_output = next((n for n in self.graph.nodes if n.flow_node_type == "pluginOutput"), None)
        if plugin_output is not None and self.run_plugin_output and not self.run.stopped:
            already = any(r.get("nodeId") == plugin_output.node_id for r in self.responses)
            result = await self._run_active(plugin_output)
            if not already:
                self._push_store(plugin_output, result)

        interactive = None
        if self.pending_interactive is not None:
            entry_ids, payload = self.pending_interactive
            interactive = self._interactive_snapshot(entry_ids, payload)
            if self.is_root:
                self.assistant.append({"type": "interactive", "interactive": interactive})
        return DispatchOutcome(
            flow_responses=self.responses,
            usages=self.usages,
            assistant_responses=merge_text_parts(self.assistant),
            tool_response=self.tool_response,
            new_variables=remove_system_variables(self.variables),
            interactive=interactive,
            run_times=self.run_times,
            duration_seconds=round(time.perf_counter() - started, 2),
            memories=self.memories,
        )

    async def _check(self, node: RuntimeNode, skipped: set[str] | None = None) -> list[str]:
        """`checkNodeCanRun`: returns ids of nodes reached from here (to de-duplicate skips)."""
        if skipped is None:
            skipped = set()
        if self.run.stopped:
            return []
        if self.run.budget <= 0:
            self.run.budget_exhausted = True
            return []
        await asyncio.sleep(0)
        status = self.graph.run_status(node.node_id)
        if status == "run":
            self.graph.reset_incoming(node.node_id)
            result = await self._run_active(node)
        elif status == "skip" and node.node_id not in skipped:
            self.graph.reset_incoming(node.node_id)
            self.run.budget -= 0.1
            skipped.add(node.node_id)
            result = NodeResult(
                skip_handle_ids=[edge.source_handle for edge in self.graph.outgoing(node.node_id)],
                run_times=0,
            )
        else:
            return []

        if result.skip_handle_ids:
            skipped.add(node.node_id)
        if result.interactive is not None:
            self._push_store(node, result)
            self.pending_interactive = ([node.node_id], result.interactive)
            return []

        active, skip = self._node_output(node, result)
        active_results = await self._check_all(active, None)
        reached = set(active_results)
        skip = [n for n in skip if n.node_id not in reached]
        skip_results = await self._check_all(skip, skipped)
        if self.run.stopped:
            return []
        return [n.node_id for n in active] + [n.node_id for n in skip] + active_results + skip_results

    async def _check_all(self, nodes: list[RuntimeNode], skipped: set[str] | None) -> list[str]:
        if not nodes:
            return []
        if len(nodes) == 1:
            # Await inline while the call chain is shallow; start a task to reset the stack.
            self._chain_depth += 1
            try:
                if self._chain_depth % 64:
                    return await self._check(nodes[0], skipped)
                return await asyncio.ensure_future(self._check(nodes[0], skipped))
            finally:
                self._chain_depth -= 1
        results = await asyncio.gather(*(self._check(n, skipped) for n in nodes))
        return [node_id for chunk in results for node_id in chunk]

    # ---- running one node -----------------------------------------------------------------
    def params_for(self, node: RuntimeNode) -> dict[str, Any]:
        """`getNodeRunParams`."""
        if node.flow_node_type == "pluginInput":
            return {
                item.get("key", ""): value_type_format(item.get("value"), item.get("valueType")) for item in node.inputs
            }
        dynamic = next(
            (item for item in node.inputs if (item.get("renderTypeList") or [None])[0] == "addInputParam"),
            None,
        )
        params: dict[str, Any] = {dynamic["key"]: {}} if dynamic else {}
        for item in node.inputs:
            key = item.get("key", "")
            if dynamic is not None and key == dynamic.get("key"):
                continue
            if key in RAW_INPUT_KEYS:
                params[key] = item.get("value")
                continue
            self._check_reference(node, item)
            value = replace_editor_variable(item.get("value"), self.graph, self.variables)
            value = reference_value(value, self.graph, self.variables)
            formatted = value_type_format(value, item.get("valueType"))
            if item.get("canEdit") and dynamic is not None:
                params[dynamic["key"]][key] = formatted
            params[key] = formatted
        return params

    def _check_reference(self, node: RuntimeNode, item: dict[str, Any]) -> None:
        render_types = item.get("renderTypeList") or []
        index = item.get("selectedTypeIndex") or 0
        render = render_types[index] if 0 <= index < len(render_types) else None
        value = item.get("value")
        if (
            item.get("required")
            and "value" not in item
            and render not in (None, "hidden", "custom")
            and node.flow_node_type not in NO_REQUIRED_CHECK_TYPES
        ):
            raise NodeRunError(f"Missing required input '{item.get('label') or item.get('key')}'")
        if render != "reference":
            return
        refs: list[Any] = [value] if is_reference(value) else value if isinstance(value, list) else []
        for ref in refs:
            if is_reference(ref) and ref[0] and ref[0] != VARIABLE_NODE_ID and self.graph.node(ref[0]) is None:
                raise NodeRunError(f"Input '{item.get('label') or item.get('key')}' references missing node '{ref[0]}'")

    async def _run_active(self, node: RuntimeNode) -> NodeResult:
        if node.show_status and not self.is_tool_call:
            self.run.emit(NodeStatus(node_id=node.node_id, name=node.name))
        started = time.perf_counter()
        out_edges = self.graph.outgoing(node.node_id)
        catch_handle = handle_id(node.node_id, "source_catch", "right")
        try:
            impl = get_node(node.flow_node_type)
            if impl is None:
                raise NodeRunError(f"Unknown node type '{node.flow_node_type}'")
            params = self.params_for(node)
            with node_span(self.run, node):
                result = await impl.run(NodeContext(node=node, params=params, dispatch=self), impl.read_inputs(params))
            if result.error is not None and not result.response:
                result.response = {"errorText": result.error.get(ERROR_TEXT_KEY, "")}
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            text = error_text(exc)
            result = NodeResult(
                error={ERROR_TEXT_KEY: text},
                response={"error": text, "errorText": text},
                tool_responses={"error": text},
            )
        if result.error is None:
            skips = list(result.skip_handle_ids or [])
            if any(edge.source_handle == catch_handle for edge in out_edges):
                skips.append(catch_handle)
            result.skip_handle_ids = skips
        elif not node.catch_error:
            result.skip_handle_ids = [edge.source_handle for edge in out_edges]
        else:
            keep = [edge.source_handle for edge in out_edges if edge.source_handle != catch_handle]
            result.skip_handle_ids = [*(result.skip_handle_ids or []), *keep]

        if result.response is not None:
            result.response = {
                **result.response,
                "id": nanoid(16),
                "nodeId": node.node_id,
                "moduleName": node.name,
                "moduleType": node.flow_node_type,
                "runningTime": round(time.perf_counter() - started, 2),
            }
            if self.is_root and not self.is_tool_call:
                self.run.emit(NodeResponse(response=result.response))
        if result.data is not None:
            for output in node.outputs:
                if output.raw.get("required") and result.data.get(output.key) is None:
                    result.data[output.key] = value_type_format(output.raw.get("defaultValue"), output.value_type)
        if result.new_variables:
            self.variables.update(result.new_variables)
        return result

    # ---- bookkeeping ----------------------------------------------------------------------
    def _push_store(self, node: RuntimeNode, result: NodeResult) -> None:
        self.run_times += result.run_times + result.child_run_times
        if result.memories:
            self.memories.update(result.memories)
        self.run.budget -= result.run_times
        if result.response is not None:
            self.responses.append(result.response)
        if result.usages:
            self.usages.extend(result.usages)
        tool_response = result.tool_responses
        if tool_response is not None and tool_response != [] and tool_response != {}:
            self.tool_response = tool_response
        if result.assistant_responses is not None:
            self.assistant.extend(result.assistant_responses)
        else:
            data = result.data or {}
            reasoning = data.get("reasoningText")
            if reasoning and node.input_value("aiChatReasoning"):
                self.assistant.append({"type": "reasoning", "reasoning": {"content": reasoning}})
            answer = data.get("answerText")
            if answer:
                show = node.input_value("isResponseAnswerText", True)
                if show is None or show:
                    self.assistant.append({"type": "text", "text": {"content": answer}})
        if result.rewrite_histories is not None:
            self.histories = result.rewrite_histories

    def _node_output(self, node: RuntimeNode, result: NodeResult) -> tuple[list[RuntimeNode], list[RuntimeNode]]:
        self._push_store(node, result)
        values = {**(result.data or {}), **(result.error or {})}
        for output in node.outputs:
            if output.key in values and values[output.key] is not None:
                output.set(values[output.key])
        skip_ids = set(result.skip_handle_ids or [])
        edges = self.graph.outgoing_flow(node.node_id)
        for edge in edges:
            edge.status = "skipped" if edge.source_handle in skip_ids else "active"
        active_targets = {edge.target for edge in edges if edge.status == "active"}
        skipped_targets = {edge.target for edge in edges if edge.status == "skipped"}
        return self.graph.in_order(active_targets), self.graph.in_order(skipped_targets)

    def _interactive_snapshot(self, entry_ids: list[str], payload: dict[str, Any]) -> dict[str, Any]:
        node_outputs = [
            {"nodeId": node.node_id, "key": output.key, "value": output.value}
            for node in self.graph.nodes
            for output in node.outputs
            if _js_truthy_output(output.value)
        ]
        memory_edges = []
        for edge in self.graph.edges:
            stored = edge.to_store()
            if edge.target in entry_ids:
                stored["status"] = "active"
            memory_edges.append(stored)
        return {**payload, "entryNodeIds": entry_ids, "memoryEdges": memory_edges, "nodeOutputs": node_outputs}


def _js_truthy_output(value: Any) -> bool:
    return not (value is None or value is False or value == "" or value == 0)
