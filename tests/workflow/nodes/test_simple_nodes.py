"""Non-model nodes: variableUpdate, textEditor, customFeedback, readFiles, if/else conditions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from pyfastgpt.workflow.context import WorkflowDeps
from pyfastgpt.workflow.events import VariablesUpdated
from pyfastgpt.workflow.file_reader import HttpFileReader
from pyfastgpt.workflow.nodes.if_else import check_condition
from pyfastgpt.workflow.runner import RunInput
from tests.workflow.helpers import answer_node, answer_text, edge, run_graph, start_node, text_query


async def test_variable_update_text_editor_and_feedback(plain_deps):
    update = {
        "nodeId": "upd",
        "flowNodeType": "variableUpdate",
        "name": "变量更新",
        "inputs": [
            {
                "key": "updateList",
                "renderTypeList": ["hidden"],
                "valueType": "any",
                "value": [
                    {
                        "variable": ["VARIABLE_NODE_ID", "count"],
                        "value": ["", "{{count}}1"],
                        "valueType": "number",
                        "renderType": "input",
                    },
                    {
                        "variable": ["VARIABLE_NODE_ID", "last"],
                        "value": ["start", "userChatInput"],
                        "valueType": "string",
                        "renderType": "reference",
                    },
                ],
            }
        ],
        "outputs": [],
    }
    editor = {
        "nodeId": "ed",
        "flowNodeType": "textEditor",
        "name": "文本拼接",
        "inputs": [
            {"key": "system_addInputParam", "renderTypeList": ["addInputParam"], "valueType": "dynamic", "value": {}},
            {
                "key": "obj",
                "renderTypeList": ["reference"],
                "valueType": "object",
                "canEdit": True,
                "value": ["VARIABLE_NODE_ID", "cfg"],
            },
            {
                "key": "system_textareaInput",
                "renderTypeList": ["textarea"],
                "valueType": "string",
                "value": "count={{count}} last={{last}} cfg={{obj}}",
            },
        ],
        "outputs": [{"id": "system_text", "key": "system_text", "type": "static", "valueType": "string"}],
    }
    feedback = {
        "nodeId": "fb",
        "flowNodeType": "customFeedback",
        "name": "自定义反馈",
        "inputs": [
            {
                "key": "system_textareaInput",
                "renderTypeList": ["textarea"],
                "valueType": "string",
                "value": "saw {{last}}",
            }
        ],
        "outputs": [],
    }
    graph = {
        "nodes": [start_node(), update, editor, feedback, answer_node("a", ["ed", "system_text"])],
        "edges": [edge("start", "upd"), edge("upd", "ed"), edge("ed", "fb"), edge("fb", "a")],
        "chatConfig": {
            "variables": [
                {"key": "count", "label": "count", "valueType": "number", "defaultValue": 4},
                {"key": "last", "label": "last", "valueType": "string", "defaultValue": ""},
                {"key": "cfg", "label": "cfg", "valueType": "object", "defaultValue": '{"a": 1}'},
            ]
        },
    }
    result, events = await run_graph(
        plain_deps, graph, RunInput(query=text_query("hey"), chat_id="c1", response_chat_item_id="r1")
    )
    assert result.new_variables == {"count": 41, "last": "hey", "cfg": {"a": 1}}
    assert answer_text(result) == '\ncount=41 last=hey cfg={\n  "a": 1\n}'
    assert result.custom_feedbacks == ["saw hey"]
    updates = [e.variables for e in events if isinstance(e, VariablesUpdated)]
    assert updates == [{"count": 41, "last": "hey", "cfg": {"a": 1}}]


@pytest.mark.parametrize(
    ("condition", "left", "right", "expected"),
    [
        ("isEmpty", "  ", None, True),
        ("isEmpty", [], None, True),
        ("isNotEmpty", {"a": 1}, None, True),
        ("equalTo", 5, "5", True),
        ("equalTo", True, "true", True),
        ("notEqual", "a", "b", True),
        ("greaterThan", "10", "9", True),
        ("lessThanOrEqualTo", 3, "3", True),
        ("include", ["a", 1], "1", True),
        ("include", "hello", "ell", True),
        ("notInclude", "hello", "z", True),
        ("startWith", "  hello", "he", True),
        ("endWith", "hello", "lo", True),
        ("reg", "order-123", "/^order-\\d+$/", True),
        ("reg", 5, "5", False),
        ("lengthEqualTo", [1, 2], "2", True),
        ("lengthGreaterThan", "abc", "2", True),
        ("lengthLessThan", [1], "1", False),
        ("unknownCondition", 1, 1, False),
    ],
)
def test_if_else_conditions(condition, left, right, expected):
    assert check_condition(condition, left, right) is expected


@pytest.fixture
async def file_server() -> AsyncIterator[str]:
    async def doc(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name.endswith(".html"):
            return web.Response(
                text="<html><body><h1>Title</h1><p>Body text</p></body></html>", content_type="text/html"
            )
        return web.Response(text=f"contents of {name}", content_type="text/plain")

    app = web.Application()
    app.router.add_get("/files/{name}", doc)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    await runner.cleanup()


async def test_read_files_node(plain_deps, file_server):
    deps = WorkflowDeps(registry=plain_deps.registry, settings=plain_deps.settings, file_reader=HttpFileReader())
    node: dict[str, Any] = {
        "nodeId": "rf",
        "flowNodeType": "readFiles",
        "name": "文档解析",
        "inputs": [
            {
                "key": "fileUrlList",
                "renderTypeList": ["reference"],
                "valueType": "arrayString",
                "value": [["start", "userFiles"]],
            }
        ],
        "outputs": [{"id": "system_text", "key": "system_text", "type": "static", "valueType": "string"}],
    }
    graph = {
        "nodes": [start_node(), node, answer_node("a", ["rf", "system_text"])],
        "edges": [edge("start", "rf"), edge("rf", "a")],
    }
    query = [
        {"type": "text", "text": {"content": "summarise"}},
        {"type": "file", "file": {"type": "file", "name": "a.txt", "url": f"{file_server}/files/a.txt"}},
        {"type": "file", "file": {"type": "file", "name": "b.html", "url": f"{file_server}/files/b.html"}},
    ]
    result, _ = await run_graph(deps, graph, RunInput(query=query))
    text = answer_text(result)
    assert "File: a.txt\n<Content>\ncontents of a.txt\n</Content>" in text
    assert "Title\nBody text" in text
