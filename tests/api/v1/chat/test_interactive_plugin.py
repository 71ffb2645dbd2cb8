"""Interactive nodes, plugin apps and chatTest end to end over HTTP."""

from __future__ import annotations

import json

from tests.api.v1.chat.helpers import answer_app, create_app, load_fixture, parse_sse, stored
from tests.support.live import LiveServer


def test_user_select_then_form_resume_the_same_ai_item(server: LiveServer) -> None:
    app_id, key = create_app(server, load_fixture("interactive"))
    with server.client(key) as client:
        first = client.post(
            "/api/v1/chat/completions",
            json={"chatId": "shop", "stream": True, "detail": True, "messages": [{"role": "user", "content": "shirt"}]},
        )
        events = parse_sse(first.text)
        interactive = [json.loads(d) for n, d in events if n == "interactive"]
        assert interactive[0]["interactive"]["type"] == "userSelect"
        options = [o["value"] for o in interactive[0]["interactive"]["params"]["userSelectOptions"]]
        assert "Small" in options
        second = client.post(
            "/api/v1/chat/completions",
            json={"chatId": "shop", "detail": True, "messages": [{"role": "user", "content": "Small"}]},
        ).json()
        content = second["choices"][0]["message"]["content"]
        assert isinstance(content, list)
        assert content[-1]["type"] == "interactive"
        assert content[-1]["interactive"]["type"] == "userInput"
        assert "entryNodeIds" not in content[-1]["interactive"]
        third = client.post(
            "/api/v1/chat/completions",
            json={"chatId": "shop", "messages": [{"role": "user", "content": json.dumps({"name": "Ann", "age": 7})}]},
        ).json()
    assert third["choices"][0]["message"]["content"] == "\nSmall for Ann (7) after Small"
    rows = stored(server, app_id, "shop")
    assert [i["obj"] for i in rows["items"]] == ["Human", "AI"]
    ai_value = rows["items"][1]["value"]
    kinds = [p["type"] for p in ai_value]
    assert kinds[0] == "interactive"
    assert ai_value[0]["interactive"]["params"]["userSelectedVal"] == "Small"
    form = next(p for p in ai_value if p["type"] == "interactive" and p["interactive"]["type"] == "userInput")
    assert form["interactive"]["params"]["submitted"] is True
    assert {f["key"]: f.get("value") for f in form["interactive"]["params"]["inputForm"]}["name"] == "Ann"
    assert kinds[-1] == "text"
    responses = rows["responses"][rows["items"][1]["dataId"]]
    assert [r["moduleType"] for r in responses].count("userSelect") >= 1


def test_plugin_app_takes_variables_and_returns_plugin_output(server: LiveServer) -> None:
    _app_id, key = create_app(server, load_fixture("plugin_greet"), app_type="plugin")
    graph = load_fixture("plugin_greet")
    inputs = next(n for n in graph["nodes"] if n["flowNodeType"] == "pluginInput")["inputs"]
    variables = {item["key"]: "Ada" if item.get("valueType") == "string" else 3 for item in inputs}
    with server.client(key) as client:
        body = client.post("/api/v1/chat/completions", json={"variables": variables}).json()
    outputs = [r for r in body["responseData"] if r["moduleType"] == "pluginOutput"]
    assert len(outputs) == 1
    assert outputs[0]["pluginOutput"]
    assert "Ada" in json.dumps(outputs[0]["pluginOutput"])


def test_chat_test_runs_an_unsaved_workflow(server: LiveServer) -> None:
    app_id, _ = create_app(server, answer_app("saved version"))
    draft = answer_app("draft says {{$start.userChatInput$}}")
    with server.root as client:
        body = client.post(
            "/api/core/chat/chatTest",
            json={"appId": app_id, "chatId": "debug", **draft, "messages": [{"role": "user", "content": "hi"}]},
        ).json()
    assert body["choices"][0]["message"]["content"] == "\ndraft says hi"
    assert stored(server, app_id, "debug")["chat"].source == "test"


def test_v2_stop_of_an_idle_chat_reports_false(server: LiveServer) -> None:
    with server.client(server.app_key) as client:
        body = client.post("/api/v2/chat/stop", json={"appId": server.app_id, "chatId": "nothing-running"}).json()
    assert body["data"] == {"stopped": False}
