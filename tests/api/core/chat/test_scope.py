"""Who sees which chat: app key, another app's key, team key, root, another member, another team."""

from __future__ import annotations

from typing import Any

from tests.api.core.chat.support import add_key, call, chat, chat_ids, data_of, histories, new_chat_id, records, refused
from tests.api.v1.chat.helpers import answer_app, create_app
from tests.support.live import LiveServer


def chat_routes(app_id: str, chat_id: str, data_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    ref = {"appId": app_id, "chatId": chat_id}
    item = {**ref, "dataId": data_id}
    return [
        ("POST", "/api/core/chat/getPaginationRecords", {"json": ref}),
        ("POST", "/api/core/chat/getPaginationRecords", {"json": {**ref, "offset": 100}}),  # past the end
        ("POST", "/api/core/chat/record/getRecords_v2", {"json": ref}),
        ("GET", "/api/core/chat/getResData", {"params": item}),
        ("GET", "/api/core/chat/init", {"params": ref}),
        ("POST", "/api/core/chat/updateHistory", {"json": {**ref, "top": True}}),
        ("DELETE", "/api/core/chat/delHistory", {"params": ref}),
        ("DELETE", "/api/core/chat/item/delete", {"params": {**ref, "contentId": data_id}}),
        ("POST", "/api/core/chat/feedback/updateUserFeedback", {"json": {**item, "userGoodFeedback": "x"}}),
        ("POST", "/api/core/ai/agent/v2/createQuestionGuide", {"json": ref}),
    ]


def test_caller_scope_matrix(server: LiveServer) -> None:
    app_id, app_key = create_app(server, answer_app("scoped"))
    _other_app, other_app_key = create_app(server, answer_app("elsewhere"))
    chat_id = new_chat_id("s")
    chat(server, app_key, "mine", chat_id)
    ai_id = records(server, app_key, app_id, chat_id)["list"][1]["dataId"]
    with server.root as root:
        team_key = data_of(root.post("/api/support/openapi/create", json={"name": "team"}))
    member_key = add_key(server, other_member=True)
    stranger_key = add_key(server, other_team=True)

    # the app key, a team key and the root key of the same member all list it
    for key in (app_key, team_key, server.root_key):
        assert chat_id in chat_ids(histories(server, key, app_id))
        assert records(server, key, app_id, chat_id)["total"] == 2
    # another member of the team: not listed, and the chat is refused
    assert chat_id not in chat_ids(histories(server, member_key, app_id))
    for method, path, kwargs in chat_routes(app_id, chat_id, ai_id):
        refused(call(server, member_key, method, path, **kwargs), 403, "unAuthChat")
        # another app's key, and another team: the app itself is refused
        refused(call(server, other_app_key, method, path, **kwargs), 403, "unAuthApp")
        refused(call(server, stranger_key, method, path, **kwargs), 403, "unAuthApp")
    refused(call(server, app_key, "POST", "/api/core/chat/getHistories", json={"appId": "0" * 24}), 404, "appUnExist")
    refused(call(server, team_key, "POST", "/api/core/chat/getHistories", json={}), 400, "missingParams")
    # an app key without `appId` means its own app
    assert chat_id in chat_ids(data_of(call(server, app_key, "POST", "/api/core/chat/getHistories", json={})))

    # the chat survived every refused attempt
    assert records(server, app_key, app_id, chat_id)["total"] == 2

    # the root key (team owner) may read another member's chat
    member_app, _ = create_app(server, answer_app("member"))
    member_app_key = add_key(server, other_member=True, app_id=member_app)
    theirs = new_chat_id("m")
    chat(server, member_app_key, "theirs", theirs)
    assert chat_ids(histories(server, member_app_key, member_app)) == [theirs]
    assert records(server, server.root_key, member_app, theirs)["total"] == 2
    assert theirs not in chat_ids(histories(server, server.root_key, member_app))
    refused(
        call(
            server, app_key, "POST", "/api/core/chat/getPaginationRecords", json={"appId": member_app, "chatId": theirs}
        ),
        403,
        "unAuthApp",
    )
