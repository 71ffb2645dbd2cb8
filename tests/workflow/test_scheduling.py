"""Recursive (loop-back) edges, concurrent branches, stop signal and legacy `modules`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from pyfastgpt.workflow.events import NodeResponse
from pyfastgpt.workflow.runner import RunInput, WorkflowRunner
from tests.workflow.helpers import answer_node, answer_text, edge, run_graph, start_node, text_query


def counter_loop_graph(limit: int) -> dict[str, Any]:
    """start -> inc -> check --IF(count<limit)--> inc (loop-back) ; --ELSE--> done."""
    inc = {
        "nodeId": "inc",
        "flowNodeType": "variableUpdate",
        "name": "inc",
        "inputs": [
            {
                "key": "updateList",
                "renderTypeList": ["hidden"],
                "valueType": "any",
                "value": [{"variable": ["VARIABLE_NODE_ID", "n"], "value": ["", "{{n}}"], "valueType": "string"}],
            }
        ],
        "outputs": [],
    }
    # Appending "x" each round: the length of n counts iterations.
    inc["inputs"][0]["value"][0]["value"] = ["", "{{n}}x"]
    check = {
        "nodeId": "check",
        "flowNodeType": "ifElseNode",
        "name": "check",
        "inputs": [
            {
                "key": "ifElseList",
                "renderTypeList": ["hidden"],
                "valueType": "any",
                "value": [
                    {
                        "condition": "AND",
                        "list": [
                            {"variable": ["VARIABLE_NODE_ID", "n"], "condition": "lengthLessThan", "value": str(limit)}
                        ],
                    }
                ],
            }
        ],
        "outputs": [{"id": "ifElseResult", "key": "ifElseResult", "valueType": "string", "type": "static"}],
    }
    return {
        "nodes": [start_node(), inc, check, answer_node("done", "n={{n}}")],
        "edges": [
            edge("start", "inc"),
            edge("inc", "check"),
            edge("check", "inc", "IF"),
            edge("check", "done", "ELSE"),
        ],
        "chatConfig": {"variables": [{"key": "n", "label": "n", "valueType": "string", "defaultValue": ""}]},
    }


async def test_loop_back_edges_run_until_branch_exits(plain_deps):
    result, _ = await run_graph(plain_deps, counter_loop_graph(5), RunInput(query=text_query("go")))
    assert result.error is None
    assert answer_text(result) == "\nn=xxxxx"
    assert [r["nodeId"] for r in result.flow_responses].count("inc") == 5


async def test_loop_back_graph_hits_budget_as_error(plain_deps):
    result, _ = await run_graph(
        plain_deps, counter_loop_graph(1000), RunInput(query=text_query("go"), max_run_times=30)
    )
    assert result.error == "Workflow stopped: run budget of 30 node runs exhausted"
    assert answer_text(result) == ""


@pytest.fixture
async def rendezvous_server() -> AsyncIterator[str]:
    """`/meet` answers only once two requests are in flight together (proves concurrency)."""
    arrived: list[asyncio.Event] = []
    both = asyncio.Event()

    async def meet(request: web.Request) -> web.Response:
        arrived.append(asyncio.Event())
        if len(arrived) >= 2:
            both.set()
        try:
            await asyncio.wait_for(both.wait(), 5)
        except TimeoutError:
            return web.json_response({"met": False})
        return web.json_response({"met": True})

    app = web.Application()
    app.router.add_get("/meet", meet)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/meet"  # type: ignore[union-attr]
    await runner.cleanup()


def http_get(node_id: str, url: str) -> dict[str, Any]:
    return {
        "nodeId": node_id,
        "flowNodeType": "httpRequest468",
        "name": node_id,
        "inputs": [
            {"key": "system_httpMethod", "renderTypeList": ["custom"], "valueType": "string", "value": "GET"},
            {"key": "system_httpReqUrl", "renderTypeList": ["hidden"], "valueType": "string", "value": url},
            {"key": "system_httpTimeout", "renderTypeList": ["custom"], "valueType": "number", "value": 10},
        ],
        "outputs": [
            {"id": "httpRawResponse", "key": "httpRawResponse", "type": "static", "valueType": "any"},
            {"id": "met", "key": "met", "type": "dynamic", "valueType": "boolean"},
        ],
    }


async def test_parallel_branches_run_concurrently_and_join(plain_deps, rendezvous_server):
    graph = {
        "nodes": [
            start_node(),
            http_get("h1", rendezvous_server),
            http_get("h2", rendezvous_server),
            answer_node("join", "{{$h1.met$}} {{$h2.met$}}"),
        ],
        "edges": [edge("start", "h1"), edge("start", "h2"), edge("h1", "join"), edge("h2", "join")],
    }
    result, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("x")))
    assert answer_text(result) == "\ntrue true"
    assert [r["nodeId"] for r in result.flow_responses].count("join") == 1


async def test_stop_event_ends_the_run(plain_deps):
    run_input = RunInput(query=text_query("go"))
    runner = WorkflowRunner(plain_deps)
    seen = []
    async for event in runner.run(counter_loop_graph(1000), run_input):
        seen.append(event)
        if isinstance(event, NodeResponse) and len(seen) > 10:
            run_input.stop_event.set()
    result = seen[-1].result
    assert result.error is None
    assert len(result.flow_responses) < 100


async def test_legacy_modules_key_and_user_guide_variables(plain_deps):
    guide = {
        "nodeId": "userGuide",
        "flowNodeType": "userGuide",
        "name": "guide",
        "inputs": [
            {
                "key": "variables",
                "renderTypeList": ["hidden"],
                "valueType": "any",
                "value": [{"key": "who", "label": "Who", "valueType": "string", "defaultValue": "you"}],
            }
        ],
        "outputs": [],
    }
    graph = {"modules": [guide, start_node(), answer_node("a", "hi {{who}}")], "edges": [edge("start", "a")]}
    result, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("x"), variables={"Who": "Bo"}))
    assert answer_text(result) == "\nhi Bo"
