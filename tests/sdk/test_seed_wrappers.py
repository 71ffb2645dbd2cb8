"""The seed methods are wrappers over the resources: same paths, bodies and ``httpx.Response`` results."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import httpx

from fastgpt_client import AppClient, ChatClient
from tests.sdk.conftest import ScriptedServer

OK = (200, {}, {"code": 200, "statusText": "", "message": "", "data": None})


def sent(server: ScriptedServer) -> list[tuple[str, str, Any, dict[str, list[str]]]]:
    return [
        (item["method"], item["path"], json.loads(item["body"]) if item["body"] else None, parse_qs(item["query"]))
        for item in server.requests
    ]


def test_seed_chat_methods_send_the_seed_bodies(scripted_server: ScriptedServer) -> None:
    for path in ("getHistories", "updateHistory", "item/delete", "feedback/updateUserFeedback", "delHistory",
                 "clearHistories", "getPaginationRecords", "getResData", "init"):  # fmt: skip
        scripted_server.script(f"/api/core/chat/{path}", OK)
    scripted_server.script("/api/core/ai/agent/v2/createQuestionGuide", OK)
    with ChatClient("k", base_url=scripted_server.base_url) as client:
        responses = [
            client.get_chat_histories("a"),
            client.update_chat_history("a", "c", customTitle="t"),
            client.delete_chat_record("a", "c", "d"),
            client.send_feedback("a", "c", "d", userGoodFeedback="yes"),
            client.get_suggested_questions("a", "c"),
            client.get_chat_records("a", "c", offset=5),
            client.delete_chat_history("a", "c"),
            client.clear_chat_histories("a"),
            client.get_record_detail("a", "c", "d"),
            client.get_chat_init("a", "c"),
        ]
    assert all(isinstance(response, httpx.Response) and response.status_code == 200 for response in responses)
    requests = sent(scripted_server)
    assert requests[0] == (
        "POST", "/api/core/chat/getHistories", {"appId": "a", "offset": 0, "pageSize": 20, "source": "api"}, {}
    )  # fmt: skip
    assert requests[1][2] == {"appId": "a", "chatId": "c", "customTitle": "t"}  # None arguments left out
    ids = {"appId": "a", "chatId": "c", "contentId": "d"}
    assert requests[2] == ("DELETE", "/api/core/chat/item/delete", ids, {key: [v] for key, v in ids.items()})
    assert requests[3][2] == {"appId": "a", "chatId": "c", "dataId": "d", "userGoodFeedback": "yes"}
    assert requests[4][2] == {"appId": "a", "chatId": "c"}
    assert requests[5][2] == {"appId": "a", "chatId": "c", "offset": 5, "pageSize": 10, "loadCustomFeedbacks": False}
    assert [request[0] for request in requests[6:]] == ["DELETE", "DELETE", "GET", "GET"]
    assert requests[9][3] == {"appId": ["a"], "chatId": ["c"]}
    assert all(item["headers"]["authorization"] == "Bearer k" for item in scripted_server.requests)


def test_seed_app_methods(scripted_server: ScriptedServer) -> None:
    scripted_server.script("/api/proApi/core/app/logs/getChartData", OK)
    scripted_server.script("/api/proApi/core/app/logs/getTotalData", OK)
    with AppClient("k", base_url=scripted_server.base_url) as client:
        chart = client.get_app_logs_chart("a", "2024-01-01", "2024-02-01")
        total = client.get_app_logs_total("a")
    assert isinstance(chart, httpx.Response) and isinstance(total, httpx.Response)
    assert sent(scripted_server)[0][2] == {
        "appId": "a", "dateStart": "2024-01-01", "dateEnd": "2024-02-01", "offset": 1, "source": ["api"],
        "userTimespan": "day", "chatTimespan": "day", "appTimespan": "day",
    }  # fmt: skip


def test_seed_methods_return_error_envelopes_with_http_200_unraised(scripted_server: ScriptedServer) -> None:
    body = {"code": 500, "statusText": "", "message": "inner", "data": None}
    scripted_server.script("/api/core/chat/getHistories", (200, {}, body))
    with ChatClient("k", base_url=scripted_server.base_url) as client:
        assert client.get_chat_histories("a").json() == body  # the seed handed back the response as-is
