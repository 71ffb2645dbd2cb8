"""`loop` / `loopStart` / `loopEnd`: run the child nodes once per array item."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.graph import RuntimeGraph, build_edge
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.node import Node, NodeResult, NodeRunError, register_node
from pyfastgpt.workflow.nodes.nested_body import ContainerInputs, set_input


@dataclass(slots=True)
class LoopInputs(ContainerInputs):
    items: Any = wire("loopInputArray", factory=list, or_default=True)


@register_node
class LoopNode(Node[LoopInputs]):
    node_type = "loop"
    inputs_type = LoopInputs

    async def run(self, ctx: NodeContext, inputs: LoopInputs) -> NodeResult:
        items = inputs.items
        children = inputs.children
        if not isinstance(items, list):
            raise NodeRunError("Input value is not an array")
        max_times = ctx.settings.workflow_max_loop_times
        if len(items) > max_times:
            raise NodeRunError(f"Input array length cannot be greater than {max_times}")
        pending = ctx.last_interactive or {}
        resuming_here = ctx.node.node_id in (pending.get("entryNodeIds") or [])
        last = pending if resuming_here and pending.get("type") == "loopInteractive" else None
        resume = (last or {}).get("params") or {}
        last_index = resume.get("currentIndex")
        outputs: list[Any] = list(resume.get("loopResult") or []) if last else []
        details: list[dict[str, Any]] = []
        assistant: list[dict[str, Any]] = []
        usages = []
        interactive = None
        index = 0
        for item in [i for i in items if i not in (None, "", 0, False)]:
            if last_index and index < last_index:
                index += 1
                continue
            child_resume = resume.get("childrenResponse") if last and index == last_index else None
            for node in ctx.graph.nodes:
                if child_resume and node.node_id in (child_resume.get("entryNodeIds") or []):
                    node.is_entry = True
                elif not child_resume and node.node_id in children and node.flow_node_type == "loopStart":
                    node.is_entry = True
                    set_input(node, "loopStartInput", item)
                    set_input(node, "loopStartIndex", index + 1)
            index += 1
            edges = copy.deepcopy((child_resume or {}).get("memoryEdges")) if child_resume else None
            graph = RuntimeGraph(
                nodes=ctx.graph.nodes,
                edges=[build_edge(e) for e in edges] if edges else [copy.copy(e) for e in ctx.graph.edges],
            )
            if not edges:
                for edge in graph.edges:
                    edge.status = "waiting"
            outcome = await ctx.run_child(graph, last_interactive=child_resume, run_plugin_output=False)
            end_value = next(
                (r.get("loopOutputValue") for r in outcome.flow_responses if r.get("moduleType") == "loopEnd"), None
            )
            if outcome.interactive is None:
                outputs.append(end_value)
            details.extend(outcome.flow_responses)
            assistant.extend(outcome.assistant_responses)
            usages.extend(outcome.usages)
            ctx.variables.update(outcome.new_variables)
            if outcome.interactive is not None:
                interactive = outcome.interactive
                break
        return NodeResult(
            data={"loopArray": outputs},
            interactive=(
                {
                    "type": "loopInteractive",
                    "params": {"currentIndex": index - 1, "childrenResponse": interactive, "loopResult": outputs},
                }
                if interactive
                else None
            ),
            assistant_responses=[a for a in assistant if a.get("type") != "interactive"],
            usages=usages,
            response={
                "totalPoints": sum(u.total_points for u in usages),
                "loopInput": items,
                "loopResult": outputs,
                "loopDetail": details,
            },
        )


@dataclass(slots=True)
class LoopStartInputs(NodeInputs):
    item: Any = wire("loopStartInput")
    index: Any = wire("loopStartIndex")


@register_node
class LoopStartNode(Node[LoopStartInputs]):
    node_type = "loopStart"
    inputs_type = LoopStartInputs

    async def run(self, ctx: NodeContext, inputs: LoopStartInputs) -> NodeResult:
        return NodeResult(
            data={"loopStartInput": inputs.item, "loopStartIndex": inputs.index},
            response={"loopInputValue": inputs.item},
        )


@dataclass(slots=True)
class LoopEndInputs(NodeInputs):
    value: Any = wire("loopEndInput")


@register_node
class LoopEndNode(Node[LoopEndInputs]):
    node_type = "loopEnd"
    inputs_type = LoopEndInputs

    async def run(self, ctx: NodeContext, inputs: LoopEndInputs) -> NodeResult:
        return NodeResult(response={"loopOutputValue": inputs.value})
