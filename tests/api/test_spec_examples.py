"""The request examples of `shared/spec/chat-api.md`, sent verbatim with curl (real ids and keys substituted)."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from tests.api.v1.chat.helpers import answer_app, create_app, load_fixture
from tests.fake_llm import FakeLLM
from tests.support.live import LiveServer

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


def curl(server: LiveServer, method: str, path: str, key: str, body: str | None = None) -> Any:
    command = ["curl", "-s", "--location", "--request", method, f"{server.base_url}{path}"]
    command += ["--header", f"Authorization: Bearer {key}"]
    if body is not None:
        command += ["--header", "Content-Type: application/json", "--data-raw", body]
    output = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True).stdout
    return output


def test_completion_examples(sqlite_server: LiveServer, fake: FakeLLM) -> None:
    key = sqlite_server.app_key
    first = json.loads(
        curl(
            sqlite_server,
            "POST",
            "/api/v1/chat/completions",
            key,
            '{ "chatId": "my_chatId", "stream": false, "detail": false, "responseChatItemId": "my_responseChatItemId",'
            ' "variables": { "uid": "asdfadsfasfd2323", "name": "张三" }, "messages": [ { "role": "user", "content": "导演是谁" } ] }',
        )
    )
    assert first["id"] == "my_chatId"
    assert first["choices"][0]["message"] == {"role": "assistant", "content": "echo: 导演是谁"}
    second = json.loads(
        curl(
            sqlite_server,
            "POST",
            "/api/v1/chat/completions",
            key,
            '{ "chatId": "abcd", "stream": false, "messages": [ { "role": "user", "content": [ { "type": "text", "text": "导演是谁" },'
            ' { "type": "image_url", "image_url": { "url": "图片链接" } }, { "type": "file_url", "name": "文件名",'
            ' "url": "文档链接,支持 txt md html word pdf ppt csv excel" } ] } ] }',
        )
    )
    assert second["choices"][0]["finish_reason"] == "stop"


def test_interactive_examples(sqlite_server: LiveServer) -> None:
    graph = load_fixture("interactive")
    _, key = create_app(sqlite_server, graph)
    opened = curl(
        sqlite_server,
        "POST",
        "/api/v1/chat/completions",
        key,
        '{ "stream": true, "detail": true, "chatId":"22222231", "messages": [ { "role": "user", "content": "shirt" } ] }',
    )
    assert "event: interactive" in opened
    chosen = curl(
        sqlite_server,
        "POST",
        "/api/v1/chat/completions",
        key,
        '{ "stream": true, "detail": true, "chatId":"22222231", "messages": [ { "role": "user", "content": "Small" } ] }',
    )
    assert "userInput" in chosen


def test_plugin_example(sqlite_server: LiveServer) -> None:
    graph = load_fixture("plugin_greet")
    _, key = create_app(sqlite_server, graph, app_type="plugin")
    name = next(n for n in graph["nodes"] if n["flowNodeType"] == "pluginInput")["inputs"][0]["key"]
    body = json.loads(
        curl(
            sqlite_server,
            "POST",
            "/api/v1/chat/completions",
            key,
            f'{{ "stream": false, "chatId": "test", "variables": {{ "{name}":"你好" }} }}',
        )
    )
    assert [r for r in body["responseData"] if r["moduleType"] == "pluginOutput"]


def test_answer_app_over_curl(sqlite_server: LiveServer) -> None:
    _, key = create_app(sqlite_server, answer_app("ok"))
    body = json.loads(
        curl(sqlite_server, "POST", "/api/v1/chat/completions", key, '{"messages":[{"role":"user","content":"hi"}]}')
    )
    assert body["choices"][0]["message"]["content"] == "\nok"
