"""Build a FastGPT app that calls one system tool through a `pluginModule` node, run it on the
real engine, and read back the tool node's response."""

from __future__ import annotations

from typing import Any

from pyfastgpt.workflow.events import RunResult
from pyfastgpt.workflow.runner import RunInput, WorkflowDeps
from tests.workflow.helpers import answer_node, edge, run_graph, start_node, text_query

TOOL_NODE_ID = "tool"


def tool_node(
    plugin_id: str, inputs: dict[str, Any], outputs: list[str], *, catch_error: bool = False
) -> dict[str, Any]:
    """A `pluginModule` node as FastGPT's editor stores it for a system tool."""
    node: dict[str, Any] = {
        "nodeId": TOOL_NODE_ID,
        "flowNodeType": "pluginModule",
        "name": f"Tool {plugin_id}",
        "avatar": "core/workflow/template/tool",
        "pluginId": plugin_id,
        "inputs": [
            {
                "key": key,
                "renderTypeList": ["input", "reference"],
                "valueType": "any" if not isinstance(value, str) else "string",
                "label": key,
                "value": value,
            }
            for key, value in inputs.items()
        ],
        "outputs": [{"id": key, "key": key, "type": "static", "valueType": "any", "label": key} for key in outputs],
    }
    if catch_error:
        node["catchError"] = True
    return node


def tool_app(plugin_id: str, inputs: dict[str, Any], outputs: list[str], answer: str | None = None) -> dict[str, Any]:
    nodes = [start_node(), tool_node(plugin_id, inputs, outputs)]
    edges = [edge("start", TOOL_NODE_ID)]
    if answer is not None:
        nodes.append(answer_node("answer", answer))
        edges.append(edge(TOOL_NODE_ID, "answer"))
    return {"nodes": nodes, "edges": edges}


def tool_response(result: RunResult) -> dict[str, Any]:
    return next(r for r in result.flow_responses if r.get("nodeId") == TOOL_NODE_ID)


async def run_tool(
    deps: WorkflowDeps,
    plugin_id: str,
    inputs: dict[str, Any],
    outputs: list[str] | None = None,
    *,
    timezone: str = "UTC",
) -> tuple[RunResult, dict[str, Any]]:
    """Run the tool in an app; returns the run result and the tool node's response."""
    app = tool_app(plugin_id, inputs, outputs or [])
    result, _ = await run_graph(deps, app, RunInput(query=text_query("hi"), timezone=timezone))
    return result, tool_response(result)
