"""`loopRun` / `loopRunStart` / `loopRunBreak` (FastGPT 4.15+): array and conditional loops, custom
outputs from the last iteration, shared variables, break, limits and errors, pause/resume."""

from __future__ import annotations

import json
from typing import Any

from pyfastgpt.workflow.context import WorkflowDeps
from pyfastgpt.workflow.runner import RunInput
from tests.workflow.helpers import answer_node, answer_text, edge, human, run_graph, start_node, text_query
from tests.workflow.nodes.containers import (
    chain,
    http_get,
    if_else,
    loop_run,
    loop_run_break,
    loop_run_start,
    set_variable,
    text_editor,
    user_select,
    variables,
)

ITEMS = ["VARIABLE_NODE_ID", "items"]


def loop_app(
    body: list[dict[str, Any]],
    body_edges: list[dict[str, Any]],
    reply: Any,
    *,
    items: list[Any] | None = None,
    **options: Any,
) -> dict[str, Any]:
    """start -> loop(body) -> out; `items` is the declared variable `items`, `acc`/`n` are strings."""
    children = [node["nodeId"] for node in body]
    return {
        "nodes": [start_node(), loop_run("loop", children, items=ITEMS, **options), *body, answer_node("out", reply)],
        "edges": [edge("start", "loop"), edge("loop", "out"), *body_edges],
        "chatConfig": variables(items=("arrayAny", json.dumps(items or [])), acc=("string", ""), n=("string", "")),
    }


def loop_response(result: Any) -> dict[str, Any]:
    return [r for r in result.flow_responses if r["nodeId"] == "loop"][-1]


def counting_body(limit: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Conditional body: n += "x"; if len(n) == limit -> break."""
    body = [
        loop_run_start("rs", "loop"),
        set_variable("inc", "loop", "n", "{{n}}x"),
        if_else("chk", "loop", ["VARIABLE_NODE_ID", "n"], "lengthEqualTo", limit),
        loop_run_break("brk", "loop"),
    ]
    return body, [*chain("rs", "inc", "chk"), edge("chk", "brk", "IF")]


async def test_array_loop_outputs_last_iteration_and_keeps_variables(plain_deps):
    body = [
        loop_run_start("rs", "loop"),
        text_editor("te", "loop", "{{item}}@{{idx}}", {"item": ["rs", "currentItem"], "idx": ["rs", "currentIndex"]}),
        set_variable("acc_add", "loop", "acc", "{{acc}}[{{$te.system_text$}}]"),
    ]
    app = loop_app(
        body,
        chain("rs", "te", "acc_add"),
        "{{$loop.last$}} | {{acc}}",
        items=["a", "b", "c"],
        outputs={"last": (["te", "system_text"], "string")},
    )
    result, _ = await run_graph(plain_deps, app, RunInput(query=text_query("go")))

    assert result.error is None
    assert answer_text(result) == "\nc@2 | [a@0][b@1][c@2]"
    response = loop_response(result)
    assert response["loopRunIterations"] == 3 and response["loopRunInput"] == ["a", "b", "c"]
    assert response["loopRunHistory"] == [
        {"iteration": 1, "customOutputs": {"last": "a@0"}, "success": True},
        {"iteration": 2, "customOutputs": {"last": "b@1"}, "success": True},
        {"iteration": 3, "customOutputs": {"last": "c@2"}, "success": True},
    ]
    detail = response["loopRunDetail"][1]
    assert (
        detail["id"] == "loop_iter_2"
        and detail["loopInputValue"] == "b"
        and detail["loopOutputValue"] == {"last": "b@1"}
    )
    assert [r["moduleType"] for r in detail["childrenResponses"]] == ["loopRunStart", "textEditor", "variableUpdate"]
    assert result.new_variables["acc"] == "[a@0][b@1][c@2]"


async def test_conditional_loop_stops_at_break(plain_deps):
    body, body_edges = counting_body("3")
    app = loop_app(
        body,
        body_edges,
        "{{$loop.iter$}} {{n}}",
        mode="conditional",
        outputs={"iter": (["rs", "currentIteration"], "number")},
    )
    result, _ = await run_graph(plain_deps, app, RunInput(query=text_query("go")))

    assert result.error is None
    assert answer_text(result) == "\n3 xxx"
    response = loop_response(result)
    assert response["loopRunIterations"] == 3 and "loopRunInput" not in response
    assert [r["moduleType"] for r in response["loopRunDetail"][2]["childrenResponses"]] == [
        "loopRunStart",
        "variableUpdate",
        "ifElseNode",
        "loopRunBreak",
    ]


async def test_break_also_ends_an_array_loop(plain_deps):
    body = [
        loop_run_start("rs", "loop"),
        if_else("chk", "loop", ["rs", "currentItem"], "equalTo", "stop"),
        loop_run_break("brk", "loop"),
        text_editor("te", "loop", "{{item}}", {"item": ["rs", "currentItem"]}),
    ]
    body_edges = [*chain("rs", "chk"), edge("chk", "brk", "IF"), edge("chk", "te", "ELSE")]
    app = loop_app(
        body,
        body_edges,
        "{{$loop.last$}}",
        items=["a", "stop", "c"],
        outputs={"last": (["te", "system_text"], "string")},
    )
    result, _ = await run_graph(plain_deps, app, RunInput(query=text_query("go")))
    response = loop_response(result)
    assert response["loopRunIterations"] == 2
    # `te` did not run in the breaking iteration: its earlier value does not leak into the output.
    assert response["loopRunHistory"][1]["customOutputs"] == {"last": None}
    assert answer_text(result) == "\n"


async def test_iteration_limit(plain_deps):
    deps = WorkflowDeps(
        registry=plain_deps.registry, settings=plain_deps.settings.model_copy(update={"workflow_max_loop_times": 4})
    )
    body, body_edges = counting_body("99")
    app = loop_app(body, body_edges, "never", mode="conditional")
    result, _ = await run_graph(deps, app, RunInput(query=text_query("go")))
    assert result.error == "workflow:loop_run_max_iterations_exceeded"
    assert answer_text(result) == ""
    response = loop_response(result)
    assert response["loopRunIterations"] == 4 and all(h["success"] for h in response["loopRunHistory"])

    too_long = loop_app(*counting_body("1"), "never", items=list("abcde"))
    result, _ = await run_graph(deps, too_long, RunInput(query=text_query("go")))
    assert result.error == "workflow:loop_run_max_iterations_exceeded"
    assert "loopRunIterations" not in loop_response(result)


async def test_prechecks_route_to_the_catch_branch(plain_deps):
    body = [loop_run_start("rs", "loop"), text_editor("te", "loop", "x", {})]
    app = loop_app(body, chain("rs", "te"), "never", mode="conditional")
    app["nodes"][1]["catchError"] = True
    app["nodes"].append(answer_node("caught", "caught: {{$loop.system_error_text$}}"))
    app["edges"].append(edge("loop", "caught", kind="source_catch"))
    result, _ = await run_graph(plain_deps, app, RunInput(query=text_query("go")))
    assert answer_text(result) == "\ncaught: workflow:loop_run_conditional_requires_break"

    app["nodes"][1]["inputs"][0]["value"] = "array"
    app["nodes"][1]["inputs"][1]["value"] = ["start", "userChatInput"]
    app["nodes"][1]["inputs"][1]["valueType"] = "any"
    result, _ = await run_graph(plain_deps, app, RunInput(query=text_query("go")))
    assert answer_text(result) == "\ncaught: workflow:loop_run_input_not_array"


async def test_a_failing_iteration_ends_the_loop_with_its_error(plain_deps, body_server):
    body = [
        loop_run_start("rs", "loop"),
        text_editor("te", "loop", "{{item}}", {"item": ["rs", "currentItem"]}),
        http_get("call", "loop", body_server.url + "/flaky", {"item": ["rs", "currentItem"]}, {"item": "{{item}}"}),
        text_editor("after", "loop", "got {{v}}", {"v": ["call", "value"]}),
    ]
    app = loop_app(
        body,
        chain("rs", "te", "call", "after"),
        "never",
        items=["a:0", "b:-1", "c:0"],
        outputs={"seen": (["te", "system_text"], "string"), "after": (["after", "system_text"], "string")},
    )
    result, _ = await run_graph(plain_deps, app, RunInput(query=text_query("go")))

    assert body_server.calls == {"a": 1, "b": 1}
    assert result.error.startswith("HTTP 502")
    assert answer_text(result) == ""
    response = loop_response(result)
    history = response["loopRunHistory"]
    assert history[0] == {"iteration": 1, "customOutputs": {"seen": "a:0", "after": "got A"}, "success": True}
    assert history[1]["success"] is False and history[1]["error"] == response["errorText"] == result.error
    # `after` did not run in the failing iteration: no stale value from iteration 1.
    assert history[1]["customOutputs"] == {"seen": "b:-1", "after": None}


async def test_interaction_pauses_and_resumes_in_the_same_iteration(plain_deps):
    body = [
        loop_run_start("rs", "loop"),
        user_select("sel", "loop", "Keep {{$rs.currentItem$}}?", ["keep", "drop"]),
        text_editor(
            "te", "loop", "{{item}}:{{choice}}", {"item": ["rs", "currentItem"], "choice": ["sel", "selectResult"]}
        ),
        set_variable("acc_add", "loop", "acc", "{{acc}}{{$te.system_text$}};"),
    ]
    body_edges = [*chain("rs", "sel"), edge("sel", "te", "keep"), edge("sel", "te", "drop"), *chain("te", "acc_add")]
    app = loop_app(
        body,
        body_edges,
        "{{$loop.last$}} / {{acc}}",
        items=["x", "y"],
        outputs={"last": (["te", "system_text"], "string")},
    )

    first, _ = await run_graph(plain_deps, app, RunInput(query=text_query("go")))
    pending = first.interactive
    assert pending["type"] == "loopRunInteractive" and pending["entryNodeIds"] == ["loop"]
    assert pending["params"]["iteration"] == 1 and pending["params"]["loopHistory"] == []
    inner = pending["params"]["childrenResponse"]
    assert inner["type"] == "userSelect" and inner["entryNodeIds"] == ["sel"]
    assert inner["params"]["description"] == "Keep x?"
    assert first.assistant_responses[-1] == {"type": "interactive", "interactive": pending}
    paused = loop_response(first)
    assert paused["loopRunHistory"] == []
    assert [r["moduleType"] for r in paused["loopRunDetail"][0]["childrenResponses"]] == ["loopRunStart"]

    histories = [human("go"), {"obj": "AI", "value": first.assistant_responses}]
    second, _ = await run_graph(
        plain_deps,
        app,
        RunInput(query=text_query("keep"), histories=histories, last_interactive=pending),
    )
    pending2 = second.interactive
    assert pending2["type"] == "loopRunInteractive" and pending2["params"]["iteration"] == 2
    assert pending2["params"]["loopHistory"] == [{"iteration": 1, "customOutputs": {"last": "x:keep"}, "success": True}]
    assert pending2["params"]["childrenResponse"]["params"]["description"] == "Keep y?"
    assert second.new_variables["acc"] == "x:keep;"

    histories2 = [human("go"), {"obj": "AI", "value": second.assistant_responses}]
    third, _ = await run_graph(
        plain_deps,
        app,
        RunInput(
            query=text_query("drop"),
            histories=histories2,
            last_interactive=pending2,
            variables={"acc": second.new_variables["acc"]},
        ),
    )
    assert third.interactive is None and third.error is None
    assert answer_text(third) == "\ny:drop / x:keep;y:drop;"
    assert [h["customOutputs"]["last"] for h in loop_response(third)["loopRunHistory"]] == ["x:keep", "y:drop"]
