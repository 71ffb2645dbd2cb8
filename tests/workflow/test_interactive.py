"""userSelect / formInput pause and resume with FastGPT's stored interactive state."""

from __future__ import annotations

import json

from pyfastgpt.workflow.events import InteractiveEvent
from pyfastgpt.workflow.interactive import last_interactive_value
from pyfastgpt.workflow.runner import RunInput
from tests.workflow.helpers import answer_text, human, load_app, run_graph, text_query


async def test_select_then_form_then_answer(plain_deps):
    graph = load_app("interactive")
    result, events = await run_graph(plain_deps, graph, RunInput(query=text_query("shirt")))
    pending = result.interactive
    assert pending["type"] == "userSelect"
    assert pending["params"]["description"] == "Pick a size for shirt"
    assert pending["entryNodeIds"] == ["select1"]
    assert {"nodeId": "workflowStartNodeId", "key": "userChatInput", "value": "shirt"} in pending["nodeOutputs"]
    into_select = [e for e in pending["memoryEdges"] if e["target"] == "select1"]
    assert into_select and all(e["status"] == "active" for e in into_select)
    assert result.assistant_responses[-1] == {"type": "interactive", "interactive": pending}
    public = [e.interactive for e in events if isinstance(e, InteractiveEvent)]
    assert public == [{"type": "userSelect", "params": pending["params"]}]

    histories = [human("shirt"), {"obj": "AI", "value": result.assistant_responses}]
    assert last_interactive_value(histories) == pending
    result2, _ = await run_graph(
        plain_deps, graph, RunInput(query=text_query("Small"), histories=histories, last_interactive=pending)
    )
    form = result2.interactive
    assert form["type"] == "userInput" and form["entryNodeIds"] == ["form1"]
    assert form["params"]["inputForm"][0]["key"] == "name"
    assert result2.flow_responses[0]["userSelectResult"] == "Small"
    assert "large" not in [r["nodeId"] for r in result2.flow_responses]

    histories2 = [human("shirt"), {"obj": "AI", "value": result2.assistant_responses}]
    result3, _ = await run_graph(
        plain_deps,
        graph,
        RunInput(query=text_query(json.dumps({"name": "Ann", "age": 7})), histories=histories2, last_interactive=form),
    )
    assert result3.interactive is None
    assert answer_text(result3) == "\nSmall for Ann (7) after Small"
    assert result3.flow_responses[0]["formInputResult"] == {"name": "Ann", "age": 7}


async def test_select_other_branch(plain_deps):
    graph = load_app("interactive")
    first, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("hat")))
    second, _ = await run_graph(
        plain_deps, graph, RunInput(query=text_query("Large"), last_interactive=first.interactive)
    )
    assert answer_text(second) == "\nLarge!"
    assert second.interactive is None


async def test_nested_child_app_interaction_resumes_through_wrapper(plain_deps):
    from pyfastgpt.workflow.context import WorkflowDeps
    from pyfastgpt.workflow.interactive import public_interactive
    from tests.workflow.helpers import edge, start_node

    child = load_app("interactive")

    class Loader:
        async def load(self, app_id, team_id):
            return "advanced", child

    call = {
        "nodeId": "call",
        "flowNodeType": "appModule",
        "name": "Child",
        "pluginId": "child",
        "inputs": [
            {
                "key": "userChatInput",
                "renderTypeList": ["reference"],
                "valueType": "string",
                "value": ["start", "userChatInput"],
            },
            {"key": "history", "renderTypeList": ["numberInput"], "valueType": "chatHistory", "value": 0},
        ],
        "outputs": [{"id": "answerText", "key": "answerText", "type": "static", "valueType": "string"}],
    }
    parent = {"nodes": [start_node(), call], "edges": [edge("start", "call")]}
    deps = WorkflowDeps(registry=plain_deps.registry, settings=plain_deps.settings, app_loader=Loader())

    first, events = await run_graph(deps, parent, RunInput(query=text_query("coat")))
    wrapper = first.interactive
    assert wrapper["type"] == "childrenInteractive" and wrapper["entryNodeIds"] == ["call"]
    inner = wrapper["params"]["childrenResponse"]
    assert inner["type"] == "userSelect" and inner["entryNodeIds"] == ["select1"]
    assert public_interactive(wrapper) == {"type": "userSelect", "params": inner["params"]}
    assert [e.interactive for e in events if isinstance(e, InteractiveEvent)] == [public_interactive(wrapper)]

    second, _ = await run_graph(deps, parent, RunInput(query=text_query("Large"), last_interactive=wrapper))
    assert second.interactive is None
    assert answer_text(second) == "\nLarge!"


async def test_interaction_inside_loop_resumes_per_item(plain_deps):
    graph = load_app("loop_interactive")
    first, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("go")))
    pending = first.interactive
    assert pending["type"] == "loopInteractive" and pending["entryNodeIds"] == ["loop"]
    assert pending["params"]["currentIndex"] == 0
    assert pending["params"]["childrenResponse"]["params"]["description"] == "Keep x?"

    second, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("keep"), last_interactive=pending))
    pending2 = second.interactive
    assert pending2["type"] == "loopInteractive" and pending2["params"]["currentIndex"] == 1
    assert pending2["params"]["loopResult"] == ["keep"]
    assert pending2["params"]["childrenResponse"]["params"]["description"] == "Keep y?"

    third, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("drop"), last_interactive=pending2))
    assert third.interactive is None
    assert answer_text(third) == '\n[\n  "keep",\n  "drop"\n]'
