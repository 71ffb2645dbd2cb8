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
