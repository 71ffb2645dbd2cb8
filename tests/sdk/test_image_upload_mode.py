"""``image_input_mode``: argument checks, and the fallback to inline base64 when presigning fails."""

from __future__ import annotations

import json

import pytest

from fastgpt_client import AsyncChatClient, ChatClient, ValidationError, encode_image_data_url, image_url_part
from tests.sdk.conftest import ScriptedServer

DATA_URL = encode_image_data_url(b"\x89PNG fake", "image/png")
ANSWER = {"id": "c", "choices": [{"index": 0, "message": {"role": "assistant", "content": "seen"}}]}


def messages() -> list[dict[str, object]]:
    return [{"role": "user", "content": [{"type": "text", "text": "look"}, image_url_part(DATA_URL)]}]


def test_upload_mode_needs_app_and_chat_ids() -> None:
    with ChatClient("k") as client:
        with pytest.raises(ValidationError, match="appId and chatId"):
            client.create_chat_completion(messages=messages(), image_input_mode="upload", chatId="c")
        with pytest.raises(ValidationError, match="image_input_mode"):
            client.create_chat_completion(messages=messages(), image_input_mode="url")  # type: ignore[arg-type]


async def test_failed_presign_falls_back_to_inline_base64(scripted_server: ScriptedServer) -> None:
    scripted_server.script("/api/v1/chat/completions", (200, {}, ANSWER))
    original = messages()
    async with AsyncChatClient("k", base_url=scripted_server.base_url, max_retries=1) as client:
        response = await client.create_chat_completion(
            messages=original, image_input_mode="upload", appId="app", chatId="chat"
        )
    assert response.json()["choices"][0]["message"]["content"] == "seen"
    tried = [request["path"] for request in scripted_server.requests]
    assert tried[:2] == ["/api/core/chat/init", "/api/core/chat/presignChatFilePostUrl"]
    assert "/api/core/chat/file/presignChatFilePostUrl" in tried  # the newer route was tried too
    sent = json.loads(next(r["body"] for r in scripted_server.requests if r["path"] == "/api/v1/chat/completions"))
    assert sent["messages"][0]["content"][1]["image_url"]["url"] == DATA_URL
    assert original == messages()  # the caller's messages are not mutated
