"""`tools` node: function calling over attached nodes, tool events, stopTool and interactive tools."""

from __future__ import annotations

import json

from pyfastgpt.workflow.events import AnswerDelta, ToolCallEvent, ToolResponseEvent
from pyfastgpt.workflow.runner import RunInput
from tests.fake_llm import Reply
from tests.workflow.helpers import answer_text, human, load_app, run_graph, text_query


async def test_tool_call_round_trip(deps, fake):
    fake.script(Reply(tool_calls=[("weather", '{"city": "Paris"}')]), Reply(content="It is sunny in Paris."))
    result, events = await run_graph(deps, load_app("tool_agent"), RunInput(query=text_query("weather in Paris?")))
    assert result.error is None, result.flow_responses
    calls = [e.tool for e in events if isinstance(e, ToolCallEvent)]
    assert calls[0]["functionName"] == "weather" and calls[0]["toolName"] == "Weather"
    responses = [e.tool["response"] for e in events if isinstance(e, ToolResponseEvent)]
    assert json.loads(responses[0]) == {"weather": "sunny in Paris"}
    first = fake.requests[0]
    names = sorted(t["function"]["name"] for t in first["tools"])
    assert names == ["confirm", "weather"]
    weather_tool = next(t for t in first["tools"] if t["function"]["name"] == "weather")
    assert weather_tool["function"]["parameters"]["properties"]["city"]["description"] == "City name"
    second = fake.requests[1]["messages"]
    assert second[-1]["role"] == "tool" and "sunny in Paris" in second[-1]["content"]
    tool_part = next(p for p in result.assistant_responses if p["type"] == "tool")
    assert tool_part["tools"][0]["params"] == '{"city": "Paris"}'
    assert answer_text(result) == "It is sunny in Paris."
    node = result.flow_responses[-1]
    assert node["moduleType"] == "tools" and node["toolDetail"][0]["moduleType"] == "code"
    assert [u.module_name for u in result.usages] == ["工具调用"]
    assert "".join(e.content for e in events if isinstance(e, AnswerDelta)) == "It is sunny in Paris."


async def test_interactive_tool_pauses_and_resumes_then_stops(deps, fake):
    graph = load_app("tool_agent")
    fake.script(Reply(tool_calls=[("confirm", '{"item": "tea"}')]))
    first, _ = await run_graph(deps, graph, RunInput(query=text_query("order tea")))
    pending = first.interactive
    assert pending["type"] == "userSelect" and pending["params"]["description"] == "Order tea?"
    assert pending["entryNodeIds"] == ["agent"]
    assert pending["toolParams"]["entryNodeIds"] == ["ask"]
    assert pending["toolParams"]["memoryMessages"][0]["tool_calls"][0]["function"]["name"] == "confirm"

    histories = [human("order tea"), {"obj": "AI", "value": first.assistant_responses}]
    second, _ = await run_graph(
        deps, graph, RunInput(query=text_query("Yes"), histories=histories, last_interactive=pending)
    )
    assert second.error is None, second.flow_responses
    assert second.interactive is None
    assert answer_text(second) == "\nOrdered tea"
    assert len(fake.requests) == 1  # stopTool ended the loop without another model call
