"""Code nodes inside graphs run by the real engine: FastGPT's node response fields, inputs that
are "" or [] reaching the code unchanged, and FastGPT's DingTalk webhook plugin (createHmac)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from aiohttp import web

from pyfastgpt.workflow.runner import RunInput
from tests.workflow.helpers import answer_node, answer_text, edge, load_app, run_graph, start_node, text_query

INPUT_TYPES = {"s": "string", "a": "arrayString", "o": "object", "n": "arrayNumber"}


def code_node(
    node_id: str, code: str, code_type: str, inputs: dict[str, Any], catch: bool | None = True
) -> dict[str, Any]:
    node: dict[str, Any] = {
        "nodeId": node_id,
        "flowNodeType": "code",
        "name": node_id,
        "inputs": [
            {"key": "system_addInputParam", "renderTypeList": ["addInputParam"], "valueType": "dynamic", "value": {}},
            *(
                {
                    "key": key,
                    "renderTypeList": ["reference"]
                    if isinstance(value, list) and len(value) == 2
                    else ["input", "reference"],
                    "valueType": INPUT_TYPES.get(key[-1], "any"),
                    "canEdit": True,
                    "value": value,
                }
                for key, value in inputs.items()
            ),
            {"key": "codeType", "renderTypeList": ["hidden"], "valueType": "string", "value": code_type},
            {"key": "code", "renderTypeList": ["custom"], "valueType": "string", "value": code},
        ],
        "outputs": [
            {"id": "system_rawResponse", "key": "system_rawResponse", "type": "static", "valueType": "object"},
            {"id": "out", "key": "out", "type": "dynamic", "valueType": "string"},
            {"id": "error", "key": "error", "type": "error", "valueType": "string"},
        ],
    }
    if catch is not None:
        node["catchError"] = catch
    return node


def chain(*nodes: dict[str, Any], reply: str) -> dict[str, Any]:
    ids = ["start", *(n["nodeId"] for n in nodes), "reply"]
    return {
        "nodes": [start_node(), *nodes, answer_node("reply", reply)],
        "edges": [edge(a, b) for a, b in itertools.pairwise(ids)],
        "chatConfig": {
            "variables": [
                {"key": "blank", "label": "blank", "valueType": "string", "defaultValue": ""},
                {"key": "none", "label": "none", "valueType": "arrayString", "defaultValue": []},
            ]
        },
    }


def response_of(result: Any, node_id: str) -> dict[str, Any]:
    return next(r for r in result.flow_responses if r["nodeId"] == node_id)


PRODUCERS = {
    "js": "function main(){ return {s: '', a: [], o: {}, n: []} }",
    "py": "def main():\n    return {'s': '', 'a': [], 'o': {}, 'n': []}",
}
CONSUMERS = {
    "js": "function main(v){ return {out: JSON.stringify(Object.keys(v).sort().map((k) => [k, v[k], typeof v[k]]))} }",
    "py": "import json\ndef main(data):\n    return {'out': json.dumps(sorted([k, v, type(v).__name__] for k, v in data.items()), separators=(',', ':'))}",
}


@pytest.mark.parametrize("consumer", ["js", "py"])
@pytest.mark.parametrize("producer", ["js", "py"])
async def test_empty_string_and_empty_array_inputs_reach_the_code_unchanged(plain_deps, producer, consumer):
    inputs = {
        "ref_s": ["make", "s"],
        "ref_a": ["make", "a"],
        "ref_o": ["make", "o"],
        "ref_n": ["make", "n"],
        "lit_s": "",
        "lit_a": [],
        "var_s": ["VARIABLE_NODE_ID", "blank"],
        "var_a": ["VARIABLE_NODE_ID", "none"],
    }
    make = code_node("make", PRODUCERS[producer], producer, {})
    make["outputs"] += [
        {"id": key, "key": key, "type": "dynamic", "valueType": INPUT_TYPES[key]} for key in ("s", "a", "o", "n")
    ]
    use = code_node("use", CONSUMERS[consumer], consumer, inputs)
    result, _ = await run_graph(plain_deps, chain(make, use, reply="{{$use.out$}}"), RunInput(query=text_query("x")))
    assert result.error is None, result.flow_responses
    string_type, list_type, dict_type = ("string", "object", "object") if consumer == "js" else ("str", "list", "dict")
    expected = sorted(
        [
            ["lit_a", [], list_type],
            ["lit_s", "", string_type],
            ["ref_a", [], list_type],
            ["ref_n", [], list_type],
            ["ref_o", {}, dict_type],
            ["ref_s", "", string_type],
            ["var_a", [], list_type],
            ["var_s", "", string_type],
        ]
    )
    assert json.loads(answer_text(result).strip()) == expected
    assert response_of(result, "use")["customInputs"] == {
        "ref_s": "",
        "ref_a": [],
        "ref_o": {},
        "ref_n": [],
        "lit_s": "",
        "lit_a": [],
        "var_s": "",
        "var_a": [],
    }


async def test_node_response_fields_match_fastgpt(plain_deps):
    node = code_node(
        "code", "function main({t}){ console.log('got', t); return {out: t + '!', n: 1} }", "js", {"t": "hi"}
    )
    result, _ = await run_graph(plain_deps, chain(node, reply="{{$code.out$}}"), RunInput(query=text_query("x")))
    response = response_of(result, "code")
    assert {k: response[k] for k in ("customInputs", "customOutputs", "codeLog", "moduleType")} == {
        "customInputs": {"t": "hi"},
        "customOutputs": {"out": "hi!", "n": 1},
        "codeLog": "got hi",
        "moduleType": "code",
    }
    assert answer_text(result).strip() == "hi!"


@pytest.mark.parametrize(
    ("catch", "reply"), [(True, "caught main is not defined"), (None, "after main is not defined")]
)
async def test_error_outputs_match_fastgpt(plain_deps, catch, reply):
    node = code_node("code", "const x = 1", "js", {"t": "hi"}, catch=catch)
    graph = chain(node, reply="after {{$code.error$}}" if catch is None else "never")
    if catch:
        graph["nodes"].append(answer_node("caught", "caught {{$code.error$}}"))
        graph["edges"].append(edge("code", "caught", "right", kind="source_catch"))
    if catch is None:  # nodes saved before catchError: error is an object {message} and the flow goes on
        graph["nodes"][1]["outputs"][-1]["valueType"] = "object"
        reply = 'after {"message":"main is not defined"}'
    result, _ = await run_graph(plain_deps, graph, RunInput(query=text_query("x")))
    response = response_of(result, "code")
    assert response["errorText"] == "main is not defined"
    assert response["customInputs"] == {"t": "hi"}
    assert answer_text(result).strip() == reply


async def test_non_object_results_are_spread_like_javascript(plain_deps):
    node = code_node("code", "function main(){ return ['x', 'y'] }", "js", {})
    result, _ = await run_graph(plain_deps, chain(node, reply="ok"), RunInput(query=text_query("x")))
    response = response_of(result, "code")
    assert response["customOutputs"] == ["x", "y"]


@pytest.fixture
async def dingtalk() -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    """A local stand-in for DingTalk's robot API that records each webhook call."""
    calls: list[dict[str, Any]] = []

    async def send(request: web.Request) -> web.Response:
        calls.append({"query": dict(request.query), "body": await request.json()})
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    app = web.Application()
    app.router.add_post("/robot/send", send)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/robot/send?access_token=t0k", calls
    await runner.cleanup()


async def run_dingtalk_plugin(deps: Any, url: str, secret: str) -> Any:
    graph = load_app("fastgpt/plugin-DingTalkWebhook")["workflow"]
    run_input = RunInput(
        app_type="plugin", plugin_inputs={"钉钉机器人地址": url, "加签值": secret, "发送的消息": "你好，FastGPT"}
    )
    result, _ = await run_graph(deps, graph, run_input)
    assert result.error is None, result.flow_responses
    return result


def assert_dingtalk_signature(query: dict[str, str], secret: str) -> None:
    """What DingTalk verifies: base64(HMAC-SHA256(secret, "<timestamp>\n<secret>"))."""
    expected = hmac.new(secret.encode(), f"{query['timestamp']}\n{secret}".encode(), hashlib.sha256).digest()
    assert query["sign"] == base64.b64encode(expected).decode()


async def test_fastgpt_dingtalk_plugin_signs_with_create_hmac(plain_deps, dingtalk):
    url, calls = dingtalk
    secret = "SEC0123456789abcdef+/="
    result = await run_dingtalk_plugin(plain_deps, url, secret)
    signed_url = response_of(result, "a5qdMS7ECNYE")["customOutputs"]["result"]
    assert signed_url.startswith(url + "&timestamp=")
    assert_dingtalk_signature(dict(parse_qsl(urlsplit(signed_url).query)), secret)
    assert [call["body"] for call in calls] == [{"msgtype": "text", "text": {"content": "你好，FastGPT"}}]


async def test_fastgpt_dingtalk_plugin_request_keeps_the_signed_query(plain_deps, dingtalk):
    url, calls = dingtalk
    await run_dingtalk_plugin(plain_deps, url, "SECabc")
    assert calls[0]["query"]["access_token"] == "t0k"
    assert_dingtalk_signature(calls[0]["query"], "SECabc")


@pytest.mark.parametrize(
    ("code_type", "code"),
    [
        ("js", "function main({u = 'default', t}){ return {out: u + ':' + ('u' in variables) + ':' + t} }"),
        ("py", "def main(t, u='default'):\n    return {'out': f\"{u}:{'u' in variables}:{t}\"}"),
    ],
)
async def test_undefined_inputs_are_absent_like_after_json_stringify(plain_deps, code_type, code):
    node = code_node("code", code, code_type, {"u": ["VARIABLE_NODE_ID", "never_set"], "t": "x"})
    result, _ = await run_graph(plain_deps, chain(node, reply="{{$code.out$}}"), RunInput(query=text_query("x")))
    expected = "default:false:x" if code_type == "js" else "default:False:x"
    assert answer_text(result).strip() == expected
