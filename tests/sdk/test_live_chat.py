"""The SDK against the real pyfastgpt server (``live_server``): chat, streams, histories, errors."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from fastgpt_client import (
    AsyncChatClient,
    AsyncFastGPTClient,
    AuthenticationError,
    ChatClient,
    FastGPTClient,
    aiter_stream_events,
    iter_stream_events,
)
from fastgpt_client.stream_types import AnswerEvent, DoneEvent, StreamSummary

SDK_DIR = Path(__file__).resolve().parents[2] / "sdk"


def reset_fake_llm(live: Any) -> None:
    fake = getattr(live, "fake_llm", None)
    if fake is not None and hasattr(fake, "reset"):
        fake.reset()


def answer_text(body: dict[str, Any]) -> str:
    content = body["choices"][0]["message"]["content"]
    if isinstance(content, list):
        return "".join(str(part.get("text", {}).get("content", "")) for part in content if isinstance(part, dict))
    return str(content)


def test_seed_chat_completion_non_stream(live: Any) -> None:
    reset_fake_llm(live)
    with ChatClient(api_key=live.app_key, base_url=live.base_url + "/api") as client:
        response = client.create_chat_completion(messages=[{"role": "user", "content": "ping one"}])
    assert response.status_code == 200
    body = response.json()
    assert body["choices"][0]["message"]["role"] == "assistant"
    assert "ping one" in answer_text(body)


@pytest.mark.parametrize("detail", [False, True])
def test_seed_stream_helpers_parse_both_framings(live: Any, detail: bool) -> None:
    reset_fake_llm(live)
    with ChatClient(api_key=live.app_key, base_url=live.base_url) as client:
        response = client.create_chat_completion(
            messages=[{"role": "user", "content": "stream me"}], stream=True, detail=detail
        )
        events = list(iter_stream_events(response))
    summary = StreamSummary()
    for event in events:
        summary.add(event)  # type: ignore[arg-type]
    assert "stream me" in summary.text and summary.done and not summary.errors
    named = {event.raw_event for event in events if isinstance(event, AnswerEvent)}
    assert named == ({"answer"} if detail else {None})
    if detail:
        assert summary.node_statuses or summary.node_responses


async def test_async_typed_stream_and_history_round_trip(live: Any) -> None:
    reset_fake_llm(live)
    chat_id = f"sdk-{uuid.uuid4().hex[:12]}"
    async with AsyncChatClient(api_key=live.app_key, base_url=live.base_url) as client:
        stream = await client.chat.completions.create(
            messages=[{"role": "user", "content": "first turn"}], stream=True, detail=True, chat_id=chat_id
        )
        async with stream:
            events = [event async for event in stream]
        assert any(isinstance(event, DoneEvent) for event in events)
        second = await client.chat.completions.create(
            messages=[{"role": "user", "content": "second turn"}], chat_id=chat_id
        )
        assert "second turn" in answer_text(dict(second))

        histories = (await client.get_chat_histories(appId=live.app_id)).json()["data"]
        assert chat_id in [item["chatId"] for item in histories["list"]]
        records = (await client.get_chat_records(appId=live.app_id, chatId=chat_id)).json()["data"]
        assert len(records["list"]) == 4
        ai_item = next(item for item in records["list"] if item["obj"] == "AI")

        init = (await client.get_chat_init(appId=live.app_id, chatId=chat_id)).json()["data"]
        assert init["chatId"] == chat_id
        detail = await client.get_record_detail(appId=live.app_id, chatId=chat_id, dataId=ai_item["dataId"])
        assert detail.status_code == 200

        await client.update_chat_history(appId=live.app_id, chatId=chat_id, customTitle="SDK title", top=True)
        await client.send_feedback(appId=live.app_id, chatId=chat_id, dataId=ai_item["dataId"], userGoodFeedback="yes")
        records = (await client.get_chat_records(appId=live.app_id, chatId=chat_id, loadCustomFeedbacks=True)).json()
        voted = next(item for item in records["data"]["list"] if item["dataId"] == ai_item["dataId"])
        assert voted.get("userGoodFeedback") == "yes"
        histories = (await client.get_chat_histories(appId=live.app_id)).json()["data"]["list"]
        mine = next(item for item in histories if item["chatId"] == chat_id)
        assert mine["customTitle"] == "SDK title" and mine["top"] is True

        await client.delete_chat_record(appId=live.app_id, chatId=chat_id, contentId=ai_item["dataId"])
        records = (await client.get_chat_records(appId=live.app_id, chatId=chat_id)).json()["data"]
        assert ai_item["dataId"] not in [item["dataId"] for item in records["list"]]

        await client.delete_chat_history(appId=live.app_id, chatId=chat_id)
        histories = (await client.get_chat_histories(appId=live.app_id)).json()["data"]["list"]
        assert chat_id not in [item["chatId"] for item in histories]
        await client.clear_chat_histories(appId=live.app_id)


async def test_seed_async_stream_helper(live: Any) -> None:
    reset_fake_llm(live)
    async with AsyncChatClient(api_key=live.app_key, base_url=live.base_url) as client:
        response = await client.create_chat_completion(messages=[{"role": "user", "content": "async hi"}], stream=True)
        text = "".join(
            [event.content async for event in aiter_stream_events(response) if isinstance(event, AnswerEvent)]
        )
    assert "async hi" in text


def test_inline_image_is_accepted(live: Any) -> None:
    reset_fake_llm(live)
    from fastgpt_client import image_part_from_bytes

    message = {"role": "user", "content": [{"type": "text", "text": "describe"}, image_part_from_bytes(b"\x89PNG")]}
    with ChatClient(api_key=live.app_key, base_url=live.base_url) as client:
        response = client.create_chat_completion(messages=[message])
    assert response.status_code == 200


def test_bad_key_raises_authentication_error(live: Any) -> None:
    with (
        FastGPTClient(api_key="fastgpt-not-a-real-key", base_url=live.base_url, max_retries=1) as client,
        pytest.raises(AuthenticationError),
    ):
        client.chat.completions.create(messages=[{"role": "user", "content": "x"}])


async def test_apps_and_versions_with_root_key(live: Any) -> None:
    async with AsyncFastGPTClient(api_key=live.root_key, base_url=live.base_url) as client:
        apps = await client.apps.list()
        assert live.app_id in [app["_id"] for app in apps]
        detail = await client.apps.detail(live.app_id)
        assert detail["_id"] == live.app_id
        latest = await client.apps.versions.latest(live.app_id)
        assert latest.get("nodes") is not None or latest.get("_id")
        copy_id = await client.apps.copy(live.app_id)
        assert copy_id and copy_id != live.app_id
        await client.apps.update(copy_id, name="SDK copy", intro=None)
        assert (await client.apps.detail(copy_id))["name"] == "SDK copy"
        await client.apps.delete(copy_id)


def test_api_key_lifecycle_and_app_bound_chat(live: Any) -> None:
    reset_fake_llm(live)
    with FastGPTClient(api_key=live.root_key, base_url=live.base_url) as admin:
        key = admin.api_keys.create("sdk key", app_id=live.app_id)
        assert key.startswith("fastgpt-")
        listed = admin.api_keys.list(app_id=live.app_id)
        mine = next(item for item in listed if item["name"] == "sdk key")
        with ChatClient(api_key=key, base_url=live.base_url) as chat:
            response = chat.create_chat_completion(messages=[{"role": "user", "content": "new key"}])
            assert "new key" in answer_text(response.json())
        admin.api_keys.update(mine["_id"], name="sdk key renamed")
        assert any(item["name"] == "sdk key renamed" for item in admin.api_keys.list(app_id=live.app_id))
        admin.api_keys.delete(mine["_id"])
        with (
            ChatClient(api_key=key, base_url=live.base_url, max_retries=1) as chat,
            pytest.raises(AuthenticationError),
        ):
            chat.create_chat_completion(messages=[{"role": "user", "content": "gone"}])


def test_cli_one_shot_chat(live: Any) -> None:
    reset_fake_llm(live)
    env = {"FASTGPT_BASE_URL": live.base_url, "FASTGPT_API_KEY": live.app_key, "PATH": "", "PYTHONPATH": str(SDK_DIR)}
    result = subprocess.run(
        [sys.executable, "-m", "fastgpt_client.cli", "chat", "-m", "cli question"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "cli question" in result.stdout
