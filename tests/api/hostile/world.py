"""The objects the walker points at: one team it calls as, and a foreign team whose ids it borrows.

Both teams are fresh (created straight in the database with a team key each), so nothing the hostile
requests change touches the session's default team that other test modules share.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import httpx

from tests.api.core.app.test_app import ANSWER_APP
from tests.support.live import LiveServer
from tests.support.tenants import insert_team_with_key

FOREIGN_MARKER = "HOSTILE-FOREIGN-SECRET"


@dataclass
class TeamWorld:
    key: str
    team_id: str
    ids: dict[str, str] = field(default_factory=dict)  # kind (app, chat, dataset, …) -> id


@dataclass
class World:
    mine: TeamWorld
    foreign: TeamWorld
    app_key: str


def _new_team(server: LiveServer, name: str) -> TeamWorld:
    made = insert_team_with_key(server.settings.resolved_database_url, name, owner=name, key_name=name)
    return TeamWorld(key=made.key, team_id=made.ctx.team_id, ids={"team": made.ctx.team_id, "tmb": made.ctx.tmb_id})


def _data(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    value = response.json()["data"]
    return str(value["_id"] if isinstance(value, dict) and "_id" in value else value)


def _populate(server: LiveServer, team: TeamWorld, name: str) -> str:
    """App, chat, dataset, collection, data, API key, share link, MCP server; returns an app key."""
    with server.client(team.key) as client:
        ids = team.ids
        body = {"name": name, "type": "advanced", **copy.deepcopy(ANSWER_APP)}
        ids["app"] = _data(client.post("/api/core/app/create", json=body))
        app_key = _data(client.post("/api/support/openapi/create", json={"name": name, "appId": ids["app"]}))
        keys = client.get("/api/support/openapi/list", params={"appId": ids["app"]}).json()["data"]
        ids["key"] = keys[0]["_id"]
        ids["chat"] = f"chat{team.team_id[-8:]}"  # the marker stays out of ids: a probe may reuse one
        with server.client(app_key) as chat_client:
            chat = chat_client.post(
                "/api/v1/chat/completions",
                json={"chatId": ids["chat"], "messages": [{"role": "user", "content": name}], "detail": True},
            )
            assert chat.status_code == 200, chat.text
        records = client.post(
            "/api/core/chat/getPaginationRecords", json={"appId": ids["app"], "chatId": ids["chat"]}
        ).json()["data"]["list"]
        ids["chatItem"] = records[-1]["dataId"]
        ids["dataset"] = _data(client.post("/api/core/dataset/create", json={"name": name}))
        ids["collection"] = _data(
            client.post("/api/core/dataset/collection/create", json={"datasetId": ids["dataset"], "name": name})
        )
        ids["data"] = _data(
            client.post("/api/core/dataset/data/insertData", json={"collectionId": ids["collection"], "q": name})
        )
        ids["share"] = _data(
            client.post("/api/support/outLink/create", json={"appId": ids["app"], "type": "share", "name": name})
        )
        mcp = client.post("/api/support/mcp/create", json={"name": name, "apps": [], "datasets": []})
        if mcp.status_code == 200:
            listed = client.get("/api/support/mcp/list").json()["data"]
            ids["mcp"] = listed[0]["_id"] if listed else ""
        return app_key


def build_world(server: LiveServer) -> World:
    mine = _new_team(server, "Hostile team")
    foreign = _new_team(server, FOREIGN_MARKER)
    app_key = _populate(server, mine, "hostile")
    _populate(server, foreign, FOREIGN_MARKER)
    return World(mine=mine, foreign=foreign, app_key=app_key)
