"""DingTalk / WeCom / Feishu robots, against a local server that records what FastGPT would send."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

from tests.workflow.system_tools.helpers import run_tool


async def test_dingtalk_signs_and_posts_a_text_message(open_deps, local_server) -> None:
    local_server.routes["/robot/send"] = (200, "application/json", '{"errcode":0,"errmsg":"ok"}')
    before = int(time.time() * 1000)
    result, response = await run_tool(
        open_deps,
        "community-DingTalkWebhook",
        {"webhookUrl": local_server.url("/robot/send?access_token=abc"), "secret": "SEC123", "message": "部署完成"},
    )
    assert result.error is None, result.flow_responses
    assert response["toolRes"] == {}
    [call] = local_server.requests
    assert call.method == "POST" and call.headers["Content-Type"].startswith("application/json")
    assert call.json() == {"msgtype": "text", "text": {"content": "部署完成"}}
    assert call.query["access_token"] == "abc"
    timestamp = int(call.query["timestamp"])
    assert before <= timestamp <= int(time.time() * 1000)
    expected = hmac.new(b"SEC123", f"{timestamp}\nSEC123".encode(), hashlib.sha256).digest()
    assert call.query["sign"] == base64.b64encode(expected).decode()


async def test_dingtalk_accepts_the_old_chinese_keys(open_deps, local_server) -> None:
    local_server.routes["/robot"] = (200, "application/json", "{}")
    result, _ = await run_tool(
        open_deps, "DingTalkWebhook", {"钉钉机器人地址": local_server.url("/robot"), "加签值": "s", "发送的消息": "hi"}
    )
    assert result.error is None
    assert local_server.requests[0].json()["text"]["content"] == "hi"


async def test_dingtalk_without_secret_fails_with_fastgpt_message(open_deps, local_server) -> None:
    result, _response = await run_tool(
        open_deps, "DingTalkWebhook", {"webhookUrl": local_server.url("/r"), "message": "x"}
    )
    assert result.error == "必须传入机器人地址、加签值和消息内容"
    assert local_server.requests == []


async def test_wework_posts_text_and_reports_non_200_as_error_output(open_deps, local_server) -> None:
    local_server.routes["/cgi-bin/webhook/send"] = (200, "application/json", '{"errcode":0}')
    url = local_server.url("/cgi-bin/webhook/send?key=K")
    result, response = await run_tool(
        open_deps, "community-WeWorkWebhook", {"webhookUrl": url, "message": "hello"}, ["error"]
    )
    assert result.error is None and response["toolRes"] == {}
    assert local_server.requests[0].json() == {"msgtype": "text", "text": {"content": "hello"}}
    assert local_server.requests[0].query == {"key": "K"}

    local_server.routes["/cgi-bin/webhook/send"] = (403, "text/plain", "invalid webhook url")
    result, response = await run_tool(open_deps, "WeWorkWebhook", {"企微机器人地址": url, "发送的消息": "x"}, ["error"])
    assert result.error is None
    assert response["toolRes"] == {"error": "invalid webhook url"}


async def test_wework_without_url_fails(open_deps) -> None:
    result, _ = await run_tool(open_deps, "WeWorkWebhook", {"message": "x"})
    assert result.error == "必须传入机器人地址和消息内容"


async def test_feishu_sends_text_or_a_json_card_and_returns_the_answer(open_deps, local_server) -> None:
    local_server.routes["/open-apis/bot/v2/hook/t"] = (200, "application/json", '{"code":0,"msg":"success"}')
    hook = local_server.url("/open-apis/bot/v2/hook/t")
    result, response = await run_tool(
        open_deps, "community-feishu", {"content": "plain words", "hook_url": hook}, ["result"]
    )
    assert result.error is None
    assert response["toolRes"] == {"result": {"code": 0, "msg": "success"}}
    assert local_server.requests[0].json() == {"msg_type": "text", "content": {"text": "plain words"}}

    card = {"msg_type": "interactive", "card": {"elements": []}}
    await run_tool(open_deps, "feishu", {"content": json.dumps(card), "hook_url": hook}, ["result"])
    assert local_server.requests[1].json() == card


async def test_feishu_without_hook_url_fails(open_deps) -> None:
    result, _ = await run_tool(open_deps, "feishu", {"content": "x", "hook_url": ""})
    assert result.error == "hook_url (飞书机器人地址) is required"


async def test_webhooks_to_private_addresses_are_refused_by_default(guarded_deps, local_server) -> None:
    result, _response = await run_tool(
        guarded_deps, "WeWorkWebhook", {"webhookUrl": local_server.url("/hook"), "message": "x"}
    )
    assert result.error == "Refusing to fetch 127.0.0.1: it resolves to a private or reserved address"
    assert local_server.requests == []


async def test_tool_error_takes_the_catch_branch(open_deps) -> None:
    from tests.workflow.helpers import answer_node, edge, run_graph, start_node
    from tests.workflow.system_tools.helpers import tool_node

    node = tool_node("WeWorkWebhook", {"message": "x"}, [], catch_error=True)
    app = {
        "nodes": [start_node(), node, answer_node("ok", "sent"), answer_node("failed", "not sent")],
        "edges": [edge("start", "tool"), edge("tool", "ok"), edge("tool", "failed", "right", "source_catch")],
    }
    result, _ = await run_graph(open_deps, app)
    texts = [p["text"]["content"] for p in result.assistant_responses if p.get("type") == "text"]
    assert "not sent" in "".join(texts) and "sent" not in "".join(texts).replace("not sent", "")
