from __future__ import annotations

from tests.support.live import LiveServer


def test_healthz_reports_version_and_storage(server: LiveServer) -> None:
    with server.client() as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"]
    assert body["storage"] == ("sqlite" if server.backend == "sqlite" else "postgresql")
    assert response.headers["x-request-id"]


def test_request_id_is_echoed(sqlite_server: LiveServer) -> None:
    with sqlite_server.client() as client:
        response = client.get("/healthz", headers={"x-request-id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"


def test_openapi_lists_typed_routes(sqlite_server: LiveServer) -> None:
    with sqlite_server.client() as client:
        spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/core/app/create",
        "/api/core/app/list",
        "/api/core/app/detail",
        "/api/core/app/update",
        "/api/core/app/del",
        "/api/core/app/copy",
        "/api/core/app/folder/create",
        "/api/core/app/version/publish",
        "/api/core/app/version/list",
        "/api/core/app/version/latest",
        "/api/core/app/version/detail",
        "/api/support/openapi/create",
        "/api/support/openapi/list",
        "/api/support/openapi/update",
        "/api/support/openapi/delete",
        "/healthz",
    ):
        assert path in paths, path
        for operation in paths[path].values():
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            assert schema, f"{path} has no response schema"


def test_unknown_route_gets_envelope(sqlite_server: LiveServer) -> None:
    with sqlite_server.client() as client:
        response = client.get("/api/core/nothing/here")
    assert response.status_code == 404
    assert response.json()["statusText"] == "invalidResource"
