"""v1 stops the run when the client goes away; v2 keeps running, persists the answer, and can be stopped."""

from __future__ import annotations

import time

import httpx

from tests.api.v1.chat.helpers import stored
from tests.fake_llm import FakeLLM, Reply
from tests.support.live import LiveServer

SLOW = Reply(content="one two three four five six seven eight", chunks=8, delay_s=0.4)


def _read_first_chunk_then_leave(server: LiveServer, path: str, chat_id: str, text: str) -> None:
    with (
        httpx.Client(
            base_url=server.base_url, headers={"Authorization": f"Bearer {server.app_key}"}, timeout=30
        ) as client,
        client.stream(
            "POST", path, json={"chatId": chat_id, "stream": True, "messages": [{"role": "user", "content": text}]}
        ) as response,
    ):
        for chunk in response.iter_bytes():
            if b"one" in chunk:
                break


def _wait_for(predicate: object, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.1)


def test_v1_disconnect_stops_the_run_and_keeps_the_question(sqlite_server: LiveServer, fake: FakeLLM) -> None:
    fake.rule("v1-leave", SLOW)
    _read_first_chunk_then_leave(sqlite_server, "/api/v1/chat/completions", "v1-gone", "v1-leave")

    def settled() -> bool:
        items = stored(sqlite_server, sqlite_server.app_id, "v1-gone")["items"]
        return len(items) == 2

    _wait_for(settled)
    rows = stored(sqlite_server, sqlite_server.app_id, "v1-gone")
    assert rows["items"][0]["value"][0]["text"]["content"] == "v1-leave"
    assert rows["items"][1]["error"]
    assert rows["chat"].chat_generate_status != 0
    _wait_for(lambda: fake.active_streams == 0)


def test_v2_keeps_running_after_disconnect(sqlite_server: LiveServer, fake: FakeLLM) -> None:
    fake.rule("v2-leave", SLOW)
    _read_first_chunk_then_leave(sqlite_server, "/api/v2/chat/completions", "v2-gone", "v2-leave")

    def finished() -> bool:
        items = stored(sqlite_server, sqlite_server.app_id, "v2-gone")["items"]
        return len(items) == 2

    _wait_for(finished)
    answer = stored(sqlite_server, sqlite_server.app_id, "v2-gone")["items"][1]
    assert answer["error"] is None
    assert answer["value"][0]["text"]["content"] == "one two three four five six seven eight"


def test_v2_stop_ends_a_running_chat(sqlite_server: LiveServer, fake: FakeLLM) -> None:
    fake.rule("v2-stop", SLOW)
    _read_first_chunk_then_leave(sqlite_server, "/api/v2/chat/completions", "v2-stopped", "v2-stop")
    with sqlite_server.client(sqlite_server.app_key) as client:
        stopped = client.post("/api/v2/chat/stop", json={"appId": sqlite_server.app_id, "chatId": "v2-stopped"}).json()
    assert stopped["data"] == {"stopped": True}

    def settled() -> bool:
        return len(stored(sqlite_server, sqlite_server.app_id, "v2-stopped")["items"]) == 2

    _wait_for(settled)
    answer = stored(sqlite_server, sqlite_server.app_id, "v2-stopped")["items"][1]
    text = answer["value"][0]["text"]["content"] if answer["value"] else ""
    assert text != "one two three four five six seven eight"
