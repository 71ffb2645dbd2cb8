"""classifyQuestion, contentExtract and cfr against the fake OpenAI server."""

from __future__ import annotations

import json
from typing import Any

from pyfastgpt.workflow.runner import RunInput
from tests.fake_llm import Reply
from tests.workflow.helpers import ai, answer_node, answer_text, edge, human, run_graph, start_node, text_query


def llm_input(key: str, value: Any, value_type: str = "string") -> dict[str, Any]:
    return {
        "key": key,
        "renderTypeList": ["reference", "textarea"],
        "valueType": value_type,
        "label": key,
        "value": value,
    }


def classify_graph() -> dict[str, Any]:
    agents = [{"value": "Questions about refunds", "key": "refund"}, {"value": "Anything else", "key": "other"}]
    cq = {
        "nodeId": "cq",
        "flowNodeType": "classifyQuestion",
        "name": "问题分类",
        "inputs": [
            llm_input("model", "fake-llm"),
            llm_input("systemPrompt", "Shop assistant"),
            llm_input("history", 6, "chatHistory"),
            llm_input("userChatInput", ["start", "userChatInput"]),
            {"key": "agents", "renderTypeList": ["custom"], "valueType": "any", "label": "", "value": agents},
        ],
        "outputs": [{"id": "cqResult", "key": "cqResult", "type": "static", "valueType": "string"}],
    }
    return {
        "nodes": [
            start_node(),
            cq,
            answer_node("r", "refund desk: {{$cq.cqResult$}}"),
            answer_node("o", "general desk"),
        ],
        "edges": [edge("start", "cq"), edge("cq", "r", "refund"), edge("cq", "o", "other")],
    }


async def test_classify_routes_by_returned_key(deps, fake):
    fake.script(Reply(content="refund"))
    result, _ = await run_graph(deps, classify_graph(), RunInput(query=text_query("I want my money back")))
    assert answer_text(result) == "\nrefund desk: Questions about refunds"
    system = fake.requests[-1]["messages"][0]["content"]
    assert '"id":"refund"' in system.replace(" ", "") and "Shop assistant" in system
    cq = result.flow_responses[1]
    assert cq["cqResult"] == "Questions about refunds" and cq["cqList"][1]["key"] == "other"
    assert fake.requests[-1]["temperature"] == 0.01

    fake.script(Reply(content="I am not sure"))
    result, _ = await run_graph(deps, classify_graph(), RunInput(query=text_query("hello")))
    assert answer_text(result) == "\ngeneral desk"  # no match: the last category


async def test_content_extract_fields(deps, fake):
    keys = [
        {"key": "name", "desc": "person name", "valueType": "string", "required": True, "defaultValue": ""},
        {"key": "age", "desc": "age in years", "valueType": "number", "required": False, "defaultValue": ""},
    ]
    node = {
        "nodeId": "ex",
        "flowNodeType": "contentExtract",
        "name": "文本内容提取",
        "inputs": [
            llm_input("model", "fake-llm"),
            llm_input("description", "extract the person"),
            llm_input("history", 0, "chatHistory"),
            llm_input("content", ["start", "userChatInput"]),
            {"key": "extractKeys", "renderTypeList": ["custom"], "valueType": "any", "label": "", "value": keys},
        ],
        "outputs": [
            {"id": "success", "key": "success", "type": "static", "valueType": "boolean"},
            {"id": "fields", "key": "fields", "type": "static", "valueType": "string"},
            {"id": "name", "key": "name", "type": "static", "valueType": "string"},
            {"id": "age", "key": "age", "type": "static", "valueType": "number"},
        ],
    }
    graph = {
        "nodes": [start_node(), node, answer_node("a", "{{$ex.name$}} is {{$ex.age$}} ({{$ex.success$}})")],
        "edges": [edge("start", "ex"), edge("ex", "a")],
    }
    fake.script(Reply(content='Sure: {"name": "Ann", "age": "31"}'))
    result, _ = await run_graph(deps, graph, RunInput(query=text_query("Ann is 31")))
    assert answer_text(result) == "\nAnn is 31 (true)"
    assert result.flow_responses[1]["extractResult"] == {"name": "Ann", "age": 31}
    assert fake.requests[-1]["response_format"] == {"type": "json_object"}


async def test_query_extension(deps, fake):
    node = {
        "nodeId": "cfr",
        "flowNodeType": "cfr",
        "name": "问题优化",
        "inputs": [
            llm_input("model", "fake-llm"),
            llm_input("systemPrompt", "A shop"),
            llm_input("history", 6, "chatHistory"),
            llm_input("userChatInput", ["start", "userChatInput"]),
        ],
        "outputs": [{"id": "system_text", "key": "system_text", "type": "static", "valueType": "string"}],
    }
    graph = {
        "nodes": [start_node(), node, answer_node("a", ["cfr", "system_text"])],
        "edges": [edge("start", "cfr"), edge("cfr", "a")],
    }
    fake.script(Reply(content='检索词: ["refund rules", "return window", "how to return"]'))
    result, _ = await run_graph(
        deps, graph, RunInput(query=text_query("how to return?"), histories=[human("I bought shoes"), ai("Nice!")])
    )
    assert json.loads(answer_text(result)) == ["how to return?", "refund rules", "return window"]
    prompt = fake.requests[-1]["messages"][0]["content"]
    assert "user: 对话背景。\nassistant: A shop\nuser: I bought shoes\nassistant: Nice!" in prompt
    assert prompt.endswith("原问题: how to return?\n检索词: ")
    assert result.usages[0].module_name == "问题优化"


async def test_classify_remembers_last_result(deps, fake):
    fake.script(Reply(content="refund"))
    first, _ = await run_graph(deps, classify_graph(), RunInput(app_id="app1", query=text_query("money back")))
    assert first.memories == {"app1-cq": {"value": "Questions about refunds", "key": "refund"}}
    histories = [human("money back"), {"obj": "AI", "value": first.assistant_responses, "memories": first.memories}]
    fake.script(Reply(content="refund"))
    await run_graph(deps, classify_graph(), RunInput(app_id="app1", query=text_query("and?"), histories=histories))
    system = fake.requests[-1]["messages"][0]["content"]
    assert '## 上一轮分类结果\n{"value":"Questions about refunds","key":"refund"}' in system
