"""Messages: offset and cursor pages, node responses, message delete, init."""

from __future__ import annotations

from tests.api.core.chat.support import call, chat, data_of, new_chat_id, records, refused
from tests.api.v1.chat.helpers import answer_app, create_app
from tests.fake_llm import FakeLLM, Reply
from tests.support.live import LiveServer


def texts(items: list[dict]) -> list[str]:  # type: ignore[type-arg]
    return [item["value"][0]["text"]["content"].strip() for item in items]


def test_pages_are_newest_first_and_chronological_inside(server: LiveServer) -> None:
    app_id, key = create_app(server, answer_app("ok"))
    chat_id = new_chat_id("p")
    for index in range(3):
        chat(server, key, f"q{index}", chat_id)
    latest = records(server, key, app_id, chat_id, pageSize=4)
    assert latest["total"] == 6 and texts(latest["list"]) == ["q1", "ok", "q2", "ok"]
    older = records(server, key, app_id, chat_id, pageSize=4, offset=4)
    assert texts(older["list"]) == ["q0", "ok"]
    assert records(server, key, app_id, chat_id, pageSize=4, offset=6) == {"list": [], "total": 6}  # past the end
    by_page = data_of(
        call(
            server, key, "POST", "/api/core/chat/record/getPaginationRecords",
            json={"appId": app_id, "chatId": chat_id, "pageNum": 2, "pageSize": 4},
        )
    )  # fmt: skip
    assert by_page == older
    human, ai = latest["list"][0], latest["list"][1]
    assert set(human) == {"_id", "dataId", "obj", "value", "time", "hideInUI"}
    assert ai["obj"] == "AI" and ai["totalQuoteList"] == [] and ai["llmModuleAccount"] == 0
    assert "customFeedbacks" not in ai and "responseData" not in ai and "userGoodFeedback" not in ai
    assert isinstance(ai["durationSeconds"], float) and ai["time"].endswith("Z")
    with_feedbacks = records(server, key, app_id, chat_id, loadCustomFeedbacks=True)
    assert all(item["customFeedbacks"] == [] for item in with_feedbacks["list"])
    assert records(server, key, app_id, new_chat_id("none")) == {"list": [], "total": 0}


def test_cursor_pages(server: LiveServer) -> None:
    app_id, key = create_app(server, answer_app("ok"))
    chat_id = new_chat_id("v2")
    for index in range(3):
        chat(server, key, f"q{index}", chat_id)
    everything = records(server, key, app_id, chat_id)["list"]
    ids = [item["dataId"] for item in everything]

    def page(**cursor: object) -> dict:  # type: ignore[type-arg]
        body = {"appId": app_id, "chatId": chat_id, "pageSize": 2, **cursor}
        result: dict = data_of(call(server, key, "POST", "/api/core/chat/record/getRecords_v2", json=body))  # type: ignore[type-arg]
        return result

    last = page()
    assert [i["id"] for i in last["list"]] == ids[4:] and last["total"] == 6
    assert (last["hasMorePrev"], last["hasMoreNext"]) == (True, False)
    before = page(prevId=ids[4])
    assert [i["dataId"] for i in before["list"]] == ids[2:4] and before["hasMorePrev"] is True
    first = page(prevId=ids[2])
    assert [i["dataId"] for i in first["list"]] == ids[:2] and first["hasMorePrev"] is False
    after = page(nextId=ids[1])
    assert [i["dataId"] for i in after["list"]] == ids[2:4] and after["hasMoreNext"] is True
    around = page(initialId=ids[3])
    assert [i["dataId"] for i in around["list"]] == ids[2:5]
    assert (around["hasMorePrev"], around["hasMoreNext"]) == (True, True)
    refused(
        call(
            server,
            key,
            "POST",
            "/api/core/chat/record/getRecords_v2",
            json={"appId": app_id, "chatId": chat_id, "prevId": "nope"},
        ),
        404,
        "invalidResource",
    )


def test_res_data_and_message_delete(server: LiveServer) -> None:
    app_id, key = create_app(server, answer_app("answer"))
    chat_id = new_chat_id("r")
    chat(server, key, "one", chat_id)
    chat(server, key, "two", chat_id)
    human, ai = records(server, key, app_id, chat_id)["list"][:2]
    params = {"appId": app_id, "chatId": chat_id, "dataId": ai["dataId"]}
    nodes = data_of(call(server, key, "GET", "/api/core/chat/getResData", params=params))
    assert "answerNode" in [n["moduleType"] for n in nodes] and all(n["nodeId"] for n in nodes)
    assert data_of(call(server, key, "GET", "/api/core/chat/record/getResData", params=params)) == nodes
    assert (
        data_of(call(server, key, "GET", "/api/core/chat/getResData", params={**params, "dataId": human["dataId"]}))
        == []
    )
    refused(
        call(server, key, "GET", "/api/core/chat/getResData", params={**params, "dataId": "missing"}),
        404,
        "invalidResource",
    )

    # the SDK's way: ids in a JSON body (and the query)
    body = {"appId": app_id, "chatId": chat_id, "contentId": ai["dataId"]}
    assert data_of(call(server, key, "DELETE", "/api/core/chat/item/delete", json=body)) is None
    left = records(server, key, app_id, chat_id)
    assert ai["dataId"] not in [i["dataId"] for i in left["list"]] and left["total"] == 3
    refused(call(server, key, "GET", "/api/core/chat/getResData", params=params), 404, "invalidResource")
    # the 4.16 path, several ids in the query
    rest = [i["dataId"] for i in left["list"]]
    query = {"appId": app_id, "chatId": chat_id, "contentIds": ",".join(rest[:2])}
    data_of(call(server, key, "DELETE", "/api/core/chat/record/delete", params=query))
    assert [i["dataId"] for i in records(server, key, app_id, chat_id)["list"]] == rest[2:]
    # nothing to delete is not an error (FastGPT), and a repeated query key carries several ids
    empty = call(server, key, "DELETE", "/api/core/chat/record/delete", params={"appId": app_id, "chatId": chat_id})
    assert data_of(empty) is None
    chat(server, key, "three", chat_id)
    newest = [i["dataId"] for i in records(server, key, app_id, chat_id)["list"]][-2:]
    repeated = [("appId", app_id), ("chatId", chat_id), *[("contentIds", data_id) for data_id in newest]]
    data_of(call(server, key, "DELETE", "/api/core/chat/record/delete", params=repeated))
    assert [i["dataId"] for i in records(server, key, app_id, chat_id)["list"]] == rest[2:]


def test_deleted_messages_leave_the_model_history(server: LiveServer, fake: FakeLLM) -> None:
    chat_id = new_chat_id("llm")
    fake.script(Reply(content="remembered answer"))
    chat(server, server.app_key, "secret fact", chat_id)
    items = records(server, server.app_key, server.app_id, chat_id)["list"]
    for item in items:
        body = {"appId": server.app_id, "chatId": chat_id, "contentId": item["dataId"]}
        data_of(call(server, server.app_key, "DELETE", "/api/core/chat/item/delete", json=body))
    fake.script(Reply(content="fresh"))
    chat(server, server.app_key, "what did I say?", chat_id)
    sent = " ".join(str(m.get("content")) for m in fake.requests[-1]["messages"])
    assert "what did I say?" in sent and "secret fact" not in sent and "remembered answer" not in sent


def test_init(server: LiveServer) -> None:
    app_id, key = create_app(server, answer_app("init"), name="Init app")
    chat_id = new_chat_id("i")
    chat(server, key, "hi there", chat_id, variables={"name": "Ada"})
    data = data_of(call(server, key, "GET", "/api/core/chat/init", params={"appId": app_id, "chatId": chat_id}))
    assert data["chatId"] == chat_id and data["appId"] == app_id and data["title"] == "hi there"
    assert data["variables"]["name"] == "Ada"
    app = data["app"]
    assert app["name"] == "Init app" and app["type"] == "advanced" and app["pluginInputs"] == []
    assert [v["key"] for v in app["chatConfig"]["variables"]] == ["name"]
    assert app["chatConfig"]["questionGuide"] == {"open": False} and app["chatModels"] == []
    fresh = data_of(call(server, key, "GET", "/api/core/chat/init", params={"appId": app_id, "chatId": "not-yet"}))
    assert fresh["variables"] == {} and fresh["title"] == "" and "userAvatar" not in fresh
    demo = data_of(call(server, server.app_key, "GET", "/api/core/chat/init", params={"appId": server.app_id}))
    assert demo["chatId"] == "" and demo["app"]["chatModels"]
