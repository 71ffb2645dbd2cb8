"""Share links: management, visitor chats, the three auth hooks, limits and what visitors see."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from tests.api.v1.chat.helpers import answer_app, create_app, parse_sse, stored
from tests.conftest import make_settings
from tests.fake_llm import FakeLLM, serve_in_thread
from tests.support.live import LiveServer, serve


@dataclass
class HookServer:
    url: str
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def _hook_app(calls: list[tuple[str, dict[str, Any]]]) -> Starlette:
    async def handle(request: Request) -> Any:
        stage = request.path_params["stage"]
        body = await request.json()
        calls.append((stage, body))
        token = body.get("token", "")
        if token == "blocked":
            return JSONResponse({"success": False, "message": "You are not allowed here"})
        if token == "garbage":
            return PlainTextResponse("<html>oops</html>")
        if token == "slow":
            await asyncio.sleep(3)
        if token == "bad-uid":
            return JSONResponse({"success": True, "data": {"uid": "a/b"}})
        return JSONResponse({"success": True, "data": {"uid": f"user-{token}"}})

    return Starlette(routes=[Route("/shareAuth/{stage}", handle, methods=["POST"])])


@pytest.fixture(scope="module")
def hook_server() -> Iterator[HookServer]:
    calls: list[tuple[str, dict[str, Any]]] = []
    with serve_in_thread(_hook_app(calls)) as port:
        yield HookServer(url=f"http://127.0.0.1:{port}", calls=calls)


def make_link(server: LiveServer, app_id: str, **fields: Any) -> str:
    with server.root as client:
        response = client.post(
            "/api/support/outLink/create", json={"appId": app_id, "type": "share", "name": "Public", **fields}
        )
    assert response.status_code == 200, response.text
    share_id: str = response.json()["data"]
    return share_id


def share_chat(server: LiveServer, share_id: str, uid: str, text: str, **extra: Any) -> Any:
    with server.client() as client:
        return client.post(
            "/api/v1/chat/completions",
            json={"shareId": share_id, "outLinkUid": uid, "messages": [{"role": "user", "content": text}], **extra},
        )


def test_link_crud_and_shapes(server: LiveServer) -> None:
    app_id, _ = create_app(server, answer_app("hi"))
    share_id = make_link(server, app_id, showCite=True, limit={"QPM": 50, "maxUsagePoints": 100})
    with server.root as client:
        links = client.get("/api/support/outLink/list", params={"appId": app_id, "type": "share"}).json()["data"]
        assert [link["shareId"] for link in links] == [share_id]
        link = links[0]
        assert link["showCite"] is True
        assert link["limit"]["QPM"] == 50
        assert link["limit"]["maxUsagePoints"] == 100
        assert (
            client.put("/api/support/outLink/update", json={"_id": link["_id"], "name": "Renamed"}).json()["code"]
            == 200
        )
        assert client.get("/api/support/outLink/list", params={"appId": app_id}).json()["data"][0]["name"] == "Renamed"
        assert client.delete("/api/support/outLink/delete", params={"id": link["_id"]}).json()["code"] == 200
    gone = share_chat(server, share_id, "u1", "hello")
    assert gone.status_code == 404
    assert gone.json()["statusText"] == "outlinkUnExist"


def test_visitors_chat_without_a_key_and_only_see_their_own_chats(server: LiveServer) -> None:
    app_id, _ = create_app(server, answer_app("Hi visitor"))
    share_id = make_link(server, app_id)
    first = share_chat(server, share_id, "visitor-a", "hello", chatId="va-chat")
    assert first.status_code == 200, first.text
    assert first.json()["choices"][0]["message"]["content"] == "\nHi visitor"
    with server.client() as client:
        nested = client.post(
            "/api/v1/chat/completions",
            json={
                "outLinkAuthData": {"shareId": share_id, "outLinkUid": "visitor-a"},
                "chatId": "va-chat",
                "messages": [{"role": "user", "content": "again"}],
            },
        )
    assert nested.status_code == 200
    rows = stored(server, app_id, "va-chat")
    assert rows["chat"].source == "share"
    assert rows["chat"].share_id == share_id
    assert rows["chat"].out_link_uid == "visitor-a"
    assert len(rows["items"]) == 4
    intruder = share_chat(server, share_id, "visitor-b", "let me in", chatId="va-chat")
    assert intruder.status_code == 403
    assert intruder.json()["statusText"] == "unAuthChat"
    no_uid = share_chat(server, share_id, "", "x")
    assert no_uid.status_code == 403
    other_app = share_chat(server, share_id, "visitor-a", "x", appId=server.app_id)
    assert other_app.status_code == 403


def test_hooks_start_init_finish(server: LiveServer, hook_server: HookServer, fake: FakeLLM) -> None:
    app_id, _ = create_app(server, answer_app("hooked"))
    share_id = make_link(server, app_id, limit={"hookUrl": hook_server.url})
    hook_server.calls.clear()
    ok = share_chat(server, share_id, "tok1", "question one", chatId="hooked-chat")
    assert ok.status_code == 200, ok.text
    assert ("start", {"token": "tok1", "question": "question one"}) in hook_server.calls
    assert stored(server, app_id, "hooked-chat")["chat"].out_link_uid == "user-tok1"
    deadline = time.monotonic() + 10
    while not any(stage == "finish" for stage, _ in hook_server.calls):
        assert time.monotonic() < deadline, "finish hook never arrived"
        time.sleep(0.05)
    finish = next(body for stage, body in hook_server.calls if stage == "finish")
    assert finish["token"] == "user-tok1"
    assert finish["chatId"] == "hooked-chat"
    assert finish["appName"] == "Test"
    assert isinstance(finish["responseData"], list)
    assert finish["responseData"]
    refused = share_chat(server, share_id, "blocked", "x")
    assert refused.status_code == 403
    assert refused.json()["message"] == "You are not allowed here"
    garbage = share_chat(server, share_id, "garbage", "x")
    assert garbage.status_code == 403
    assert garbage.json()["message"] == "Identity verification failed"
    bad_uid = share_chat(server, share_id, "bad-uid", "x")
    assert bad_uid.status_code == 403
    assert bad_uid.json()["message"] == "Invalid UID"


def test_limits(server: LiveServer) -> None:
    app_id, _ = create_app(server, answer_app("limited"))
    past = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    expired = make_link(server, app_id, limit={"expiredTime": past})
    response = share_chat(server, expired, "u", "x")
    assert response.status_code == 403
    assert "expired" in response.json()["message"]
    capped = make_link(server, app_id, limit={"maxUsagePoints": 0})
    assert share_chat(server, capped, "u", "x").status_code == 403
    qpm = make_link(server, app_id, limit={"QPM": 2})
    assert share_chat(server, qpm, "u", "1").status_code == 200
    assert share_chat(server, qpm, "u", "2").status_code == 200
    limited = share_chat(server, qpm, "u", "3")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["statusText"] == "tooManyRequest"


def test_visitors_see_filtered_responses(server: LiveServer, fake: FakeLLM) -> None:
    app_id, _ = create_app(server, answer_app("quiet"))
    hidden = make_link(server, app_id, showRunningStatus=False)
    body = share_chat(server, hidden, "u", "x", detail=True).json()
    assert body["responseData"] == []  # only public nodes (plugin output, dataset search) reach visitors
    stream = share_chat(server, hidden, "u", "y", detail=True, stream=True)
    names = [name for name, _ in parse_sse(stream.text)]
    assert "flowNodeStatus" not in names
    assert "flowResponses" in names


@pytest.fixture(scope="module")
def quick_hook_server(fake_llm: FakeLLM) -> Iterator[LiveServer]:
    settings = make_settings("sqlite", None, fake_llm, share_hook_timeout_s=1.0)
    with serve(settings, backend="sqlite", fake_llm=fake_llm) as live:
        yield live


def test_hook_timeout_refuses(quick_hook_server: LiveServer, hook_server: HookServer) -> None:
    app_id, _ = create_app(quick_hook_server, answer_app("x"))
    share_id = make_link(quick_hook_server, app_id, limit={"hookUrl": hook_server.url})
    response = share_chat(quick_hook_server, share_id, "slow", "x")
    assert response.status_code == 403
    assert response.json()["message"] == "Identity verification failed"


def test_visitor_history_records_and_init(server: LiveServer, hook_server: HookServer) -> None:
    app_id, _ = create_app(server, answer_app("remember me"))
    share_id = make_link(server, app_id, limit={"hookUrl": hook_server.url})
    for n in (1, 2):
        assert share_chat(server, share_id, "alice", f"hello {n}", chatId=f"alice-{n}").status_code == 200
    assert share_chat(server, share_id, "bob", "hi", chatId="bob-1").status_code == 200
    hook_server.calls.clear()
    with server.client() as client:
        alice = client.post(
            "/api/core/chat/getHistories", json={"shareId": share_id, "outLinkUid": "alice", "pageSize": 10}
        ).json()["data"]
        assert sorted(c["chatId"] for c in alice["list"]) == ["alice-1", "alice-2"]
        assert ("init", {"token": "alice"}) in hook_server.calls
        auth_data = {"outLinkAuthData": {"shareId": share_id, "outLinkUid": "bob"}}
        bob = client.post("/api/core/chat/history/getHistories", json={**auth_data, "pageSize": 10}).json()["data"]
        assert [c["chatId"] for c in bob["list"]] == ["bob-1"]
        records = client.post(
            "/api/core/chat/getPaginationRecords",
            json={"shareId": share_id, "outLinkUid": "alice", "chatId": "alice-1", "offset": 0, "pageSize": 10},
        )
        assert records.status_code == 200
        assert len(records.json()["data"]["list"]) == 2
        stolen = client.post(
            "/api/core/chat/getPaginationRecords",
            json={"shareId": share_id, "outLinkUid": "bob", "chatId": "alice-1", "offset": 0, "pageSize": 10},
        )
        assert stolen.status_code == 403
        init = client.get(
            "/api/core/chat/outLink/init", params={"shareId": share_id, "outLinkUid": "alice", "chatId": "alice-2"}
        )
        assert init.status_code == 200, init.text
        assert init.json()["data"]["chatId"] == "alice-2"
        assert init.json()["data"]["app"]["name"] == "Test"
        no_link = client.get("/api/core/chat/outLink/init", params={"shareId": "nope", "outLinkUid": "alice"})
        assert no_link.status_code == 404
