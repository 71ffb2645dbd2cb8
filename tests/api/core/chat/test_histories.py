"""Conversation list, rename/pin, soft delete, clear and batch delete, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api.core.chat.support import (
    call,
    chat,
    chat_ids,
    data_of,
    histories,
    new_chat_id,
    records,
    refused,
    stored_chat,
)
from tests.api.v1.chat.helpers import answer_app, create_app
from tests.support.live import LiveServer

START_OF_TIME = "2000-01-01T00:00:00Z"


def test_list_order_pin_rename_and_pagination(server: LiveServer) -> None:
    app_id, key = create_app(server, answer_app("hello"))
    ids = [new_chat_id("h") for _ in range(3)]
    for index, chat_id in enumerate(ids):
        chat(server, key, f"question {index}", chat_id)
    page = histories(server, key, app_id)
    assert chat_ids(page) == list(reversed(ids)) and page["total"] == 3
    first = page["list"][-1]
    assert first["title"] == "question 0" and first["customTitle"] == "" and first["top"] is False
    assert first["appId"] == app_id and first["updateTime"].endswith("Z")

    # pin the oldest, rename it (4.11 PUT path and 4.16 POST path)
    data_of(
        call(server, key, "PUT", "/api/core/chat/updateHistory", json={"appId": app_id, "chatId": ids[0], "top": True})
    )
    body = {"appId": app_id, "chatId": ids[0], "customTitle": "Pinned one", "title": "renamed"}
    assert data_of(call(server, key, "POST", "/api/core/chat/history/updateHistory", json=body)) is None
    page = data_of(call(server, key, "POST", "/api/core/chat/history/getHistories", json={"appId": app_id}))
    assert chat_ids(page) == [ids[0], ids[2], ids[1]]
    assert page["list"][0] == {**page["list"][0], "customTitle": "Pinned one", "title": "renamed", "top": True}

    # offset and pageNum pages
    assert chat_ids(histories(server, key, app_id, offset=1, pageSize=1)) == [ids[2]]
    by_page = data_of(
        call(server, key, "POST", "/api/core/chat/getHistories", json={"appId": app_id, "pageNum": 2, "pageSize": 2})
    )
    assert chat_ids(by_page) == [ids[1]] and by_page["total"] == 3
    assert histories(server, key, app_id, offset=3) == {"list": [], "total": 3}  # past the end: the counter
    past_window = histories(server, key, app_id, offset=3, startCreateTime=START_OF_TIME)
    assert past_window == {"list": [], "total": 3}  # past the end of a time window: a count

    # source filter: these are API chats
    assert histories(server, key, app_id, source="api")["total"] == 3
    assert histories(server, key, app_id, source="online")["total"] == 0


def test_time_filters(server: LiveServer) -> None:
    app_id, key = create_app(server, answer_app("t"))
    chat_id = new_chat_id("t")
    chat(server, key, "when", chat_id)
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert chat_ids(histories(server, key, app_id, startCreateTime=past, endCreateTime=future)) == [chat_id]
    assert histories(server, key, app_id, startCreateTime=future)["total"] == 0
    assert histories(server, key, app_id, endUpdateTime=past)["total"] == 0
    assert histories(server, key, app_id, startUpdateTime=past)["total"] == 1


def test_delete_is_soft_and_invisible_and_a_reused_id_starts_empty(server: LiveServer) -> None:
    app_id, key = create_app(server, answer_app("soft"))
    gone, kept = new_chat_id("d"), new_chat_id("k")
    chat(server, key, "first", gone)
    chat(server, key, "second", kept)
    response = call(server, key, "DELETE", "/api/core/chat/delHistory", params={"appId": app_id, "chatId": gone})
    assert data_of(response) is None
    assert chat_ids(histories(server, key, app_id)) == [kept]
    assert records(server, key, app_id, gone) == {"list": [], "total": 0}
    stored = stored_chat(server, app_id, gone)
    assert stored is not None and stored.delete_time is not None  # kept in the database
    # deleting again is idempotent
    assert (
        data_of(
            call(server, key, "DELETE", "/api/core/chat/history/delHistory", params={"appId": app_id, "chatId": gone})
        )
        is None
    )
    refused(
        call(server, key, "POST", "/api/core/chat/updateHistory", json={"appId": app_id, "chatId": gone, "top": True}),
        404,
        "invalidResource",
    )

    # the same chat id used again: only the new round is visible
    chat(server, key, "fresh start", gone)
    visible = records(server, key, app_id, gone)["list"]
    assert [item["obj"] for item in visible] == ["Human", "AI"]
    assert visible[0]["value"][0]["text"]["content"] == "fresh start"
    assert gone in chat_ids(histories(server, key, app_id))


def test_clear_removes_only_the_callers_api_chats(server: LiveServer) -> None:
    app_id, key = create_app(server, answer_app("clear"))
    other_app, other_key = create_app(server, answer_app("other"))
    for _ in range(2):
        chat(server, key, "x", new_chat_id("cl"))
    survivor = new_chat_id("sv")
    chat(server, other_key, "y", survivor)
    response = call(server, key, "DELETE", "/api/core/chat/history/clearHistories", params={"appId": app_id})
    assert data_of(response) is None
    assert histories(server, key, app_id)["total"] == 0
    assert chat_ids(histories(server, other_key, other_app)) == [survivor]
    # the 4.11 path, with the id in a JSON body
    data_of(call(server, other_key, "DELETE", "/api/core/chat/clearHistories", json={"appId": other_app}))
    assert histories(server, other_key, other_app)["total"] == 0


def test_batch_delete_is_for_log_admins(server: LiveServer) -> None:
    app_id, key = create_app(server, answer_app("batch"))
    ids = [new_chat_id("b") for _ in range(3)]
    for chat_id in ids:
        chat(server, key, "x", chat_id)
    body = {"appId": app_id, "chatIds": ids[:2]}
    refused(call(server, key, "POST", "/api/core/chat/history/batchDelete", json=body), 403, "unAuthApp")
    with server.root as root:
        assert data_of(root.post("/api/core/chat/history/batchDelete", json=body)) is None
        refused(
            root.post("/api/core/chat/history/batchDelete", json={"appId": app_id, "chatIds": []}), 400, "invalidParams"
        )
    assert chat_ids(histories(server, key, app_id)) == [ids[2]]


def test_bad_input_is_an_envelope(server: LiveServer) -> None:
    app_id, key = create_app(server, answer_app("bad"))
    refused(call(server, key, "POST", "/api/core/chat/updateHistory", json={"appId": app_id}), 400, "invalidParams")
    refused(
        call(
            server,
            key,
            "POST",
            "/api/core/chat/getHistories",
            content=b"{nope",
            headers={"content-type": "application/json"},
        ),
        400,
        "invalidParams",
    )
    refused(
        call(server, key, "POST", "/api/core/chat/getHistories", json={"appId": app_id, "pageSize": 0}),
        400,
        "invalidParams",
    )
    refused(call(server, key, "DELETE", "/api/core/chat/delHistory", params={"appId": app_id}), 400, "invalidParams")
    refused(
        call(
            server, key, "DELETE", "/api/core/chat/delHistory", content=b"{x", params={"appId": app_id, "chatId": "a"}
        ),
        400,
        "invalidParams",
    )
    refused(call(server, "", "POST", "/api/core/chat/getHistories", json={"appId": app_id}), 401, "unAuthorization")


def test_a_reused_deleted_chat_forgets_title_pin_and_variables(server: LiveServer) -> None:
    app_id, key = create_app(server, answer_app("again"))
    chat_id = new_chat_id("rv")
    chat(server, key, "old title", chat_id, variables={"name": "Ada"})
    body = {"appId": app_id, "chatId": chat_id, "customTitle": "Old custom", "top": True}
    data_of(call(server, key, "POST", "/api/core/chat/updateHistory", json=body))
    data_of(call(server, key, "DELETE", "/api/core/chat/delHistory", params={"appId": app_id, "chatId": chat_id}))
    chat(server, key, "new title", chat_id)
    item = next(i for i in histories(server, key, app_id)["list"] if i["chatId"] == chat_id)
    assert (item["title"], item["customTitle"], item["top"]) == ("new title", "", False)
    init = data_of(call(server, key, "GET", "/api/core/chat/init", params={"appId": app_id, "chatId": chat_id}))
    assert init["variables"].get("name") != "Ada"


def test_openapi_lists_the_history_routes_with_schemas(server: LiveServer) -> None:
    with server.client() as client:
        spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/core/chat/getHistories",
        "/api/core/chat/history/getHistories",
        "/api/core/chat/updateHistory",
        "/api/core/chat/history/updateHistory",
        "/api/core/chat/delHistory",
        "/api/core/chat/clearHistories",
        "/api/core/chat/history/batchDelete",
        "/api/core/chat/init",
        "/api/core/chat/getPaginationRecords",
        "/api/core/chat/record/getRecords_v2",
        "/api/core/chat/getResData",
        "/api/core/chat/item/delete",
        "/api/core/chat/record/delete",
        "/api/core/chat/feedback/updateUserFeedback",
        "/api/core/ai/agent/v2/createQuestionGuide",
        "/api/core/ai/agent/createQuestionGuide",
    ):
        assert path in paths, path
        for operation in paths[path].values():
            assert operation["responses"]["200"]["content"]["application/json"]["schema"], path
    assert set(paths["/api/core/chat/updateHistory"]) == {"put", "post"}
