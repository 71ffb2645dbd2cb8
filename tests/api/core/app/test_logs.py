"""App logs and analytics routes over the real server (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from sqlalchemy import update

from pyfastgpt.services.analytics.chat_logs import adjust_feedback, record_round
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import App, ChatItem
from tests.api.v1.chat.helpers import answer_app, create_app
from tests.support.live import LiveServer

T0 = datetime(2025, 9, 22, 23, 50, tzinfo=UTC)
PREFIXES = ["/api/proApi/core/app/logs", "/api/core/app/logs"]


@pytest.fixture(scope="module")
def logs_server(server: LiveServer) -> LiveServer:
    return server


def in_database(server: LiveServer, work: Any) -> Any:
    async def run() -> Any:
        db = Database(server.settings.resolved_database_url)
        try:
            return await work(db)
        finally:
            await db.dispose()

    return asyncio.run(run())


def write_rounds(server: LiveServer, app_id: str, rounds: list[tuple[str, str, str, datetime, float]]) -> None:
    async def work(db: Database) -> None:
        async with db.read() as session:
            app = await session.get(App, app_id)
            assert app is not None
        for chat_id, user, source, now, points in rounds:
            await db.run_write(partial(record_round, team_id=app.team_id, app_id=app_id, chat_id=chat_id,
                                       user_id=user, source=source, source_name="key", points=points,
                                       error=points == 0, duration_s=1.5, now=now))  # fmt: skip
        await db.run_write(partial(adjust_feedback, app_id=app_id, chat_id=rounds[0][0], good_delta=1, bad_delta=0))

    in_database(server, work)


@pytest.fixture(scope="module")
def traffic(logs_server: LiveServer) -> tuple[str, str]:
    """An app with three users' rounds over two UTC days (and no chats), plus its own key."""
    app_id, key = create_app(logs_server, answer_app("hi"), name="analytics")
    write_rounds(
        logs_server,
        app_id,
        [
            ("c1", "u1", "api", T0, 1.25),
            ("c1", "u1", "api", T0 + timedelta(minutes=15), 0.5),  # same window, next UTC day
            ("c2", "u2", "share", T0 + timedelta(hours=1), 0.0),  # an error round
            ("c3", "u1", "api", T0 + timedelta(days=1, hours=1), 2.0),  # u1 back one day later
        ],
    )
    return app_id, key


def chart_body(app_id: str, **extra: Any) -> dict[str, Any]:
    body = {"appId": app_id, "dateStart": "2025-09-22T00:00:00.000Z", "dateEnd": "2025-09-24T23:59:59.999Z",
            "offset": 1, "source": [], "userTimespan": "day", "chatTimespan": "day", "appTimespan": "day"}  # fmt: skip
    body.update(extra)
    return body


@pytest.mark.parametrize("prefix", PREFIXES)
def test_total_and_chart(logs_server: LiveServer, traffic: tuple[str, str], prefix: str) -> None:
    app_id, _ = traffic
    with logs_server.root as client:
        totals = client.get(f"{prefix}/getTotalData", params={"appId": app_id}).json()
        assert totals["code"] == 200
        assert totals["data"] == {"totalUsers": 2, "totalChats": 4, "totalChat": 4, "totalPoints": 3.75}
        chart = client.post(f"{prefix}/getChartData", json=chart_body(app_id)).json()["data"]
    days = [1758499200000, 1758585600000, 1758672000000]  # 22, 23 and 24 September, 00:00 UTC
    assert [point["timestamp"] for point in chart["userData"]] == days
    users = [point["summary"] for point in chart["userData"]]
    assert [(s["userCount"], s["newUserCount"], s["retentionUserCount"]) for s in users] == [
        (0, 0, 1),
        (2, 2, 0),
        (1, 0, 0),
    ]
    assert users[1]["points"] == 1.75 and users[1]["sourceCountMap"]["share"] == 1
    assert set(users[0]["sourceCountMap"]) >= {"test", "online", "share", "api", "cronJob", "team", "mcp"}
    chats = [point["summary"] for point in chart["chatData"]]
    assert chats[1] == {"chatItemCount": 3, "chatCount": 2, "errorCount": 1, "points": 1.75}
    apps = [point["summary"] for point in chart["appData"]]
    assert apps[1]["goodFeedBackCount"] == 1 and apps[1]["totalResponseTime"] == 4.5 and apps[1]["chatCount"] == 2
    assert apps[1]["sourceCountMap"]["api"] == 1 and apps[2]["badFeedBackCount"] == 0


def test_chart_filters_and_timespans(logs_server: LiveServer, traffic: tuple[str, str]) -> None:
    app_id, _ = traffic
    with logs_server.root as client:
        shared = client.post("/api/core/app/logs/getChartData", json=chart_body(app_id, source=["share"])).json()
        month = client.post(
            "/api/core/app/logs/getChartData",
            json=chart_body(app_id, userTimespan="month", chatTimespan="quarter", appTimespan="week"),
        ).json()["data"]
    assert [p["summary"]["chatCount"] for p in shared["data"]["chatData"]] == [0, 1, 0]
    assert [p["timestamp"] for p in month["userData"]] == [1756684800000]  # 2025-09-01
    assert [p["timestamp"] for p in month["chatData"]] == [1751328000000]  # 2025-07-01
    assert [p["timestamp"] for p in month["appData"]] == [1758499200000]  # Monday 2025-09-22
    assert month["userData"][0]["summary"]["userCount"] == 2 and month["chatData"][0]["summary"]["chatItemCount"] == 4


def test_auth(logs_server: LiveServer, traffic: tuple[str, str]) -> None:
    app_id, own_key = traffic
    other_app, other_key = create_app(logs_server, answer_app("other"), name="other")
    with logs_server.root as client:
        team_key = client.post("/api/support/openapi/create", json={"name": "team"}).json()["data"]
    for key in (own_key, team_key):
        with logs_server.client(key) as client:
            response = client.get("/api/proApi/core/app/logs/getTotalData", params={"appId": app_id})
            assert response.status_code == 200 and response.json()["data"]["totalChats"] == 4
            assert client.post("/api/core/app/logs/list", json={"appId": app_id}).status_code == 200
    with logs_server.client(other_key) as client:
        refused = client.post("/api/proApi/core/app/logs/getChartData", json=chart_body(app_id))
        assert refused.status_code == 403 and refused.json()["statusText"] == "unAuthApp"
        assert client.post("/api/core/app/logs/exportLogs", json={"appId": app_id}).status_code == 403
    with logs_server.client() as client:
        assert client.get("/api/core/app/logs/getTotalData", params={"appId": app_id}).status_code == 401
    with logs_server.client("not-a-key") as client:
        assert client.post("/api/core/app/logs/list", json={"appId": app_id}).status_code == 401
    assert other_app != app_id


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"dateStart": "yesterday"}, 400),
        ({"dateEnd": "2025-02-30T00:00:00Z"}, 400),
        ({"userTimespan": "year"}, 400),
        ({"appTimespan": 7}, 400),
        ({"offset": -1}, 400),
        ({"dateStart": "2025-09-25T00:00:00Z"}, 400),  # after dateEnd
        ({"dateStart": None}, 400),
        ({"appId": ""}, 400),
        ({"appId": "000000000000000000000000"}, 404),
    ],
)
def test_bad_chart_input(
    logs_server: LiveServer, traffic: tuple[str, str], change: dict[str, Any], status: int
) -> None:
    app_id, _ = traffic
    with logs_server.root as client:
        response = client.post("/api/core/app/logs/getChartData", json=chart_body(app_id, **change))
    body = response.json()
    assert response.status_code == status
    assert set(body) == {"code", "statusText", "message", "data"} and body["code"] != 200 and body["message"]


def test_bad_list_and_total_input(logs_server: LiveServer, traffic: tuple[str, str]) -> None:
    app_id, _ = traffic
    with logs_server.root as client:
        assert client.get("/api/core/app/logs/getTotalData").status_code == 400
        assert client.post("/api/core/app/logs/list", json={"appId": app_id, "pageSize": 0}).status_code == 400
        assert client.post("/api/core/app/logs/list", json={"appId": app_id, "feedbackType": "x"}).status_code == 400
        bad = client.post("/api/core/app/logs/list", json={"appId": app_id, "dateStart": "soon"})
        assert bad.status_code == 400 and bad.json()["statusText"] == "invalidParams"


@pytest.fixture(scope="module")
def chatted(logs_server: LiveServer) -> tuple[str, str]:
    """An app with three real conversations (four rounds) through the chat API."""
    app_id, key = create_app(logs_server, answer_app("hello there"), name="logs")
    with logs_server.client(key) as client:
        for chat_id in ("alpha-1", "alpha-1", "beta-2", "gamma-3"):
            response = client.post(
                "/api/v1/chat/completions",
                json={"chatId": chat_id, "stream": False, "messages": [{"role": "user", "content": f"hi {chat_id}"}]},
            )
            assert response.status_code == 200, response.text

    async def vote(db: Database) -> None:
        await db.run_write_session(
            lambda session: session.execute(
                update(ChatItem)
                .where(ChatItem.app_id == app_id, ChatItem.chat_id == "beta-2", ChatItem.obj == "AI")
                .values(user_good_feedback="yes", error_msg="boom")
            )
        )

    in_database(logs_server, vote)
    return app_id, key


def test_log_list(logs_server: LiveServer, chatted: tuple[str, str]) -> None:
    app_id, key = chatted
    with logs_server.client(key) as client:
        page = client.post("/api/core/app/logs/list", json={"appId": app_id, "pageSize": 2}).json()["data"]
        rest = client.post("/api/core/app/logs/list", json={"appId": app_id, "pageSize": 2, "offset": 2}).json()
        legacy = client.post("/api/core/app/getChatLogs", json={"appId": app_id, "pageNum": 2, "pageSize": 2}).json()
        search = client.post("/api/core/app/logs/list", json={"appId": app_id, "chatSearch": "ALPHA"}).json()["data"]
        good = client.post("/api/core/app/logs/list", json={"appId": app_id, "feedbackType": "good"}).json()["data"]
        clean = client.post("/api/core/app/logs/list", json={"appId": app_id, "errorFilter": "no_error"}).json()
        none = client.post("/api/core/app/logs/list", json={"appId": app_id, "sources": ["share"]}).json()["data"]
        future = client.post(
            "/api/core/app/logs/list", json={"appId": app_id, "dateStart": "2099-01-01T00:00:00Z"}
        ).json()["data"]
    assert page["total"] == 3 and [item["chatId"] for item in page["list"]] == ["gamma-3", "beta-2"]
    assert (
        [item["chatId"] for item in rest["data"]["list"]]
        == ["alpha-1"]
        == [i["chatId"] for i in legacy["data"]["list"]]
    )
    first = rest["data"]["list"][0]
    expected_keys = {"_id", "chatId", "title", "customTitle", "source", "sourceName", "updateTime", "createTime",
                     "messageCount", "userGoodFeedbackCount", "userBadFeedbackCount", "customFeedbacksCount",
                     "markCount", "averageResponseTime", "errorCount", "totalPoints", "outLinkUid", "tmbId",
                     "versionName", "region"}  # fmt: skip
    assert expected_keys <= set(first)
    assert first["messageCount"] == 4 and first["source"] == "api" and first["updateTime"].endswith("Z")
    assert [item["chatId"] for item in search["list"]] == ["alpha-1"]
    assert [(i["chatId"], i["userGoodFeedbackCount"], i["errorCount"]) for i in good["list"]] == [("beta-2", 1, 1)]
    assert clean["data"]["total"] == 2 and none["total"] == 0 and future["total"] == 0


@pytest.mark.parametrize("path", ["/api/core/app/logs/exportLogs", "/api/core/app/exportChatLogs"])
def test_export_streams_csv(logs_server: LiveServer, chatted: tuple[str, str], path: str) -> None:
    app_id, key = chatted
    with logs_server.client(key) as client, client.stream("POST", path, json={"appId": app_id}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert "attachment" in response.headers["content-disposition"]
        raw = b"".join(response.iter_bytes())
    text = raw.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [row["chatId"] for row in rows] == ["gamma-3", "beta-2", "alpha-1"]
    assert rows[2]["messageCount"] == "4" and rows[1]["userGoodFeedbackCount"] == "1"
    with logs_server.client(key) as client:
        titled = client.post(path, json={"appId": app_id, "title": "a,b\nc", "chatSearch": "beta"})
    lines = titled.text.splitlines()
    assert len(lines) == 2 and lines[0] == "\ufeffa,b c" and lines[1].startswith("beta-2,")
