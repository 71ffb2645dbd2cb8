"""`history/getHistoryStatus`, `history/markRead`, `hasBeenRead` in the list, and one end user's
chats of a key holder (`customUid`, FastGPT#3929), on both backends."""

from __future__ import annotations

from typing import Any

from tests.api.core.chat.support import add_key, call, chat, chat_ids, data_of, histories, new_chat_id, refused
from tests.api.v1.chat.helpers import answer_app, create_app
from tests.support.live import LiveServer

STATUS = "/api/core/chat/history/getHistoryStatus"
MARK = "/api/core/chat/history/markRead"


def status(server: LiveServer, key: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = data_of(call(server, key, "POST", STATUS, json=body))["list"]
    return result


def test_a_finished_round_is_unread_until_marked_read(server: LiveServer) -> None:
    app_id, key = create_app(server, answer_app("read me"))
    first, second = new_chat_id("r"), new_chat_id("r")
    chat(server, key, "one", first)
    chat(server, key, "two", second)

    found = status(server, key, {"appId": app_id, "chatIds": [first, second, "missing"]})
    assert sorted(item["chatId"] for item in found) == sorted([first, second])
    for item in found:
        assert item == {**item, "chatGenerateStatus": 1, "hasBeenRead": False}
        assert item["updateTime"].endswith("Z") and set(item) == {
            "chatId",
            "updateTime",
            "chatGenerateStatus",
            "hasBeenRead",
        }
    before = next(item["updateTime"] for item in found if item["chatId"] == first)

    assert data_of(call(server, key, "POST", MARK, json={"appId": app_id, "chatId": first})) is None
    now = {item["chatId"]: item for item in status(server, key, {"appId": app_id, "chatIds": [first, second]})}
    assert now[first]["hasBeenRead"] is True and now[second]["hasBeenRead"] is False
    assert now[first]["updateTime"] >= before  # markRead touches the chat, as FastGPT does
    listed = {item["chatId"]: item for item in histories(server, key, app_id)["list"]}
    assert listed[first]["hasBeenRead"] is True and listed[second]["hasBeenRead"] is False

    # the next round makes it unread again
    chat(server, key, "again", first)
    assert status(server, key, {"appId": app_id, "chatIds": [first]})[0]["hasBeenRead"] is False
    # a chat that does not exist: nothing to mark, no error (FastGPT's updateOne)
    assert data_of(call(server, key, "POST", MARK, json={"appId": app_id, "chatId": "nope"})) is None


def test_status_input_and_scope(server: LiveServer) -> None:
    app_id, key = create_app(server, answer_app("scope"))
    other_app, other_key = create_app(server, answer_app("other"))
    chat_id = new_chat_id("s")
    chat(server, key, "mine", chat_id)
    member_key = add_key(server, other_member=True)
    stranger_key = add_key(server, other_team=True)

    # an app key without appId means its app; a team key without an app gets an empty list (FastGPT)
    assert [item["chatId"] for item in status(server, key, {"chatIds": [chat_id]})] == [chat_id]
    with server.root as root:
        team_key = data_of(root.post("/api/support/openapi/create", json={"name": "team"}))
    assert status(server, team_key, {"chatIds": [chat_id]}) == []
    # another member sees none of my chats; another app's key and another team are refused
    assert status(server, member_key, {"appId": app_id, "chatIds": [chat_id]}) == []
    refused(call(server, other_key, "POST", STATUS, json={"appId": app_id, "chatIds": [chat_id]}), 403, "unAuthApp")
    refused(call(server, stranger_key, "POST", STATUS, json={"appId": app_id, "chatIds": [chat_id]}), 403, "unAuthApp")
    refused(call(server, stranger_key, "POST", MARK, json={"appId": app_id, "chatId": chat_id}), 403, "unAuthApp")
    refused(call(server, member_key, "POST", MARK, json={"appId": app_id, "chatId": chat_id}), 403, "unAuthChat")
    assert status(server, key, {"appId": app_id, "chatIds": [chat_id]})[0]["hasBeenRead"] is False
    # a chat id of another app is not reported under this app
    assert status(server, other_key, {"appId": other_app, "chatIds": [chat_id]}) == []

    # bad input: no ids, more than 200 ids, no chatId
    for body in ({"appId": app_id, "chatIds": []}, {"appId": app_id, "chatIds": [f"c{i}" for i in range(201)]}):
        refused(call(server, key, "POST", STATUS, json=body), 400, "invalidParams")
    refused(call(server, key, "POST", MARK, json={"appId": app_id}), 400, "invalidParams")
    assert len(status(server, key, {"appId": app_id, "chatIds": [f"c{i}" for i in range(200)]})) == 0


def test_histories_of_one_end_user(server: LiveServer) -> None:
    """A backend serving many end users through one key lists one user's chats (`customUid`)."""
    app_id, key = create_app(server, answer_app("per user"))
    alice = [new_chat_id("a") for _ in range(2)]
    bob = new_chat_id("b")
    plain = new_chat_id("p")
    for chat_id in alice:
        chat(server, key, "alice asks", chat_id, customUid="alice")
    chat(server, key, "bob asks", bob, customUid="bob")
    chat(server, key, "nobody asks", plain)

    assert chat_ids(histories(server, key, app_id, customUid="alice")) == list(reversed(alice))
    assert histories(server, key, app_id, customUid="alice")["total"] == 2
    assert chat_ids(histories(server, key, app_id, outLinkUid="bob")) == [bob]
    assert histories(server, key, app_id, customUid="carol") == {"list": [], "total": 0}
    assert set(chat_ids(histories(server, key, app_id))) == {*alice, bob, plain}  # no filter: all of them
    # 4.16 path, with pagination
    page = data_of(
        call(
            server,
            key,
            "POST",
            "/api/core/chat/history/getHistories",
            json={"appId": app_id, "customUid": "alice", "offset": 1, "pageSize": 1},
        )
    )
    assert chat_ids(page) == [alice[0]] and page["total"] == 2
    # another member with the same end-user id sees nothing of this member's chats
    member_key = add_key(server, other_member=True)
    assert histories(server, member_key, app_id, customUid="alice")["total"] == 0
