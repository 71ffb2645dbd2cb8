"""`parallelRun` (FastGPT 4.14.11+): concurrent tasks over an array, results in input order,
concurrency cap, per-item retries, isolated variables, interaction refused per task."""

from __future__ import annotations

import json
from typing import Any

from pyfastgpt.workflow.runner import RunInput
from tests.workflow.helpers import answer_node, answer_text, edge, run_graph, start_node, text_query
from tests.workflow.nodes.containers import (
    chain,
    http_get,
    loop_end,
    loop_start,
    parallel_run,
    set_variable,
    text_editor,
    user_select,
    variables,
)

ITEMS = ["VARIABLE_NODE_ID", "items"]


def parallel_app(
    body: list[dict[str, Any]], body_edges: list[dict[str, Any]], items: list[Any], **options: Any
) -> dict[str, Any]:
    """start -> par(body: ps -> ... -> pe) -> out; `items` is the declared variable `items`."""
    children = [node["nodeId"] for node in body]
    return {
        "nodes": [
            start_node(),
            parallel_run("par", ITEMS, children, **options),
            *body,
            answer_node("out", "{{$par.parallelStatus$}} {{$par.parallelSuccessResults$}}"),
        ],
        "edges": [edge("start", "par"), edge("par", "out"), *body_edges],
        "chatConfig": variables(items=("arrayAny", json.dumps(items)), n=("string", "")),
    }


def response_of(result: Any, node_id: str) -> dict[str, Any]:
    return next(r for r in result.flow_responses if r["nodeId"] == node_id)


async def test_text_body_results_in_input_order(plain_deps):
    body = [
        loop_start("ps", "par"),
        text_editor(
            "pt",
            "par",
            "{{item}}#{{idx}}{{q}}",  # `q` reads a node outside the body
            {"item": ["ps", "loopStartInput"], "idx": ["ps", "loopStartIndex"], "q": ["start", "userChatInput"]},
        ),
        loop_end("pe", "par", ["pt", "system_text"]),
    ]
    app = parallel_app(body, chain("ps", "pt", "pe"), ["a", "b", "c", "d"], concurrency=2, retries=0)
    result, _ = await run_graph(plain_deps, app, RunInput(query=text_query("!")))

    assert result.error is None
    assert answer_text(result) == '\nsuccess ["a#1!","b#2!","c#3!","d#4!"]'
    response = response_of(result, "par")
    assert response["parallelResult"] == ["a#1!", "b#2!", "c#3!", "d#4!"]
    assert response["parallelRunDetail"][1] == {"success": True, "index": 1, "data": "b#2!"}
    tasks = response["parallelDetail"]
    assert [t["id"] for t in tasks] == ["par_task_0", "par_task_1", "par_task_2", "par_task_3"]
    assert tasks[2]["moduleName"] == "workflow:parallel_task" and tasks[2]["moduleNameArgs"] == {"index": 3}
    assert tasks[2]["loopInputValue"] == "c" and tasks[2]["loopOutputValue"] == "c#3!"
    assert [r["moduleType"] for r in tasks[0]["childrenResponses"]] == ["loopStart", "textEditor", "loopEnd"]
    # The body's nodes only ran inside the tasks.
    assert [r["nodeId"] for r in result.flow_responses] == ["start", "par", "out"]


async def test_results_keep_input_order_when_later_items_finish_first(plain_deps, body_server):
    body = [
        loop_start("ps", "par"),
        http_get("call", "par", body_server.url + "/slow", {"item": ["ps", "loopStartInput"]}, {"item": "{{item}}"}),
        loop_end("pe", "par", ["call", "value"]),
    ]
    app = parallel_app(body, chain("ps", "call", "pe"), ["x-240", "y-120", "z-0"], concurrency=3, retries=0)
    result, _ = await run_graph(plain_deps, app, RunInput(query=text_query("go")))
    assert result.error is None
    assert body_server.finished == ["z", "y", "x"]
    assert response_of(result, "par")["parallelResult"] == ["X", "Y", "Z"]


async def test_concurrency_cap_is_observed(plain_deps, body_server):
    body = [
        loop_start("ps", "par"),
        http_get(
            "call",
            "par",
            body_server.url + "/slow",
            {"item": ["ps", "loopStartInput"]},
            {"item": "{{item}}", "ms": "150"},
        ),
        loop_end("pe", "par", ["call", "value"]),
    ]
    items = [f"i{n}" for n in range(7)]
    app = parallel_app(body, chain("ps", "call", "pe"), items, concurrency=3, retries=0)
    result, _ = await run_graph(plain_deps, app, RunInput(query=text_query("go")))

    assert result.error is None
    assert response_of(result, "par")["parallelResult"] == [item.upper() for item in items]
    assert body_server.max_in_flight == 3
    assert sum(body_server.calls.values()) == 7


async def test_concurrency_is_clamped_to_the_deployment_cap(plain_deps, body_server):
    body = [
        loop_start("ps", "par"),
        http_get(
            "call",
            "par",
            body_server.url + "/slow",
            {"item": ["ps", "loopStartInput"]},
            {"item": "{{item}}", "ms": "150"},
        ),
        loop_end("pe", "par", ["call", "value"]),
    ]
    app = parallel_app(body, chain("ps", "call", "pe"), [str(n) for n in range(12)], concurrency=50, retries=0)
    result, _ = await run_graph(plain_deps, app, RunInput(query=text_query("go")))
    assert response_of(result, "par")["parallelRunDetail"][11]["success"] is True
    assert body_server.max_in_flight == 10  # WORKFLOW_PARALLEL_MAX_CONCURRENCY default


async def test_failing_items_are_retried_then_reported(plain_deps, body_server):
    body = [
        loop_start("ps", "par"),
        http_get("call", "par", body_server.url + "/flaky", {"item": ["ps", "loopStartInput"]}, {"item": "{{item}}"}),
        loop_end("pe", "par", ["call", "value"]),
    ]
    app = parallel_app(body, chain("ps", "call", "pe"), ["a:0", "b:2", "bad:-1"], retries=2)
    result, _ = await run_graph(plain_deps, app, RunInput(query=text_query("go")))

    assert body_server.calls == {"a": 1, "b": 3, "bad": 3}
    assert answer_text(result) == '\npartial_success ["A","B"]'
    par = next(n for n in result.flow_responses if n["nodeId"] == "par")
    full = par["parallelRunDetail"]
    assert full[0] == {"success": True, "index": 0, "data": "A"}
    assert full[2]["success"] is False and full[2]["error"].startswith("HTTP 502")
    tasks = par["parallelDetail"]
    assert [t["id"] for t in tasks] == ["par_task_0_attempt_0", "par_task_1_attempt_2", "par_task_2_attempt_2"]
    assert tasks[2]["error"] == full[2]["error"] and "loopOutputValue" in tasks[2]
    # The node itself succeeded: its outputs feed downstream nodes.
    assert result.error is None


async def test_full_results_output_shape(plain_deps, body_server):
    body = [
        loop_start("ps", "par"),
        http_get("call", "par", body_server.url + "/flaky", {"item": ["ps", "loopStartInput"]}, {"item": "{{item}}"}),
        loop_end("pe", "par", ["call", "value"]),
    ]
    app = parallel_app(body, chain("ps", "call", "pe"), ["x:-1", "y:0"], retries=0)
    app["nodes"][-1] = answer_node("out", ["par", "parallelFullResults"])
    result, _ = await run_graph(plain_deps, app, RunInput(query=text_query("go")))
    full = json.loads(answer_text(result))
    assert full[1] == {"success": True, "message": "", "data": "Y"}
    assert full[0]["success"] is False and full[0]["data"] is None
    assert full[0]["message"].startswith("HTTP 502")


async def test_variables_updated_in_a_task_stay_in_the_task(plain_deps):
    body = [
        loop_start("ps", "par"),
        set_variable("upd", "par", "n", "{{n}}+"),
        text_editor("pt", "par", "{{n}}{{item}}", {"item": ["ps", "loopStartInput"]}),
        loop_end("pe", "par", ["pt", "system_text"]),
    ]
    app = parallel_app(body, chain("ps", "upd", "pt", "pe"), ["a", "b"], retries=0)
    app["nodes"][-1] = answer_node("out", "{{$par.parallelSuccessResults$}} n={{n}}")
    result, _ = await run_graph(plain_deps, app, RunInput(query=text_query("go")))
    assert answer_text(result) == '\n["+a","+b"] n='
    assert result.new_variables["n"] == ""


async def test_interaction_inside_a_task_fails_that_task(plain_deps):
    body = [
        loop_start("ps", "par"),
        user_select("sel", "par", "Keep {{$ps.loopStartInput$}}?", ["keep", "drop"]),
        loop_end("pe", "par", ["sel", "selectResult"]),
    ]
    edges = [*chain("ps", "sel"), edge("sel", "pe", "keep"), edge("sel", "pe", "drop")]
    app = parallel_app(body, edges, ["x", "y"], retries=3)
    result, _ = await run_graph(plain_deps, app, RunInput(query=text_query("go")))

    assert result.interactive is None
    assert answer_text(result) == "\nfailed []"
    detail = response_of(result, "par")["parallelRunDetail"]
    assert detail == [
        {"success": False, "index": 0, "error": "workflow:parallel_task_interactive_not_supported"},
        {"success": False, "index": 1, "error": "workflow:parallel_task_interactive_not_supported"},
    ]
    # Not retried: one attempt per task.
    assert [t["id"] for t in response_of(result, "par")["parallelDetail"]] == [
        "par_task_0_attempt_0",
        "par_task_1_attempt_0",
    ]


async def test_empty_array_succeeds(plain_deps):
    body = [loop_start("ps", "par"), loop_end("pe", "par", ["ps", "loopStartInput"])]
    result, _ = await run_graph(plain_deps, parallel_app(body, chain("ps", "pe"), []), RunInput(query=text_query("go")))
    assert answer_text(result) == "\nsuccess []"


async def test_bad_input_is_a_node_error(plain_deps):
    body = [loop_start("ps", "par"), loop_end("pe", "par", ["ps", "loopStartInput"])]
    too_long = parallel_app(body, chain("ps", "pe"), list(range(101)))
    result, _ = await run_graph(plain_deps, too_long, RunInput(query=text_query("go")))
    assert result.error == "Input array length cannot be greater than 100"
    assert answer_text(result) == ""

    not_array = parallel_app(body, chain("ps", "pe"), [])
    not_array["nodes"][1]["inputs"][0]["valueType"] = "any"
    not_array["nodes"][1]["inputs"][0]["value"] = ["start", "userChatInput"]
    result, _ = await run_graph(plain_deps, not_array, RunInput(query=text_query("go")))
    assert result.error == "Input value is not an array"
