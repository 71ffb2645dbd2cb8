"""A real client drops a v2 stream mid-answer and reattaches: no text is lost (SQLite and PostgreSQL),
also when the stream runs on another server instance of the same database."""

from __future__ import annotations

from tests.api.core.chat.support import data_of
from tests.api.v1.chat.helpers import parse_sse
from tests.api.v2.chat.resume_client import (
    RESUME_HEADER,
    WORDS,
    answer_text,
    resume,
    slow_reply,
    split_phases,
    start_and_drop,
    unique,
)
from tests.fake_llm import FakeLLM
from tests.support.live import LiveServer, serve


def test_dropped_stream_is_replayed_then_followed_live(server: LiveServer, fake: FakeLLM) -> None:
    text = unique("drop")
    fake.rule(text, slow_reply())
    chat_id, first_read = start_and_drop(server, server.app_key, text, unique("c"), headers=RESUME_HEADER)
    assert "alpha" in first_read

    response = resume(server, server.app_key, server.app_id, chat_id)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    catchup, live = split_phases(response.text)
    # the catch-up starts at the round's first byte: what the dropped client had read comes first
    replayed = "".join(f"data: {data}\n\n" for _, data in catchup)
    assert first_read[: first_read.rindex("\n\n") + 2] in replayed
    assert "alpha" in answer_text(catchup)
    assert answer_text(catchup) + answer_text(live) == WORDS
    assert live[-1] == (None, "[DONE]")

    # once the round has ended the same call answers the stored records
    done = data_of(resume(server, server.app_key, server.app_id, chat_id, sse=False))
    assert done["chatGenerateStatus"] == 1 and done["hasBeenRead"] is True
    assert done["records"]["list"][-1]["value"][0]["text"]["content"] == WORDS


def test_a_new_chat_without_chat_id_can_be_resumed(server: LiveServer, fake: FakeLLM) -> None:
    """The server names the chat (the stream's chunk `id`); its row is written only when the round ends."""
    text = unique("fresh")
    fake.rule(text, slow_reply())
    chat_id, _ = start_and_drop(server, server.app_key, text, None, headers=RESUME_HEADER)
    catchup, live = split_phases(resume(server, server.app_key, server.app_id, chat_id).text)
    assert answer_text(catchup) + answer_text(live) == WORDS


def test_each_reattach_gets_the_whole_stream(server: LiveServer, fake: FakeLLM) -> None:
    """FastGPT replays from the start for every connection (several tabs, a refresh during a resume)."""
    text = unique("twice")
    fake.rule(text, slow_reply())
    chat_id, _ = start_and_drop(server, server.app_key, text, unique("c"), headers=RESUME_HEADER)
    with server.client(server.app_key) as client:
        params = {"appId": server.app_id, "chatId": chat_id}
        with client.stream("GET", "/api/core/chat/resume", params=params, headers={"Accept": "text/event-stream"}) as r:
            for chunk in r.iter_bytes():
                if b"beta" in chunk:
                    break  # the first reattach drops too
    catchup, live = split_phases(resume(server, server.app_key, server.app_id, chat_id).text)
    assert answer_text(catchup) + answer_text(live) == WORDS


def test_stream_started_on_one_instance_is_resumed_on_another(server: LiveServer, fake: FakeLLM) -> None:
    """Two servers on one database: the second reads the first one's mirror from the table."""
    text = unique("replica")
    fake.rule(text, slow_reply())
    with serve(server.settings, backend=server.backend, fake_llm=fake) as other:
        chat_id, _ = start_and_drop(server, server.app_key, text, unique("c"), headers=RESUME_HEADER)
        response = resume(other, server.app_key, server.app_id, chat_id)
    catchup, live = split_phases(response.text)
    assert answer_text(catchup) + answer_text(live) == WORDS
    assert parse_sse(response.text)[-1] == (None, "[DONE]")
