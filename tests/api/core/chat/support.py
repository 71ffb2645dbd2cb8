"""Helpers of the chat history tests: chats made through completions, extra keys, database reads."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from pyfastgpt.core.secrets import generate_key, hash_key, mask_key
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import ApiKey, App, Chat, Team
from tests.support.live import LiveServer


def new_chat_id(prefix: str = "c") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def chat(server: LiveServer, key: str, text: str, chat_id: str | None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"messages": [{"role": "user", "content": text}], **extra}
    if chat_id:
        body["chatId"] = chat_id
    with server.client(key) as client:
        response = client.post("/api/v1/chat/completions", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def call(server: LiveServer, key: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
    with server.client(key) as client:
        return client.request(method, path, **kwargs)


def data_of(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["code"] == 200 and body["statusText"] == "" and body["message"] == ""
    return body["data"]


def refused(response: httpx.Response, status: int, key: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["statusText"] == key and body["data"] is None and "Traceback" not in response.text


def records(server: LiveServer, key: str, app_id: str, chat_id: str, **extra: Any) -> dict[str, Any]:
    body = {"appId": app_id, "chatId": chat_id, "offset": 0, "pageSize": 50, **extra}
    result: dict[str, Any] = data_of(call(server, key, "POST", "/api/core/chat/getPaginationRecords", json=body))
    return result


def histories(server: LiveServer, key: str, app_id: str, **extra: Any) -> dict[str, Any]:
    body = {"appId": app_id, "offset": 0, "pageSize": 50, **extra}
    result: dict[str, Any] = data_of(call(server, key, "POST", "/api/core/chat/getHistories", json=body))
    return result


def chat_ids(page: dict[str, Any]) -> list[str]:
    return [item["chatId"] for item in page["list"]]


def _run(server: LiveServer, work: Any) -> Any:
    async def runner() -> Any:
        db = Database(server.settings.resolved_database_url)
        try:
            return await work(db)
        finally:
            await db.dispose()

    return asyncio.run(runner())


def add_key(
    server: LiveServer, *, other_member: bool = False, other_team: bool = False, app_id: str | None = None
) -> str:
    """A key of another team member (same team) or of another team, written straight to the database."""
    plain = generate_key("fastgpt")

    def add(session: Session) -> None:
        app = session.get(App, server.app_id)
        assert app is not None
        team_id, tmb_id = app.team_id, app.tmb_id
        if other_team:
            team = Team(name=f"other-{uuid.uuid4().hex[:6]}")
            session.add(team)
            session.flush()
            team_id = team.id
        if other_member or other_team:
            tmb_id = uuid.uuid4().hex[:24]
        session.add(
            ApiKey(
                team_id=team_id,
                tmb_id=tmb_id,
                app_id=app_id,
                name="test key",
                key_hash=hash_key(plain),
                key_masked=mask_key(plain),
            )
        )

    async def work(db: Database) -> str:
        await db.run_write_session(add)
        return plain

    result: str = _run(server, work)
    return result


def stored_chat(server: LiveServer, app_id: str, chat_id: str) -> Chat | None:
    async def work(db: Database) -> Chat | None:
        async with db.read() as session:
            found: Chat | None = (
                await session.execute(select(Chat).where(Chat.app_id == app_id, Chat.chat_id == chat_id))
            ).scalar_one_or_none()
            return found

    return _run(server, work)  # type: ignore[no-any-return]
