"""Shared parts of FastGPT's container nodes (`parallelRun`, `loopRun`): the body's node set,
an isolated copy of the runtime graph for one task or loop, and a summary of a body run.

FastGPT deep-clones `runtimeNodes`/`runtimeEdges` per parallel task (`buildTaskRuntimeContext`)
and once per `loopRun` (`dispatchLoopRun`), so body outputs, entry flags, injected start inputs
and edge states never leak between concurrent tasks or into the parent run. Here every node is
copied with its own output slots (outer nodes keep sharing their inputs, which the body never
runs), and only edges touching the body are copied: outer edges are never walked by a body run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyfastgpt.workflow.graph import RuntimeEdge, RuntimeGraph, RuntimeNode, RuntimeOutput, build_edge
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.templating import reference_value
from pyfastgpt.workflow.values import VARIABLE_NODE_ID, format_variable_by_type, is_reference

TASK_MODULE_NAME = "workflow:parallel_task"  # FastGPT's i18n key for a task/iteration wrapper response


@dataclass(slots=True)
class ContainerInputs(NodeInputs):
    """What every container node (`loop`, `loopRun`, `parallelRun`) reads: the ids of its body's nodes."""

    children: list[Any] = wire("childrenNodeIdList", factory=list, or_default=True)


def body_node_ids(graph: RuntimeGraph, children: list[Any]) -> set[str]:
    """The container's children (`childrenNodeIdList`) plus, for nested containers, their descendants."""
    body = {str(node_id) for node_id in children}
    grew = True
    while grew:
        grew = False
        for node in graph.nodes:
            if node.node_id not in body and node.parent_node_id in body:
                body.add(node.node_id)
                grew = True
    return body


def _clone_output(output: RuntimeOutput) -> RuntimeOutput:
    return RuntimeOutput(
        id=output.id,
        key=output.key,
        value_type=output.value_type,
        raw=output.raw,
        value=output.value,
        has_value=output.has_value,
    )


def clone_node(node: RuntimeNode, *, own_inputs: bool) -> RuntimeNode:
    """A copy with its own output slots; `own_inputs` also copies the input items (runs write them)."""
    return RuntimeNode(
        node_id=node.node_id,
        flow_node_type=node.flow_node_type,
        name=node.name,
        raw=node.raw,
        inputs=[dict(item) for item in node.inputs] if own_inputs else node.inputs,
        outputs=[_clone_output(output) for output in node.outputs],
        show_status=node.show_status,
        is_entry=False,
        catch_error=node.catch_error,
        parent_node_id=node.parent_node_id,
        version=node.version,
        plugin_id=node.plugin_id,
    )


def isolated_graph(graph: RuntimeGraph, body: set[str]) -> RuntimeGraph:
    """Copies of every node (body nodes with their own inputs) and of the body's edges, all waiting."""
    nodes = [clone_node(node, own_inputs=node.node_id in body) for node in graph.nodes]
    edges = [
        RuntimeEdge(
            source=edge.source,
            source_handle=edge.source_handle,
            target=edge.target,
            target_handle=edge.target_handle,
        )
        for edge in graph.edges
        if edge.source in body or edge.target in body
    ]
    return RuntimeGraph(nodes=nodes, edges=edges)


def memory_graph(graph: RuntimeGraph, memory_edges: list[Any]) -> RuntimeGraph:
    """The same nodes with the edge states a paused body run stored (`storeEdges2RuntimeEdges`)."""
    edges = [build_edge(item) for item in memory_edges if isinstance(item, dict)]
    return RuntimeGraph(nodes=graph.nodes, edges=edges)


def reset_edges(graph: RuntimeGraph) -> None:
    for edge in graph.edges:
        edge.status = "waiting"


def set_input(node: RuntimeNode, key: str, value: Any) -> None:
    for item in node.inputs:
        if item.get("key") == key:
            item["value"] = value


def restore_outputs(graph: RuntimeGraph, node_outputs: list[Any]) -> None:
    """Apply a paused body run's `nodeOutputs` snapshot to the (copied) nodes."""
    for saved in node_outputs:
        if not isinstance(saved, dict):
            continue
        node = graph.node(str(saved.get("nodeId")))
        output = node.output_by_key(str(saved.get("key"))) if node is not None else None
        value = saved.get("value")
        if output is not None and value is not None and value is not False and value != "" and value != 0:
            output.set(value)


@dataclass
class BodySummary:
    """`summarizeRuntimeNodeResponses` over one body run's node responses."""

    finished_node_ids: set[str] = field(default_factory=set)
    error_text: str | None = None
    reached_end: bool = False
    end_output: Any = None
    hit_break: bool = False
    running_time: float = 0.0
    total_points: float = 0.0


def summarize(responses: list[dict[str, Any]]) -> BodySummary:
    summary = BodySummary()
    for response in responses:
        if response.get("nodeId"):
            summary.finished_node_ids.add(str(response["nodeId"]))
        error = response.get("error") or response.get("errorText")
        if error:
            summary.error_text = error if isinstance(error, str) else str(error)
        kind = response.get("moduleType")
        if kind == "loopRunBreak":
            summary.hit_break = True
        elif kind == "loopEnd":
            summary.reached_end = True
            summary.end_output = response.get("loopOutputValue")
        running = response.get("runningTime")
        if isinstance(running, (int, float)):
            summary.running_time += running
        points = response.get("totalPoints")
        if isinstance(points, (int, float)):
            summary.total_points += points
    return summary


def custom_output_snapshot(
    items: list[dict[str, Any]],
    graph: RuntimeGraph,
    variables: dict[str, Any],
    *,
    body: set[str],
    finished: set[str],
) -> dict[str, Any]:
    """`readCustomOutputSnapshot`: each declared output reads its reference; a reference into a body
    node that did not run in this iteration reads nothing (no stale value from an earlier one)."""
    snapshot: dict[str, Any] = {}
    for item in items:
        key = str(item.get("key") or "")
        value: Any = item.get("value")
        refs: list[list[Any]] = [value] if is_reference(value) else []
        if not refs and isinstance(value, list):
            refs = [ref for ref in value if is_reference(ref)]
        read_ids = {str(ref[0]) for ref in refs if ref[0] and ref[0] != VARIABLE_NODE_ID}
        stale = any(node_id in body and node_id not in finished for node_id in read_ids)
        if stale:
            snapshot[key] = None
            continue
        resolved = reference_value(value, graph, variables)
        snapshot[key] = format_variable_by_type(resolved, item.get("valueType"))
    return snapshot


def wrapper_response(
    *,
    response_id: str,
    module_type: str,
    index: int,
    input_value: Any,
    output_value: Any,
    error: str | None,
    total_points: float,
    children: list[dict[str, Any]],
    running_time: float,
) -> dict[str, Any]:
    """The virtual node response FastGPT shows per parallel task / loop iteration."""
    wrapper: dict[str, Any] = {
        "id": response_id,
        "nodeId": response_id,
        "moduleType": module_type,
        "moduleName": TASK_MODULE_NAME,
        "moduleNameArgs": {"index": index},
        "runningTime": round(running_time, 2),
        "totalPoints": total_points,
        "loopInputValue": input_value,
        "loopOutputValue": output_value,
        "childrenResponses": children,
    }
    if error is not None:
        wrapper["error"] = error
    return wrapper


def shown_part(part: dict[str, Any]) -> bool:
    """Assistant parts worth keeping from a nested run: no empty placeholders, no interactions."""
    if part.get("type") == "interactive":
        return False
    return part.get("type") != "text" or bool((part.get("text") or {}).get("content"))
