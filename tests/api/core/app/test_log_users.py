"""`POST …/app/logs/getUsers` (FastGPT 4.16): the users of an app's chat logs, most active first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.api.core.chat.support import add_key, chat, new_chat_id, refused
from tests.api.v1.chat.helpers import answer_app, create_app
from tests.support.live import LiveServer

PREFIXES = ["/api/core/app/logs", "/api/proApi/core/app/logs"]


def window(**extra: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {"dateStart": (now - timedelta(hours=1)).isoformat(), "dateEnd": (now + timedelta(hours=1)).isoformat(),
            **extra}  # fmt: skip


def users(client: httpx.Client, prefix: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"{prefix}/getUsers", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


@pytest.fixture(scope="module")
def traffic(server: LiveServer) -> tuple[str, str]:
    app_id, key = create_app(server, answer_app("logged"))
    for uid, count in (("alice", 3), ("bob", 1)):
        for _ in range(count):
            chat(server, key, f"{uid} asks", new_chat_id(uid), customUid=uid)
    chat(server, key, "the member asks", new_chat_id("m"))
    return app_id, key


@pytest.mark.parametrize("prefix", PREFIXES)
def test_users_by_activity(server: LiveServer, traffic: tuple[str, str], prefix: str) -> None:
    app_id, key = traffic
    with server.client(key) as client:
        page = users(client, prefix, {"appId": app_id, **window()})
        assert page["total"] == 3
        # most chats first, ties by user id (FastGPT: `count` desc, `_id` asc)
        keys = [(-u["count"], u["outLinkUid"] or u["tmbId"]) for u in page["list"]]
        assert keys == sorted(keys) and keys[0] == (-3, "alice")
        alice = page["list"][0]
        assert alice == {"outLinkUid": "alice", "tmbId": None, "name": "alice", "avatar": alice["avatar"], "count": 3}
        member = next(u for u in page["list"] if u["tmbId"])
        second = page["list"][1]["name"]
        assert member["outLinkUid"] is None and member["tmbId"] and member["count"] == 1 and member["name"]

        # pages, search, sources, date range
        assert [
            u["name"] for u in users(client, prefix, {"appId": app_id, **window(pageSize=1, pageNum=2)})["list"]
        ] == [second]
        assert [
            u["name"] for u in users(client, prefix, {"appId": app_id, **window(offset=1, pageSize=1)})["list"]
        ] == [second]
        found = users(client, prefix, {"appId": app_id, **window(searchKey="ALI")})
        assert [u["name"] for u in found["list"]] == ["alice"] and found["total"] == 1
        by_member = users(client, prefix, {"appId": app_id, **window(searchKey=member["name"][:3].upper())})
        assert [u["tmbId"] for u in by_member["list"]] == [member["tmbId"]]
        assert users(client, prefix, {"appId": app_id, **window(sources=["share"])}) == {"list": [], "total": 0}
        assert users(client, prefix, {"appId": app_id, **window(sources=["api"])})["total"] == 3
        past = {"dateStart": "2020-01-01T00:00:00Z", "dateEnd": "2020-01-02T00:00:00Z"}
        assert users(client, prefix, {"appId": app_id, **past}) == {"list": [], "total": 0}


def test_users_auth_and_input(server: LiveServer, traffic: tuple[str, str]) -> None:
    app_id, key = traffic
    _other_app, other_key = create_app(server, answer_app("other"))
    stranger = add_key(server, other_team=True)
    path = "/api/core/app/logs/getUsers"
    for bad_key, status, status_text in ((other_key, 403, "unAuthApp"), (stranger, 403, "unAuthApp")):
        with server.client(bad_key) as client:
            refused(client.post(path, json={"appId": app_id, **window()}), status, status_text)
    with server.client(key) as client:
        refused(client.post(path, json={"appId": "0" * 24, **window()}), 404, "appUnExist")
        assert client.post(path, json={"appId": app_id}).status_code == 400
        assert client.post(path, json={**window()}).status_code == 400
        assert client.post(path, json={"appId": app_id, "dateStart": "yesterday", "dateEnd": "x"}).status_code == 400
    with server.client() as anonymous:
        assert anonymous.post(path, json={"appId": app_id, **window()}).status_code == 401
    with server.root as root:
        assert users(root, "/api/proApi/core/app/logs", {"appId": app_id, **window()})["total"] == 3
