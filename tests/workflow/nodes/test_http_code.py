"""httpRequest468 against a local aiohttp server; code nodes in the real sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from pyfastgpt.workflow.runner import RunInput
from tests.workflow.helpers import answer_node, answer_text, edge, run_graph, start_node, text_query


@pytest.fixture
async def http_server() -> AsyncIterator[str]:
    async def echo(request: web.Request) -> web.Response:
        body = await request.text()
        return web.json_response(
            {
                "method": request.method,
                "query": dict(request.query),
                "auth": request.headers.get("Authorization"),
                "body": body,
                "data": {"items": [{"name": "first"}, {"name": "second"}], "count": 2},
            }
        )

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(3)
        return web.json_response({})

    async def fail(request: web.Request) -> web.Response:
        return web.json_response({"message": "nope"}, status=502)

    app = web.Application()
    app.router.add_route("*", "/echo", echo)
    app.router.add_get("/slow", slow)
    app.router.add_get("/fail", fail)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


def http_node(url: str, method: str = "POST", body: str = "", timeout: int = 30, catch: bool = False) -> dict[str, Any]:
    return {
        "nodeId": "http",
        "flowNodeType": "httpRequest468",
        "name": "HTTP",
        "catchError": catch,
        "inputs": [
            {"key": "system_addInputParam", "renderTypeList": ["addInputParam"], "valueType": "dynamic", "value": {}},
            {
                "key": "city",
                "renderTypeList": ["reference"],
                "valueType": "string",
                "canEdit": True,
                "value": ["start", "userChatInput"],
            },
            {"key": "system_httpMethod", "renderTypeList": ["custom"], "valueType": "string", "value": method},
            {"key": "system_httpTimeout", "renderTypeList": ["custom"], "valueType": "number", "value": timeout},
            {"key": "system_httpReqUrl", "renderTypeList": ["hidden"], "valueType": "string", "value": url},
            {
                "key": "system_httpHeader",
                "renderTypeList": ["custom"],
                "valueType": "any",
                "value": [{"key": "Authorization", "type": "string", "value": "Bearer {{token}}"}],
            },
            {
                "key": "system_httpParams",
                "renderTypeList": ["hidden"],
                "valueType": "any",
                "value": [{"key": "q", "type": "string", "value": "{{city}}"}],
            },
            {"key": "system_httpJsonBody", "renderTypeList": ["hidden"], "valueType": "any", "value": body},
            {"key": "system_httpContentType", "renderTypeList": ["hidden"], "valueType": "string", "value": "json"},
        ],
        "outputs": [
            {"id": "error", "key": "error", "type": "error", "valueType": "string"},
            {"id": "httpRawResponse", "key": "httpRawResponse", "type": "static", "valueType": "any", "required": True},
            {"id": "system_addOutputParam", "key": "system_addOutputParam", "type": "dynamic", "valueType": "dynamic"},
            {"id": "o1", "key": "data.count", "type": "dynamic", "valueType": "number"},
            {"id": "o2", "key": "$.data.items[1].name", "type": "dynamic", "valueType": "string"},
        ],
    }


def graph_with(node: dict[str, Any], reply: str, catch_reply: str | None = None) -> dict[str, Any]:
    nodes = [start_node(), node, answer_node("ok", reply)]
    edges = [edge("start", node["nodeId"]), edge(node["nodeId"], "ok")]
    if catch_reply is not None:
        nodes.append(answer_node("caught", catch_reply))
        edges.append(edge(node["nodeId"], "caught", "right", kind="source_catch"))
    return {
        "nodes": nodes,
        "edges": edges,
        "chatConfig": {
            "variables": [{"key": "token", "label": "token", "valueType": "string", "defaultValue": "s3cret"}]
        },
    }


async def test_http_templating_and_jsonpath(plain_deps, http_server):
    body = '{"city": "{{city}}", "n": {{$start.userChatInput$}}, "tag": "a\\"b"}'
    graph = graph_with(http_node(f"{http_server}/echo", body=body), "{{$http.o1$}} {{$http.o2$}}")
    result, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("42")))
    assert result.error is None, result.flow_responses
    assert answer_text(result) == "\n2 second"
    raw = next(r for r in result.flow_responses if r["nodeId"] == "http")["httpResult"]
    assert raw["query"] == {"q": "42"} and raw["auth"] == "Bearer s3cret"
    assert raw["body"].replace(" ", "") == '{"city":"42","n":42,"tag":"a\\"b"}'


async def test_http_timeout_goes_to_catch_branch(plain_deps, http_server):
    graph = graph_with(
        http_node(f"{http_server}/slow", method="GET", timeout=1, catch=True),
        "ok",
        "caught: {{$http.error$}}",
    )
    result, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("x")))
    assert answer_text(result) == "\ncaught: HTTP request timed out after 1s"
    assert result.error == "HTTP request timed out after 1s"


async def test_http_error_status_without_catch_stops_branch(plain_deps, http_server):
    graph = graph_with(http_node(f"{http_server}/fail", method="GET"), "never")
    result, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("x")))
    assert result.error.startswith("HTTP 502")
    assert answer_text(result) == ""


def code_node(code: str, code_type: str, catch: bool = True) -> dict[str, Any]:
    return {
        "nodeId": "code",
        "flowNodeType": "code",
        "name": "Code",
        "catchError": catch,
        "inputs": [
            {"key": "system_addInputParam", "renderTypeList": ["addInputParam"], "valueType": "dynamic", "value": {}},
            {
                "key": "text",
                "renderTypeList": ["reference"],
                "valueType": "string",
                "canEdit": True,
                "value": ["start", "userChatInput"],
            },
            {"key": "codeType", "renderTypeList": ["hidden"], "valueType": "string", "value": code_type},
            {"key": "code", "renderTypeList": ["custom"], "valueType": "string", "value": code},
        ],
        "outputs": [
            {"id": "system_rawResponse", "key": "system_rawResponse", "type": "static", "valueType": "object"},
            {"id": "result", "key": "result", "type": "dynamic", "valueType": "string"},
            {"id": "error", "key": "error", "type": "error", "valueType": "string"},
        ],
    }


@pytest.mark.parametrize(
    ("code_type", "code"),
    [
        (
            "py",
            "import collections, dataclasses, decimal, enum, hashlib, json, re, statistics\n"
            "def main(text):\n    open('scratch.txt', 'w').write(text)\n"
            "    return {'result': open('scratch.txt').read().upper()}",
        ),
        ("js", "function main({text}){ return {result: text.toUpperCase()} }"),
        ("py", "def main(text):\n    return {'result': text.upper()}"),
    ],
)
async def test_code_node_runs(plain_deps, code_type, code):
    graph = graph_with(code_node(code, code_type), "{{$code.result$}}", "caught {{$code.error$}}")
    result, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("abc")))
    assert answer_text(result) == "\nABC"


@pytest.mark.parametrize(
    ("code_type", "code", "message"),
    [
        ("py", "def main(text):\n    while True:\n        pass", "timed out"),
        ("js", "function main(){ while(true){} }", "timed out"),
        (
            "py",
            "def main(text):\n    data = []\n    while True:\n        data.append(bytearray(10**7))",
            "memory limit",
        ),
        ("js", "function main(){ const a=[]; while(true){ a.push(new Array(1e6).fill(1.5)) } }", "memory limit"),
        ("py", "def main(text):\n    return {'result': open('/etc/hostname').read()}", "outside the sandbox"),
        ("py", "import socket\ndef main(text):\n    socket.create_connection(('127.0.0.1', 9))", "network access"),
        (
            "js",
            "function main(){ return {result: require('fs').readFileSync('/etc/hostname','utf8')} }",
            "require is not defined",
        ),
    ],
)
async def test_code_node_faults_go_to_catch_branch(plain_deps, code_type, code, message):
    graph = graph_with(code_node(code, code_type), "never", "caught")
    result, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("abc")))
    assert answer_text(result) == "\ncaught"
    assert message in result.error


@pytest.mark.parametrize(
    ("content_type", "expected_body"),
    [
        ("x-www-form-urlencoded", "city=42&fixed=yes"),
        ("raw-text", "city is 42"),
        ("xml", "<city>42</city>"),
    ],
)
async def test_http_other_content_types(plain_deps, http_server, content_type, expected_body):
    node = http_node(f"{http_server}/echo")
    for item in node["inputs"]:
        if item["key"] == "system_httpContentType":
            item["value"] = content_type
        if item["key"] == "system_httpJsonBody":
            item["value"] = "city is {{city}}" if content_type == "raw-text" else "<city>{{city}}</city>"
    node["inputs"].append(
        {
            "key": "system_httpFormBody",
            "renderTypeList": ["hidden"],
            "valueType": "any",
            "value": [
                {"key": "city", "type": "string", "value": "{{city}}"},
                {"key": "fixed", "type": "string", "value": "yes"},
            ],
        }
    )
    result, _ = await run_graph(plain_deps, graph_with(node, "ok"), RunInput(query=text_query("42")))
    raw = next(r for r in result.flow_responses if r["nodeId"] == "http")["httpResult"]
    assert raw["body"] == expected_body


async def test_http_legacy_node_without_catch_setting_continues_with_error_output(plain_deps, http_server):
    node = http_node(f"{http_server}/fail", method="GET")
    del node["catchError"]
    result, _ = await run_graph(
        plain_deps, graph_with(node, "after: {{$http.error$}}"), RunInput(query=text_query("x"))
    )
    assert answer_text(result).startswith("\nafter: HTTP 502")
    assert result.error is None


async def test_http_jsonpath_wildcards_return_arrays(plain_deps, http_server):
    node = http_node(f"{http_server}/echo")
    node["outputs"].append({"id": "o3", "key": "$.data.items[*].name", "type": "dynamic", "valueType": "arrayString"})
    result, _ = await run_graph(plain_deps, graph_with(node, "{{$http.o3$}}"), RunInput(query=text_query("1")))
    assert answer_text(result) == '\n["first","second"]'


async def test_code_log_and_legacy_error_output(plain_deps):
    node = code_node("def main(text):\n    print('seen', text)\n    return {'result': text}", "py")
    result, _ = await run_graph(plain_deps, graph_with(node, "{{$code.result$}}"), RunInput(query=text_query("q")))
    assert next(r for r in result.flow_responses if r["nodeId"] == "code")["codeLog"] == "seen q\n"

    legacy = code_node("def main(text):\n    raise ValueError('bad input')", "py")
    del legacy["catchError"]
    legacy["outputs"][-1]["valueType"] = "object"
    result, _ = await run_graph(
        plain_deps, graph_with(legacy, "after {{$code.error$}}"), RunInput(query=text_query("q"))
    )
    assert answer_text(result) == '\nafter {"message":"ValueError: bad input"}'


async def test_http_header_secret_is_sent_but_not_shown(plain_deps, http_server):
    """`system_header_secret` (FastGPT's stored header secrets): sent, never in the node response; the
    node's own headers win; a value only another server can decrypt is a node error."""

    def with_secret(secret: dict[str, Any], own_header: bool) -> dict[str, Any]:
        node = http_node(f"{http_server}/echo", catch=True)
        if not own_header:
            next(i for i in node["inputs"] if i["key"] == "system_httpHeader")["value"] = []
        node["inputs"].append(
            {"key": "system_header_secret", "renderTypeList": ["hidden"], "valueType": "object", "value": secret}
        )
        return graph_with(node, "ok", catch_reply="caught")

    result, _ = await run_graph(plain_deps, with_secret({"Bearer": {"value": "from-secret"}}, own_header=False))
    response = next(r for r in result.flow_responses if r["nodeId"] == "http")
    assert response["httpResult"]["auth"] == "Bearer from-secret"
    assert "from-secret" not in str(response.get("headers"))

    result, _ = await run_graph(plain_deps, with_secret({"Bearer": {"value": "from-secret"}}, own_header=True))
    response = next(r for r in result.flow_responses if r["nodeId"] == "http")
    assert response["httpResult"]["auth"] == "Bearer s3cret"

    result, _ = await run_graph(plain_deps, with_secret({"Bearer": {"secret": "a1b2c3"}}, own_header=False))
    assert answer_text(result).strip() == "caught"
    assert "encrypted by another server" in next(r for r in result.flow_responses if r["nodeId"] == "http")["errorText"]
