"""A system tool attached to FastGPT's `tools` agent: the model calls it, its outputs are the answer."""

from __future__ import annotations

import json

from pyfastgpt.workflow.events import ToolResponseEvent
from pyfastgpt.workflow.runner import RunInput
from tests.fake_llm import Reply
from tests.workflow.helpers import answer_text, edge, run_graph, start_node, text_query


def _agent_app() -> dict[str, object]:
    agent = {
        "nodeId": "agent",
        "name": "工具调用",
        "flowNodeType": "tools",
        "inputs": [
            {"key": "model", "renderTypeList": ["settingLLMModel"], "valueType": "string", "value": "fake-llm"},
            {"key": "systemPrompt", "renderTypeList": ["textarea"], "valueType": "string", "value": "Use tools."},
            {"key": "history", "renderTypeList": ["numberInput"], "valueType": "chatHistory", "value": 0},
            {
                "key": "userChatInput",
                "renderTypeList": ["reference"],
                "valueType": "string",
                "value": ["start", "userChatInput"],
            },
        ],
        "outputs": [{"id": "answerText", "key": "answerText", "type": "static", "valueType": "string"}],
    }
    math_tool = {
        "nodeId": "calc",
        "name": "数学公式执行",
        "intro": "Evaluate a math expression",
        "flowNodeType": "pluginModule",
        "pluginId": "community-mathExprVal",
        "inputs": [
            {
                "key": "expr",
                "renderTypeList": ["reference", "input"],
                "valueType": "string",
                "label": "数学表达式",
                "required": True,
                "toolDescription": "需要执行的数学表达式",
            }
        ],
        "outputs": [{"id": "result", "key": "result", "type": "static", "valueType": "string"}],
    }
    return {
        "nodes": [start_node(), agent, math_tool],
        "edges": [
            edge("start", "agent"),
            {"source": "agent", "target": "calc", "sourceHandle": "selectedTools", "targetHandle": "selectedTools"},
        ],
    }


async def test_agent_calls_a_system_tool_and_reads_its_outputs(deps, fake) -> None:
    fake.script(Reply(tool_calls=[("calc", '{"expr": "6 * 7"}')]), Reply(content="6 × 7 = 42"))
    result, events = await run_graph(deps, _agent_app(), RunInput(query=text_query("what is 6*7?")))
    assert result.error is None, result.flow_responses
    responses = [e.tool["response"] for e in events if isinstance(e, ToolResponseEvent)]
    assert json.loads(responses[0]) == {"result": 42}
    assert fake.requests[1]["messages"][-1]["role"] == "tool"
    assert answer_text(result) == "6 × 7 = 42"
    tools = fake.requests[0]["tools"]
    assert tools[0]["function"]["parameters"]["properties"]["expr"]["description"] == "需要执行的数学表达式"
