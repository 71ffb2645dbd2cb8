"""Chat titles (FastGPT 4.15): with `CHAT_TITLE_MODEL` a new chat is named by that model from its first
question — `chatTitle` in detail streams, `title` in JSON, the stored history title — and later rounds,
custom titles and deployments without a title model keep FastGPT's rules (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.core.chat.support import histories
from tests.api.v1.chat.helpers import parse_sse
from tests.conftest import make_settings
from tests.fake_llm import FakeLLM, Reply
from tests.support.live import LiveServer, serve

TITLE_PROMPT = "Generate a title for the following source text"


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def titled(request: pytest.FixtureRequest, fake_llm: FakeLLM) -> Iterator[LiveServer]:
    backend: str = request.param
    cluster = request.getfixturevalue("pg") if backend == "pg" else None
    settings = make_settings(backend, cluster, fake_llm, chat_title_model="fake-llm")
    with serve(settings, backend=backend, fake_llm=fake_llm) as live:
        yield live


def ask(server: LiveServer, chat_id: str, text: str, *, stream: bool, detail: bool = True) -> dict[str, Any] | str:
    body = {"chatId": chat_id, "stream": stream, "detail": detail, "messages": [{"role": "user", "content": text}]}
    with server.client(server.app_key) as client:
        response = client.post("/api/v1/chat/completions", json=body, timeout=60)
    assert response.status_code == 200, response.text
    return response.text if stream else response.json()


def stored_title(server: LiveServer, chat_id: str) -> str:
    page = histories(server, server.app_key, server.app_id)
    return str(next(item["title"] for item in page["list"] if item["chatId"] == chat_id))


def test_a_new_chat_is_named_by_the_title_model(titled: LiveServer, fake: FakeLLM) -> None:
    fake.rule(TITLE_PROMPT, Reply(content='"Nginx Download Guide"'))
    chat_id = f"title-{uuid.uuid4().hex[:8]}"
    events = parse_sse(str(ask(titled, chat_id, "how do I download nginx on a server?", stream=True)))
    names = [name for name, _ in events]
    assert ("chatTitle", '{"title":"Nginx Download Guide"}') in events
    assert names.index("chatTitle") < names.index("workflowDuration")  # before the stream ends
    assert stored_title(titled, chat_id) == "Nginx Download Guide"

    # later rounds keep it: only the first question names a chat
    fake.rule(TITLE_PROMPT, Reply(content="Another Title"))
    events = parse_sse(str(ask(titled, chat_id, "and on windows?", stream=True)))
    assert "chatTitle" not in [name for name, _ in events]
    assert stored_title(titled, chat_id) == "Nginx Download Guide"


def test_json_answers_carry_the_title_and_a_failed_title_keeps_the_question(titled: LiveServer, fake: FakeLLM) -> None:
    fake.rule(TITLE_PROMPT, Reply(content="Refund Policy"))
    chat_id = f"title-{uuid.uuid4().hex[:8]}"
    body = ask(titled, chat_id, "what is your refund policy for shoes", stream=False)
    assert isinstance(body, dict) and body["title"] == "Refund Policy"
    assert stored_title(titled, chat_id) == "Refund Policy"

    fake.reset()
    fake.rule(TITLE_PROMPT, Reply(fault="500"))
    failed = f"title-{uuid.uuid4().hex[:8]}"
    body = ask(titled, failed, "a question whose title fails to generate", stream=False)
    assert isinstance(body, dict) and "title" not in body
    assert stored_title(titled, failed) == "a question whose tit"  # the first 20 characters, as without a model


def test_without_a_title_model_nothing_is_asked(sqlite_server: LiveServer, fake: FakeLLM) -> None:
    chat_id = f"title-{uuid.uuid4().hex[:8]}"
    events = parse_sse(str(ask(sqlite_server, chat_id, "plain question with no title model", stream=True)))
    assert "chatTitle" not in [name for name, _ in events]
    assert all(TITLE_PROMPT not in str(request) for request in fake.requests)
    assert stored_title(sqlite_server, chat_id) == "plain question with "
