"""`loopRun` / `loopRunStart` / `loopRunBreak` (FastGPT 4.15+): a sequential loop over an array, or a
conditional loop that runs until a `loopRunBreak` node is reached.

FastGPT: `packages/service/core/workflow/dispatch/loopRun/{runLoopRun,runLoopRunStart,runLoopRunBreak,
service}.ts`, templates `packages/global/core/workflow/template/system/loopRun/`. The body runs on one
copy of the graph taken when the node starts (shared by its iterations); global variables are the
parent's, so updates inside the body persist. Each iteration starts at `loopRunStart` (array mode:
`currentItem` + 0-based `currentIndex`; conditional mode: 1-based `currentIteration`). The node's
outputs are the user-declared custom outputs (`canEdit` inputs holding references into the body),
read after the last iteration. An iteration with a node error stops the loop with that error; more
than `WORKFLOW_MAX_LOOP_TIMES` iterations stops it with `workflow:loop_run_max_iterations_exceeded`.
User interaction inside the body pauses the loop as `loopRunInteractive` and resumes in that iteration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.events import UsageItem
from pyfastgpt.workflow.graph import RuntimeGraph
from pyfastgpt.workflow.inputs import NodeInputs, NoInputs, wire
from pyfastgpt.workflow.node import Node, NodeResult, node_error, register_node
from pyfastgpt.workflow.nodes.nested_body import (
    ContainerInputs,
    body_node_ids,
    custom_output_snapshot,
    isolated_graph,
    memory_graph,
    reset_edges,
    restore_outputs,
    set_input,
    shown_part,
    summarize,
    wrapper_response,
)

ARRAY_MODE = "array"
CONDITIONAL_MODE = "conditional"
INTERACTIVE_TYPE = "loopRunInteractive"
NOT_ARRAY = "workflow:loop_run_input_not_array"
MAX_ITERATIONS_EXCEEDED = "workflow:loop_run_max_iterations_exceeded"
CONDITIONAL_REQUIRES_BREAK = "workflow:loop_run_conditional_requires_break"
ITERATION_FAILED = "workflow:loop_run_iteration_failed"


@dataclass
class LoopState:
    """What the loop accumulates across iterations (and across a pause, via `loopRunInteractive`)."""

    history: list[dict[str, Any]]
    details: list[dict[str, Any]] = field(default_factory=list)
    assistant: list[dict[str, Any]] = field(default_factory=list)
    usages: list[UsageItem] = field(default_factory=list)
    run_times: float = 0.0
    interactive: dict[str, Any] | None = None
    over_limit: bool = False


@dataclass(slots=True)
class LoopRunInputs(ContainerInputs):
    mode: str = wire("loopRunMode", ARRAY_MODE, or_default=True)
    items: Any = wire("loopRunInputArray")


@register_node
class LoopRunNode(Node[LoopRunInputs]):
    node_type = "loopRun"
    inputs_type = LoopRunInputs

    async def run(self, ctx: NodeContext, inputs: LoopRunInputs) -> NodeResult:
        mode = inputs.mode
        items = [] if inputs.items is None else inputs.items
        children = [str(node_id) for node_id in inputs.children]
        max_times = ctx.settings.workflow_max_loop_times
        problem = _precheck(ctx, mode, items, children, max_times)
        if problem is not None:
            return node_error(problem, custom_response={"loopRunInput": items} if mode == ARRAY_MODE else {})

        body = body_node_ids(ctx.graph, children)
        graph = isolated_graph(ctx.graph, body)
        pending = ctx.last_interactive or {}
        resume: dict[str, Any] | None = None
        if pending.get("type") == INTERACTIVE_TYPE and ctx.node.node_id in (pending.get("entryNodeIds") or []):
            resume = pending.get("params") or {}
        children_resume = (resume or {}).get("childrenResponse") or None
        if children_resume:
            restore_outputs(graph, children_resume.get("nodeOutputs") or [])
        state = LoopState(history=list((resume or {}).get("loopHistory") or []))
        pending_finished = set(((resume or {}).get("pendingIterationSummary") or {}).get("finishedNodeIds") or [])
        custom_outputs = [item for item in ctx.node.inputs if item.get("canEdit") is True]
        iteration = int((resume or {}).get("iteration") or 1)

        while not ctx.run_state.stopped:
            index = iteration - 1
            if mode == ARRAY_MODE and index >= len(items):
                break
            if iteration > max_times:
                state.over_limit = True
                break
            item = items[index] if mode == ARRAY_MODE else None
            run_graph = graph
            if children_resume is not None:
                if children_resume.get("memoryEdges"):
                    run_graph = memory_graph(graph, children_resume["memoryEdges"])
                else:
                    reset_edges(graph)
                entries = set(children_resume.get("entryNodeIds") or [])
                for node in graph.nodes:
                    node.is_entry = node.node_id in entries
            else:
                reset_edges(graph)
                _enter_iteration(graph, children, mode, item, index, iteration)
            outcome = await ctx.run_child(run_graph, last_interactive=children_resume, run_plugin_output=False)
            summary = summarize(outcome.flow_responses)
            state.assistant.extend(part for part in outcome.assistant_responses if shown_part(part))
            state.usages.extend(outcome.usages)
            state.run_times += outcome.run_times
            finished = pending_finished | summary.finished_node_ids
            snapshot = custom_output_snapshot(custom_outputs, graph, ctx.variables, body=body, finished=finished)
            state.details.append(
                wrapper_response(
                    response_id=f"{ctx.node.node_id}_iter_{iteration}",
                    module_type="loopRun",
                    index=iteration,
                    input_value=item,
                    output_value=snapshot,
                    error=summary.error_text,
                    total_points=sum(usage.total_points for usage in outcome.usages),
                    children=outcome.flow_responses,
                    running_time=summary.running_time,
                )
            )
            if outcome.interactive is not None:  # paused: the resumed run records this iteration
                state.interactive = {
                    "type": INTERACTIVE_TYPE,
                    "params": {
                        "loopHistory": state.history,
                        "childrenResponse": outcome.interactive,
                        "iteration": iteration,
                        "pendingIterationSummary": {"finishedNodeIds": sorted(finished)},
                    },
                }
                break
            entry: dict[str, Any] = {"iteration": iteration, "customOutputs": snapshot, "success": True}
            if summary.error_text is not None:
                entry.update(success=False, error=summary.error_text)
            state.history.append(entry)
            if summary.error_text is not None or summary.hit_break:
                break
            children_resume, pending_finished = None, set()
            iteration += 1
        return _result(ctx, mode, items, state)


def _precheck(ctx: NodeContext, mode: str, items: Any, children: list[str], max_times: int) -> str | None:
    if mode == ARRAY_MODE and not isinstance(items, list):
        return NOT_ARRAY
    if mode == ARRAY_MODE and len(items) > max_times:
        return MAX_ITERATIONS_EXCEEDED
    if mode != ARRAY_MODE and not any(
        node.flow_node_type == "loopRunBreak" for node in ctx.graph.nodes if node.node_id in children
    ):
        return CONDITIONAL_REQUIRES_BREAK
    return None


def _enter_iteration(
    graph: RuntimeGraph, children: list[str], mode: str, item: Any, index: int, iteration: int
) -> None:
    """`injectLoopRunStart`: the start node becomes the entry and receives this iteration's values."""
    for node in graph.nodes:
        node.is_entry = False
        if node.node_id in children and node.flow_node_type == "loopRunStart":
            node.is_entry = True
            set_input(node, "loopRunMode", mode)
            set_input(node, "loopStartInput", item if mode == ARRAY_MODE else None)
            set_input(node, "loopStartIndex", index if mode == ARRAY_MODE else iteration)


def _result(ctx: NodeContext, mode: str, items: list[Any], state: LoopState) -> NodeResult:
    last = state.history[-1] if state.history else None
    error = None
    if state.over_limit:
        error = MAX_ITERATIONS_EXCEEDED
    elif last is not None and last.get("success") is False:
        error = last.get("error") or ITERATION_FAILED
    response: dict[str, Any] = {
        "totalPoints": sum(usage.total_points for usage in state.usages),
        "loopRunIterations": len(state.history),
        "loopRunHistory": state.history,
        "loopRunDetail": state.details,
        "mergeSignId": ctx.node.node_id,
    }
    if mode == ARRAY_MODE:
        response["loopRunInput"] = items
    if error is not None:
        response["errorText"] = error
    return NodeResult(
        data=dict((last or {}).get("customOutputs") or {}),
        error={"system_error_text": error} if error is not None else None,
        response=response,
        interactive=state.interactive,
        assistant_responses=state.assistant,
        usages=state.usages,
        child_run_times=state.run_times,
        tool_responses={"error": error} if error is not None else None,
    )


@dataclass(slots=True)
class LoopRunStartInputs(NodeInputs):
    mode: Any = wire("loopRunMode")
    index: Any = wire("loopStartIndex")
    item: Any = wire("loopStartInput")


@register_node
class LoopRunStartNode(Node[LoopRunStartInputs]):
    node_type = "loopRunStart"
    inputs_type = LoopRunStartInputs

    async def run(self, ctx: NodeContext, inputs: LoopRunStartInputs) -> NodeResult:
        index, item = inputs.index, inputs.item
        if inputs.mode == ARRAY_MODE:
            return NodeResult(data={"currentIndex": index, "currentItem": item}, response={"loopInputValue": item})
        return NodeResult(data={"currentIteration": index}, response={"loopInputValue": index})


@register_node
class LoopRunBreakNode(Node[NoInputs]):
    """A signal: the loop ends after the iteration in which this node ran."""

    node_type = "loopRunBreak"
    inputs_type = NoInputs

    async def run(self, ctx: NodeContext, inputs: NoInputs) -> NodeResult:
        return NodeResult(data={}, response={})
