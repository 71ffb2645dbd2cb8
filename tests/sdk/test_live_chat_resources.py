"""``chat.histories``, ``chat.records``, ``chat.feedback``, ``chat.files``, ``chat.test`` and
``chat.completions.stop`` against the real server (``live_server``), including share-link visitors."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from fastgpt_client import APIStatusError, AsyncFastGPTClient, FastGPTClient, NotFoundError, PermissionDeniedError
from fastgpt_client.stream_types import AnswerEvent, DoneEvent
from tests.fake_llm import Reply


def new_id(tag: str) -> str:
    return f"sdk-{tag}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def app_client(live: Any) -> Iterator[FastGPTClient]:
    fake = getattr(live, "fake_llm", None)
    if fake is not None:
        fake.reset()
    with FastGPTClient(api_key=live.app_key, base_url=live.base_url) as client:
        yield client


def chat(client: FastGPTClient, chat_id: str, text: str) -> None:
    client.chat.completions.create(messages=[{"role": "user", "content": text}], chat_id=chat_id)


def history_ids(client: FastGPTClient, app_id: str) -> list[str]:
    return [item["chatId"] for item in client.chat.histories.list_all(app_id=app_id, page_size=2)]


def test_histories_lifecycle_and_paging(live: Any, app_client: FastGPTClient) -> None:
    ids = [new_id("h") for _ in range(5)]
    for chat_id in ids:
        chat(app_client, chat_id, f"hello {chat_id}")
    every = history_ids(app_client, live.app_id)
    assert set(ids) <= set(every) and len(every) == len(set(every))  # no page repeats an item
    page = app_client.chat.histories.list(live.app_id, page_num=2, page_size=2)
    assert len(page["list"]) == 2 and page["total"] == len(every)
    assert [item["chatId"] for item in page["list"]] == every[2:4]

    app_client.chat.histories.update(live.app_id, ids[0], custom_title="pinned by the SDK", top=True)
    mine = next(item for item in app_client.chat.histories.list_all(live.app_id) if item["chatId"] == ids[0])
    assert mine["customTitle"] == "pinned by the SDK" and mine["top"] is True
    init = app_client.chat.histories.init(live.app_id, ids[0])
    assert init["chatId"] == ids[0] and init["appId"] == live.app_id and "chatConfig" in init["app"]

    with pytest.raises(PermissionDeniedError):  # FastGPT: deleting others' logs needs the app's owner
        app_client.chat.histories.batch_delete(live.app_id, ids[1:3])
    with FastGPTClient(api_key=live.root_key, base_url=live.base_url) as admin:
        admin.chat.histories.batch_delete(live.app_id, ids[1:3])
    app_client.chat.histories.delete(live.app_id, ids[3])
    remaining = set(history_ids(app_client, live.app_id))
    assert ids[0] in remaining and ids[4] in remaining and not remaining & set(ids[1:4])
    app_client.chat.histories.clear(live.app_id)
    assert not set(history_ids(app_client, live.app_id)) & set(ids)


def test_records_pages_cursor_response_data_and_delete(live: Any, app_client: FastGPTClient) -> None:
    chat_id = new_id("r")
    for text in ("one", "two", "three"):
        chat(app_client, chat_id, text)
    records = list(app_client.chat.records.list_all(live.app_id, chat_id, page_size=4))
    assert len(records) == 6 and len({item["dataId"] for item in records}) == 6
    newest = app_client.chat.records.list(live.app_id, chat_id, offset=0, page_size=2)
    assert newest["total"] == 6 and [item["obj"] for item in newest["list"]] == ["Human", "AI"]
    assert newest["list"][0]["value"][0]["text"]["content"] == "three"

    cursor = app_client.chat.records.list_v2(live.app_id, chat_id, page_size=2)
    assert cursor["hasMorePrev"] is True and cursor["hasMoreNext"] is False
    assert [item["dataId"] for item in cursor["list"]] == [item["dataId"] for item in newest["list"]]
    before = app_client.chat.records.list_v2(live.app_id, chat_id, page_size=2, prev_id=cursor["list"][0]["dataId"])
    assert before["list"][0]["value"][0]["text"]["content"] == "two"

    answer = newest["list"][1]
    responses = app_client.chat.records.response_data(live.app_id, chat_id, answer["dataId"])
    assert isinstance(responses, list) and responses
    app_client.chat.records.delete(live.app_id, chat_id, answer["dataId"])
    assert app_client.chat.records.list(live.app_id, chat_id)["total"] == 5
    with pytest.raises(NotFoundError):
        app_client.chat.records.response_data(live.app_id, "no-such-chat", answer["dataId"])


def test_feedback_votes_admin_update_and_question_guide(live: Any, app_client: FastGPTClient) -> None:
    chat_id = new_id("f")
    chat(app_client, chat_id, "rate me")
    answer = app_client.chat.records.list(live.app_id, chat_id)["list"][-1]

    def record() -> dict[str, Any]:
        page = app_client.chat.records.list(live.app_id, chat_id, load_custom_feedbacks=True)
        return dict(next(item for item in page["list"] if item["dataId"] == answer["dataId"]))

    app_client.chat.feedback.update_user_feedback(live.app_id, chat_id, answer["dataId"], user_bad_feedback="wrong")
    assert record().get("userBadFeedback") == "wrong"
    app_client.chat.feedback.update_user_feedback(live.app_id, chat_id, answer["dataId"])  # clears the vote
    assert "userBadFeedback" not in record()
    app_client.chat.feedback.close_custom(live.app_id, chat_id, answer["dataId"], index=0)  # none there: ignored

    with FastGPTClient(api_key=live.root_key, base_url=live.base_url) as admin:
        dataset = admin.datasets.create("sdk feedback")
        try:
            collection = admin.datasets.collections.create(dataset, "corrections")
            admin.chat.feedback.admin_update(
                live.app_id, chat_id, answer["dataId"], dataset_id=dataset, collection_id=collection,
                q="rate me", a="five stars",
            )  # fmt: skip
        finally:
            admin.datasets.delete(dataset)
    assert record()["adminFeedback"]["a"] == "five stars"

    live.fake_llm.script(Reply(content='["What else?", "Why?"]'))
    assert app_client.chat.feedback.question_guide(live.app_id, chat_id) == ["What else?", "Why?"]
    live.fake_llm.script(Reply(content='["And then?"]'))
    messages = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
    assert app_client.chat.feedback.question_guide_from_messages(messages) == ["And then?"]


def test_chat_files_presign_and_stop(live: Any, app_client: FastGPTClient) -> None:
    chat_id = new_id("file")
    config = {"canSelectFile": True, "canSelectImg": True, "customFileExtensionList": []}
    with pytest.raises(PermissionDeniedError):  # an app key gets the app's own config: uploads are off
        app_client.chat.files.presign_post_url(live.app_id, chat_id, "notes.txt", file_select_config=config)
    with FastGPTClient(api_key=live.root_key, base_url=live.base_url) as admin:  # an editor may send its own
        upload = admin.chat.files.presign_post_url(live.app_id, chat_id, "notes.txt", file_select_config=config)
        assert upload["url"].startswith("http") and upload["key"] and upload["maxSize"] > 0
        assert upload.get("headers") or upload.get("fields")
        url = admin.chat.files.presign_get_url(live.app_id, upload["key"])
    assert url.startswith("http")
    assert app_client.chat.completions.stop(live.app_id, chat_id) == {"stopped": False}


async def test_chat_test_runs_an_unsaved_graph(live: Any) -> None:
    live.fake_llm.reset()
    async with AsyncFastGPTClient(api_key=live.root_key, base_url=live.base_url) as admin:
        graph = await admin.apps.versions.latest(live.app_id)
        nodes, edges = graph["nodes"], graph["edges"]
        answer = await admin.chat.test.run(
            live.app_id, nodes=nodes, edges=edges, messages=[{"role": "user", "content": "debug run"}]
        )
        assert "debug run" in str(answer["choices"][0]["message"]["content"])
        stream = await admin.chat.test.run(
            live.app_id, nodes=nodes, edges=edges, messages=[{"role": "user", "content": "streamed"}], stream=True
        )
        async with stream:
            events = [event async for event in stream]
        text = "".join(event.content for event in events if isinstance(event, AnswerEvent))
        assert "streamed" in text and any(isinstance(event, DoneEvent) for event in events)


def test_share_link_visitor_sees_only_own_chats(live: Any, app_client: FastGPTClient) -> None:
    api_chat = new_id("api")
    chat(app_client, api_chat, "from the api")
    with FastGPTClient(api_key=live.root_key, base_url=live.base_url) as admin:
        share_id = admin.share_links.create(live.app_id, "sdk visitor link")
        try:
            with FastGPTClient(api_key="unused-by-visitors", base_url=live.base_url) as visitor:
                me = {"shareId": share_id, "outLinkUid": new_id("uid")}
                other = {"shareId": share_id, "outLinkUid": new_id("uid")}
                opened = visitor.chat.histories.init_out_link(share_id=share_id, out_link_uid=me["outLinkUid"])
                assert opened["appId"] == live.app_id and opened["app"]["name"]
                chat_id = new_id("v")
                visitor.chat.completions.create(
                    messages=[{"role": "user", "content": "visitor says hi"}], chat_id=chat_id, out_link_auth_data=me
                )
                mine = [item["chatId"] for item in visitor.chat.histories.list_all(live.app_id, out_link_auth_data=me)]
                assert mine == [chat_id]  # not the API chats of the app
                assert list(visitor.chat.histories.list_all(live.app_id, out_link_auth_data=other)) == []
                records = visitor.chat.records.list(live.app_id, chat_id, out_link_auth_data=me)
                assert records["total"] == 2
                with pytest.raises(APIStatusError) as denied:
                    visitor.chat.records.list(live.app_id, chat_id, out_link_auth_data=other)
                assert denied.value.status_code in (403, 404)
                visitor.chat.histories.delete(live.app_id, chat_id, out_link_auth_data=me)
                assert list(visitor.chat.histories.list_all(live.app_id, out_link_auth_data=me)) == []
        finally:
            link = next(item for item in admin.share_links.list(live.app_id) if item["shareId"] == share_id)
            admin.share_links.delete(link["_id"])


def test_end_user_histories_read_status(live: Any, app_client: FastGPTClient) -> None:
    """`custom_uid` scopes a key holder's history list to one end user; status and mark_read round-trip."""
    alice, bob = new_id("alice"), new_id("bob")
    alice_chat, bob_chat = new_id("a"), new_id("b")
    app_client.chat.completions.create(
        messages=[{"role": "user", "content": "hi"}], chat_id=alice_chat, custom_uid=alice
    )
    app_client.chat.completions.create(messages=[{"role": "user", "content": "hi"}], chat_id=bob_chat, custom_uid=bob)
    listed = app_client.chat.histories.list(live.app_id, custom_uid=alice)
    assert [item["chatId"] for item in listed["list"]] == [alice_chat] and listed["total"] == 1

    before = {item["chatId"]: item for item in app_client.chat.histories.status(live.app_id, [alice_chat, bob_chat])}
    assert {chat_id: item["hasBeenRead"] for chat_id, item in before.items()} == {alice_chat: False, bob_chat: False}
    app_client.chat.histories.mark_read(live.app_id, alice_chat)
    after = {item["chatId"]: item for item in app_client.chat.histories.status(live.app_id, [alice_chat, bob_chat])}
    assert after[alice_chat]["hasBeenRead"] is True and after[bob_chat]["hasBeenRead"] is False
    assert after[alice_chat]["chatGenerateStatus"] == before[alice_chat]["chatGenerateStatus"]
