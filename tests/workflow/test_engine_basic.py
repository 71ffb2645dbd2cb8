"""Scheduler semantics over small graphs built in FastGPT's stored format."""

from __future__ import annotations

from typing import Any

from pyfastgpt.workflow.events import AnswerDelta, NodeResponse, NodeStatus, WorkflowDone
from pyfastgpt.workflow.runner import RunInput
from tests.workflow.helpers import answer_node, answer_text, edge, run_graph, start_node, text_query


def if_else(node_id: str, groups: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "nodeId": node_id,
        "flowNodeType": "ifElseNode",
        "name": "Branch",
        "inputs": [{"key": "ifElseList", "renderTypeList": ["hidden"], "valueType": "any", "value": groups}],
        "outputs": [{"id": "ifElseResult", "key": "ifElseResult", "valueType": "string", "type": "static"}],
    }


async def test_linear_answer_with_templating(plain_deps):
    graph = {
        "nodes": [start_node(), answer_node("a1", "You said {{$start.userChatInput$}} as {{name}}")],
        "edges": [edge("start", "a1")],
        "chatConfig": {"variables": [{"key": "name", "label": "Name", "valueType": "string", "defaultValue": "x"}]},
    }
    result, events = await run_graph(plain_deps, graph, RunInput(query=text_query("hello"), variables={"Name": "Ann"}))
    assert answer_text(result) == "\nYou said hello as Ann"
    assert result.new_variables == {"name": "Ann"}
    deltas = [e for e in events if isinstance(e, AnswerDelta)]
    assert deltas == [AnswerDelta(content="\nYou said hello as Ann", fast=True)]
    assert [r["moduleType"] for r in result.flow_responses] == ["workflowStart", "answerNode"]
    assert [e.response["nodeId"] for e in events if isinstance(e, NodeResponse)] == ["start", "a1"]
    assert result.error is None


async def test_if_else_branch_and_skip_propagation(plain_deps):
    groups = [
        {"condition": "AND", "list": [{"variable": ["start", "userChatInput"], "condition": "include", "value": "yes"}]}
    ]
    graph = {
        "nodes": [
            start_node(),
            if_else("br", groups),
            answer_node("yes", "Y"),
            answer_node("no", "N"),
            answer_node("after_no", "after"),
            answer_node("join", "J"),
        ],
        "edges": [
            edge("start", "br"),
            edge("br", "yes", "IF"),
            edge("br", "no", "ELSE"),
            edge("no", "after_no"),
            edge("yes", "join"),
            edge("after_no", "join"),
        ],
    }
    result, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("say yes")))
    assert answer_text(result) == "\nY\nJ"
    modules = [r["nodeId"] for r in result.flow_responses]
    assert "no" not in modules and "after_no" not in modules
    assert result.flow_responses[1]["ifElseResult"] == "IF"

    result, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("nope")))
    assert answer_text(result) == "\nN\nafter\nJ"


async def test_show_status_event(plain_deps):
    node = answer_node("a1", "x", name="Reply")
    node["showStatus"] = True
    graph = {"nodes": [start_node(), node], "edges": [edge("start", "a1")]}
    _, events = await run_graph(plain_deps, graph)
    assert NodeStatus(node_id="a1", name="Reply") in events
    assert isinstance(events[-1], WorkflowDone)


async def test_unknown_and_unsupported_types_are_node_errors(plain_deps):
    graph = {
        "nodes": [
            start_node(),
            {"nodeId": "ag", "flowNodeType": "lafModule", "name": "Laf", "inputs": [], "outputs": []},
            answer_node("after", "never"),
        ],
        "edges": [edge("start", "ag"), edge("ag", "after")],
    }
    result, _ = await run_graph(plain_deps, graph)
    assert result.error == "Node type 'lafModule' is not supported by this server"
    assert answer_text(result) == ""
    graph["nodes"][1]["flowNodeType"] = "madeUpNode"
    result, _ = await run_graph(plain_deps, graph)
    assert result.error == "Unknown node type 'madeUpNode'"


async def test_reference_to_missing_node(plain_deps):
    node = answer_node("a1", ["ghost", "out"])
    node["inputs"][0]["renderTypeList"] = ["reference"]
    graph = {"nodes": [start_node(), node], "edges": [edge("start", "a1")]}
    result, _ = await run_graph(plain_deps, graph)
    assert result.error == "Input 'text' references missing node 'ghost'"


async def test_missing_required_input(plain_deps):
    node = answer_node("a1", "x")
    del node["inputs"][0]["value"]
    node["inputs"][0]["required"] = True
    node["inputs"][0]["label"] = "Reply text"
    graph = {"nodes": [start_node(), node], "edges": [edge("start", "a1")]}
    result, _ = await run_graph(plain_deps, graph)
    assert result.error == "Missing required input 'Reply text'"


async def test_cycle_without_loop_node_hits_run_budget(plain_deps):
    graph = {
        "nodes": [start_node(), answer_node("a", "a"), answer_node("b", "b")],
        "edges": [edge("start", "a"), edge("a", "b"), edge("b", "a")],
    }
    result, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("x"), max_run_times=20))
    assert result.error is not None and "run budget" in result.error
    assert len(result.flow_responses) <= 20
    assert answer_text(result).count("\na") >= 5
