"""Interactive nodes through the SDK: a userSelect then a form, resumed by the interactive helpers."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from fastgpt_client import AsyncFastGPTClient, FastGPTClient, FastGPTInteractiveEvent
from fastgpt_client.streaming import acollect_stream, collect_stream

APP_FILE = Path(__file__).resolve().parents[1] / "workflow" / "apps" / "interactive.json"


def make_interactive_app(live: Any) -> tuple[str, str]:
    """Create the select → form → answer app with the root key; return (app_id, app_key)."""
    workflow = json.loads(APP_FILE.read_text(encoding="utf-8"))
    with FastGPTClient(api_key=live.root_key, base_url=live.base_url) as admin:
        app_id = admin.apps.create(
            "sdk interactive", type="advanced", modules=workflow["nodes"], edges=workflow["edges"]
        )
        admin.apps.publish(app_id, nodes=workflow["nodes"], edges=workflow["edges"], version_name="v1")
        key = admin.api_keys.create("sdk interactive key", app_id=app_id)
    return app_id, key


async def test_select_then_form_resumes_with_async_helpers(live: Any) -> None:
    app_id, key = make_interactive_app(live)
    chat_id = f"sdk-i-{uuid.uuid4().hex[:10]}"
    async with AsyncFastGPTClient(api_key=key, base_url=live.base_url) as client:
        first = await acollect_stream(
            await client.chat.completions.create(
                messages=[{"role": "user", "content": "shirt"}], stream=True, detail=True, chat_id=chat_id
            )
        )
        select = first.interactive
        assert isinstance(select, FastGPTInteractiveEvent) and select.interaction_type == "userSelect"
        assert select.description == "Pick a size for shirt"
        assert [option["value"] for option in select.options] == ["Small", "Large"]

        second = await acollect_stream(
            await client.chat.interactive.answer_select(chat_id=chat_id, choice="optSmall", event=select)
        )
        form = second.interactive
        assert isinstance(form, FastGPTInteractiveEvent) and form.interaction_type == "userInput"
        assert [field["key"] for field in form.form] == ["name", "age"]

        third = await acollect_stream(
            await client.chat.interactive.submit_form(chat_id=chat_id, values={"Name": "Ada", "age": 36}, event=form)
        )
        assert third.interactive is None and not third.errors
        assert third.text.strip() == "Small for Ada (36) after Small"
    with FastGPTClient(api_key=live.root_key, base_url=live.base_url) as admin:
        admin.apps.delete(app_id)


def test_select_resume_without_stream_in_sync_client(live: Any) -> None:
    app_id, key = make_interactive_app(live)
    chat_id = f"sdk-s-{uuid.uuid4().hex[:10]}"
    with FastGPTClient(api_key=key, base_url=live.base_url) as client:
        paused = collect_stream(
            client.chat.completions.create(
                messages=[{"role": "user", "content": "hat"}], stream=True, detail=True, chat_id=chat_id
            )
        )
        assert paused.interactive is not None
        body = client.chat.interactive.answer_select(chat_id=chat_id, choice="Large", stream=False)
        assert "Large!" in json.dumps(body["choices"][0]["message"]["content"], ensure_ascii=False)
    with FastGPTClient(api_key=live.root_key, base_url=live.base_url) as admin:
        admin.apps.delete(app_id)
