from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api.core.app.test_app import create
from tests.support.live import LiveServer


def test_key_lifecycle_masking_and_app_binding(server: LiveServer) -> None:
    app_id = create(server, name="Keyed")
    with server.root as client:
        created = client.post("/api/support/openapi/create", json={"appId": app_id, "name": "k1"})
        plain = created.json()["data"]
        assert plain.startswith("fastgpt-")
        assert len(plain) > 50
        listing = client.get("/api/support/openapi/list", params={"appId": app_id}).json()["data"]
        assert len(listing) == 1
        item = listing[0]
        assert item["name"] == "k1"
        assert item["appId"] == app_id
        assert plain not in item["apiKey"]
        assert item["apiKey"].endswith(plain[-4:])
        assert item["usagePoints"] == 0
        assert item["limit"]["maxUsagePoints"] == -1
        team_keys = client.get("/api/support/openapi/list").json()["data"]
        assert all(k["appId"] is None for k in team_keys)
        updated = client.put("/api/support/openapi/update", json={"_id": item["_id"], "name": "renamed"})
        assert updated.json()["code"] == 200
        assert client.get("/api/support/openapi/list", params={"appId": app_id}).json()["data"][0]["name"] == "renamed"
    with server.client(plain) as keyed:
        detail = keyed.get("/api/core/app/detail", params={"appId": app_id})
        assert detail.status_code == 200
        assert detail.json()["data"]["permission"]["hasWritePer"] is False
        listing = keyed.post("/api/core/app/list", json={}).json()["data"]
        assert [a["_id"] for a in listing] == [app_id]
    with server.root as client:
        assert client.delete("/api/support/openapi/delete", params={"id": item["_id"]}).json()["code"] == 200
    with server.client(plain) as keyed:
        gone = keyed.get("/api/core/app/detail", params={"appId": app_id})
    assert gone.status_code == 401
    assert gone.json()["statusText"] == "unAuthApiKey"


def test_expired_key_and_usage_limit_are_refused(server: LiveServer) -> None:
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    with server.root as client:
        expired = client.post(
            "/api/support/openapi/create", json={"name": "old", "limit": {"expiredTime": past}}
        ).json()["data"]
        capped = client.post(
            "/api/support/openapi/create", json={"name": "capped", "limit": {"maxUsagePoints": 0}}
        ).json()["data"]
    with server.client(expired) as client:
        response = client.post("/api/core/app/list", json={})
    assert response.status_code == 401
    assert "expired" in response.json()["message"]
    with server.client(capped) as client:
        response = client.post("/api/core/app/list", json={})
    assert response.status_code == 403
    assert response.json()["statusText"] == "openapiExceedLimit"


def test_key_count_limit(sqlite_server: LiveServer) -> None:
    app_id = create(sqlite_server, name="Many keys")
    limit = sqlite_server.settings.openapi_key_max_count
    with sqlite_server.root as client:
        for _ in range(limit):
            assert client.post("/api/support/openapi/create", json={"appId": app_id}).status_code == 200
        over = client.post("/api/support/openapi/create", json={"appId": app_id})
    assert over.status_code == 403
    assert over.json()["statusText"] == "openapiExceedLimit"
    assert over.json()["code"] == 506002


def test_unknown_key_id(server: LiveServer) -> None:
    with server.root as client:
        response = client.delete("/api/support/openapi/delete", params={"id": "0" * 24})
    assert response.status_code == 404
    assert response.json()["statusText"] == "openapiUnExist"
