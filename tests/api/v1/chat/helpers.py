"""Shared pieces of the chat API tests."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from pyfastgpt.store.db import Database
from pyfastgpt.store.models import Chat, ChatItem, ChatItemResponse
from tests.support.live import LiveServer

APPS = Path(__file__).resolve().parents[3] / "workflow" / "apps"


def load_fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((APPS / f"{name}.json").read_text("utf-8"))
    return data


def create_app(
    server: LiveServer, graph: dict[str, Any], *, app_type: str = "advanced", name: str = "Test"
) -> tuple[str, str]:
    """Create an app from a stored graph and an app key for it."""
    with server.root as client:
        app_id = client.post(
            "/api/core/app/create",
            json={
                "name": name,
                "type": app_type,
                "nodes": graph.get("nodes", []),
                "edges": graph.get("edges", []),
                "chatConfig": graph.get("chatConfig", {}),
            },
        ).json()["data"]
        key = client.post("/api/support/openapi/create", json={"appId": app_id, "name": "chat"}).json()["data"]
    return app_id, key


def answer_app(text: str) -> dict[str, Any]:
    return {
        "nodes": [
            {
                "nodeId": "start",
                "name": "Start",
                "flowNodeType": "workflowStart",
                "inputs": [{"key": "userChatInput", "renderTypeList": ["reference"], "valueType": "string"}],
                "outputs": [{"id": "userChatInput", "key": "userChatInput", "type": "static", "valueType": "string"}],
            },
            {
                "nodeId": "answer",
                "name": "Answer",
                "flowNodeType": "answerNode",
                "inputs": [{"key": "text", "renderTypeList": ["textarea"], "valueType": "any", "value": text}],
                "outputs": [],
            },
        ],
        "edges": [
            {
                "source": "start",
                "target": "answer",
                "sourceHandle": "start-source-right",
                "targetHandle": "answer-target-left",
            }
        ],
        "chatConfig": {
            "variables": [
                {"key": "name", "label": "Name", "type": "input", "valueType": "string", "defaultValue": "nobody"}
            ]
        },
    }


def stored(server: LiveServer, app_id: str, chat_id: str) -> dict[str, Any]:
    """What the database holds for one chat (read directly, not through the API)."""

    async def read() -> dict[str, Any]:
        db = Database(server.settings.resolved_database_url)
        try:
            async with db.read() as session:
                chat = (
                    await session.execute(select(Chat).where(Chat.app_id == app_id, Chat.chat_id == chat_id))
                ).scalar_one_or_none()
                items = list(
                    (
                        await session.execute(
                            select(ChatItem)
                            .where(ChatItem.app_id == app_id, ChatItem.chat_id == chat_id)
                            .order_by(ChatItem.id)
                        )
                    ).scalars()
                )
                responses = list(
                    (
                        await session.execute(
                            select(ChatItemResponse).where(
                                ChatItemResponse.app_id == app_id, ChatItemResponse.chat_id == chat_id
                            )
                        )
                    ).scalars()
                )
            return {
                "chat": chat,
                "items": [{"obj": i.obj, "value": i.value, "dataId": i.data_id, "error": i.error_msg} for i in items],
                "responses": {r.chat_item_data_id: r.data for r in responses},
            }
        finally:
            await db.dispose()

    return asyncio.run(read())


def parse_sse(raw: str) -> list[tuple[str | None, str]]:
    """Split an SSE body into (event, data) pairs, checking the framing as it goes."""
    assert raw.endswith("\n\n"), "every event ends with a blank line"
    events: list[tuple[str | None, str]] = []
    for block in raw.split("\n\n"):
        if not block:
            continue
        if block.startswith(":"):
            continue
        lines = block.split("\n")
        name = None
        data_lines = []
        for line in lines:
            if line.startswith("event: "):
                name = line[len("event: ") :]
            elif line.startswith("data: "):
                data_lines.append(line[len("data: ") :])
            else:
                raise AssertionError(f"unexpected SSE line {line!r}")
        assert data_lines, f"event without data: {block!r}"
        data = "\n".join(data_lines)
        assert data.strip(), "no empty data"
        events.append((name, data))
    return events
