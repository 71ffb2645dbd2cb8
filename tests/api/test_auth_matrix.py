"""Who may call what: root, team key, app key, expired key, foreign-team key, garbage header."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from tests.api.core.app.test_app import ANSWER_APP, create
from tests.support.live import LiveServer
from tests.support.tenants import insert_team_with_key


@dataclass
class Callers:
    app_id: str
    other_app_id: str
    keys: dict[str, str | None]


def _insert_foreign_key(server: LiveServer) -> str:
    """A valid key of another team, written straight to the database."""
    return insert_team_with_key(
        server.settings.resolved_database_url, "Other team", owner="other", key_name="foreign"
    ).key


@pytest.fixture(scope="module")
def callers(server: LiveServer) -> Callers:
    app_id = create(server, name="Matrix app", **ANSWER_APP)
    other_app_id = create(server, name="Other app")
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    with server.root as client:
        team_key = client.post("/api/support/openapi/create", json={"name": "team"}).json()["data"]
        app_key = client.post("/api/support/openapi/create", json={"name": "app", "appId": app_id}).json()["data"]
        expired = client.post(
            "/api/support/openapi/create", json={"name": "expired", "limit": {"expiredTime": past}}
        ).json()["data"]
    return Callers(
        app_id=app_id,
        other_app_id=other_app_id,
        keys={
            "root": server.root_key,
            "team": team_key,
            "app": app_key,
            "expired": expired,
            "foreign": _insert_foreign_key(server),
            "garbage": "garbage!!",
            "none": None,
        },
    )


# (route name, expected status per caller)
EXPECTED: dict[str, dict[str, int]] = {
    "app.list": {"root": 200, "team": 200, "app": 200, "expired": 401, "foreign": 200, "garbage": 401, "none": 401},
    "app.detail": {"root": 200, "team": 200, "app": 200, "expired": 401, "foreign": 403, "garbage": 401, "none": 401},
    "app.detail.other": {
        "root": 200,
        "team": 200,
        "app": 403,
        "expired": 401,
        "foreign": 403,
        "garbage": 401,
        "none": 401,
    },
    "app.update": {"root": 200, "team": 200, "app": 403, "expired": 401, "foreign": 403, "garbage": 401, "none": 401},
    "app.create": {"root": 200, "team": 200, "app": 403, "expired": 401, "foreign": 200, "garbage": 401, "none": 401},
    "version.list": {"root": 200, "team": 200, "app": 200, "expired": 401, "foreign": 403, "garbage": 401, "none": 401},
    "version.latest": {
        "root": 200,
        "team": 200,
        "app": 200,
        "expired": 401,
        "foreign": 403,
        "garbage": 401,
        "none": 401,
    },
    "version.publish": {
        "root": 200,
        "team": 200,
        "app": 403,
        "expired": 401,
        "foreign": 403,
        "garbage": 401,
        "none": 401,
    },
    "key.list": {"root": 200, "team": 200, "app": 403, "expired": 401, "foreign": 200, "garbage": 401, "none": 401},
    "key.list.app": {"root": 200, "team": 200, "app": 403, "expired": 401, "foreign": 403, "garbage": 401, "none": 401},
    "key.create.app": {
        "root": 200,
        "team": 200,
        "app": 403,
        "expired": 401,
        "foreign": 403,
        "garbage": 401,
        "none": 401,
    },
}


def _call(client: object, route: str, c: Callers) -> int:
    import httpx

    assert isinstance(client, httpx.Client)
    if route == "app.list":
        return client.post("/api/core/app/list", json={}).status_code
    if route == "app.detail":
        return client.get("/api/core/app/detail", params={"appId": c.app_id}).status_code
    if route == "app.detail.other":
        return client.get("/api/core/app/detail", params={"appId": c.other_app_id}).status_code
    if route == "app.update":
        return client.put("/api/core/app/update", params={"appId": c.app_id}, json={"intro": "changed"}).status_code
    if route == "app.create":
        return client.post("/api/core/app/create", json={"name": "made", "type": "advanced"}).status_code
    if route == "version.list":
        return client.post("/api/core/app/version/list", json={"appId": c.app_id}).status_code
    if route == "version.latest":
        return client.get("/api/core/app/version/latest", params={"appId": c.app_id}).status_code
    if route == "version.publish":
        return client.post(
            "/api/core/app/version/publish", params={"appId": c.app_id}, json={**ANSWER_APP, "isPublish": False}
        ).status_code
    if route == "key.list":
        return client.get("/api/support/openapi/list").status_code
    if route == "key.list.app":
        return client.get("/api/support/openapi/list", params={"appId": c.app_id}).status_code
    if route == "key.create.app":
        return client.post("/api/support/openapi/create", json={"appId": c.app_id}).status_code
    raise AssertionError(route)


@pytest.mark.parametrize("route", sorted(EXPECTED))
def test_auth_matrix(server: LiveServer, callers: Callers, route: str) -> None:
    got: dict[str, int] = {}
    for caller, key in callers.keys.items():
        with server.client(key) as client:
            got[caller] = _call(client, route, callers)
    assert got == EXPECTED[route]


def test_rootkey_header_is_accepted(server: LiveServer) -> None:
    with server.client() as client:
        response = client.post("/api/core/app/list", json={}, headers={"rootkey": server.root_key})
    assert response.status_code == 200


def test_error_bodies_use_the_envelope(server: LiveServer, callers: Callers) -> None:
    with server.client("garbage") as client:
        body = client.post("/api/core/app/list", json={}).json()
    assert body == {"code": 514, "statusText": "unAuthApiKey", "message": "Invalid API key", "data": None}
    with server.client(callers.keys["app"]) as client:
        body = client.get("/api/core/app/detail", params={"appId": callers.other_app_id}).json()
    assert body["code"] == 502001
    assert body["statusText"] == "unAuthApp"
