"""`GET /api/core/chat/resume` (FastGPT 4.14.11): completed chats, 406, unavailable mirrors, access."""

from __future__ import annotations

import json
import time

import pytest

from tests.api.core.chat.support import add_key, chat, data_of, new_chat_id, refused
from tests.api.v1.chat.helpers import parse_sse
from tests.api.v2.chat.resume_client import (
    RESUME_HEADER,
    WORDS,
    resume,
    slow_reply,
    start_and_drop,
    unique,
)
from tests.fake_llm import FakeLLM
from tests.support.live import LiveServer


def _wait_done(server: LiveServer, chat_id: str) -> None:
    deadline = time.monotonic() + 20
    while resume(server, server.app_key, server.app_id, chat_id, sse=False).status_code == 406:
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_a_finished_chat_answers_its_records_and_is_marked_read(server: LiveServer) -> None:
    chat_id = new_chat_id("done")
    chat(server, server.app_key, "finished question", chat_id)
    data = data_of(resume(server, server.app_key, server.app_id, chat_id, sse=False))
    assert data["chatGenerateStatus"] == 1 and data["hasBeenRead"] is True
    records = data["records"]
    assert set(records) == {"list", "total", "hasMorePrev", "hasMoreNext"}
    assert records["total"] == 2 and records["hasMorePrev"] is False and records["hasMoreNext"] is False
    human, ai = records["list"]
    assert human["obj"] == "Human" and human["id"] == human["dataId"]
    assert human["value"][0]["text"]["content"] == "finished question" and ai["obj"] == "AI"
    with server.client(server.app_key) as client:
        status = client.post(
            "/api/core/chat/history/getHistoryStatus", json={"appId": server.app_id, "chatIds": [chat_id]}
        ).json()["data"]["list"]
    assert status[0]["hasBeenRead"] is True

    # the same over SSE: `resumeCompleted` with that payload, then `done`
    response = resume(server, server.app_key, server.app_id, chat_id)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    assert [name for name, _ in events] == ["resumeCompleted", "done"]
    assert json.loads(events[0][1]) == data and events[1][1] == "[DONE]"


def test_a_generating_chat_needs_an_event_stream(server: LiveServer, fake: FakeLLM) -> None:
    text = unique("406")
    fake.rule(text, slow_reply())
    chat_id, _ = start_and_drop(server, server.app_key, text, new_chat_id("g"), headers=RESUME_HEADER)
    response = resume(server, server.app_key, server.app_id, chat_id, sse=False)
    assert response.status_code == 406
    assert response.json() == {
        "code": 406,
        "statusText": "error",
        "message": "This chat is still generating. Retry /api/core/chat/resume with Accept: text/event-stream.",
        "data": None,
    }
    _wait_done(server, chat_id)


def test_a_stream_started_without_the_header_is_unavailable_then_completed(server: LiveServer, fake: FakeLLM) -> None:
    text = unique("nomirror")
    fake.rule(text, slow_reply())
    chat_id, _ = start_and_drop(server, server.app_key, text, new_chat_id("n"))
    events = parse_sse(resume(server, server.app_key, server.app_id, chat_id).text)
    assert events[0] == ("resumePhase", "catchup")
    assert events[1] == ("resumeUnavailable", '{"reason":"mirrorUnavailable"}')
    assert [name for name, _ in events[2:]] == ["resumeCompleted", "done"]
    completed = json.loads(events[2][1])
    assert completed["chatGenerateStatus"] == 1
    assert completed["records"]["list"][-1]["value"][0]["text"]["content"] == WORDS


@pytest.mark.parametrize("value", ["0", "false", "no", ""])
def test_only_true_header_values_mirror(sqlite_server: LiveServer, fake: FakeLLM, value: str) -> None:
    text = unique("off")
    fake.rule(text, slow_reply())
    chat_id, _ = start_and_drop(
        sqlite_server, sqlite_server.app_key, text, new_chat_id("o"), headers={"x-fastgpt-stream-resume": value}
    )
    events = parse_sse(resume(sqlite_server, sqlite_server.app_key, sqlite_server.app_id, chat_id).text)
    assert events[1][0] == "resumeUnavailable"


def test_unknown_chat_is_404_and_someone_elses_is_403(server: LiveServer, fake: FakeLLM) -> None:
    refused(resume(server, server.app_key, server.app_id, "no-such-chat", sse=False), 404, "invalidResource")
    refused(resume(server, server.app_key, server.app_id, "no-such-chat"), 404, "invalidResource")

    chat_id = new_chat_id("mine")
    chat(server, server.app_key, "private", chat_id)
    other_team = add_key(server, other_team=True)
    refused(resume(server, other_team, server.app_id, chat_id), 403, "unAuthApp")
    other_member = add_key(server, other_member=True, app_id=server.app_id)
    refused(resume(server, other_member, server.app_id, chat_id), 403, "unAuthChat")

    # a running new chat (no chat row yet) is guarded by its mirror's owner
    text = unique("guard")
    fake.rule(text, slow_reply())
    fresh_id, _ = start_and_drop(server, server.app_key, text, None, headers=RESUME_HEADER)
    refused(resume(server, other_member, server.app_id, fresh_id), 403, "unAuthChat")
    refused(resume(server, other_team, server.app_id, fresh_id), 403, "unAuthApp")
    _wait_done(server, fresh_id)


def test_bad_queries_answer_400(sqlite_server: LiveServer) -> None:
    with sqlite_server.client(sqlite_server.app_key) as client:
        response = client.get("/api/core/chat/resume", params={"appId": sqlite_server.app_id})
        assert response.status_code == 400 and response.json()["data"] is None
    with sqlite_server.client() as client:
        assert client.get("/api/core/chat/resume", params={"chatId": "x"}).status_code == 401
