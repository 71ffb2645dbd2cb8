"""Bad input gets FastGPT's envelope with a clear message and the right status, and changes nothing."""

from __future__ import annotations

import copy

import pytest

from tests.api.core.app.test_app import ANSWER_APP, create
from tests.support.live import LiveServer


def _app_count(server: LiveServer) -> int:
    with server.root as client:
        return len(client.post("/api/core/app/list", json={"searchKey": "bad-input"}).json()["data"])


def _assert_envelope(response: object, status: int, text: str) -> None:
    import httpx

    assert isinstance(response, httpx.Response)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "statusText", "message", "data"}
    assert text in body["message"], body
    assert "Traceback" not in response.text


def test_malformed_json(server: LiveServer) -> None:
    before = _app_count(server)
    with server.root as client:
        response = client.post(
            "/api/core/app/create", content=b'{"name": "bad-input"', headers={"content-type": "application/json"}
        )
    _assert_envelope(response, 400, "malformed JSON")
    assert _app_count(server) == before


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ({"name": 5}, "name"),
        ({"name": ""}, "name"),
        ({}, "name: Field required"),
        ({"name": "bad-input", "nodes": "x"}, "nodes"),
        ({"name": "bad-input", "type": "spaceship"}, "Unknown app type"),
    ],
)
def test_wrong_types(server: LiveServer, body: dict[str, object], text: str) -> None:
    before = _app_count(server)
    with server.root as client:
        response = client.post("/api/core/app/create", json=body)
    _assert_envelope(response, 400, text)
    assert _app_count(server) == before


def _bad_graphs() -> list[tuple[dict[str, object], str]]:
    unknown = copy.deepcopy(ANSWER_APP)
    unknown["nodes"][1]["flowNodeType"] = "teleport"  # type: ignore[index]
    dangling = copy.deepcopy(ANSWER_APP)
    dangling["edges"][0]["target"] = "nowhere"  # type: ignore[index]
    duplicate = copy.deepcopy(ANSWER_APP)
    duplicate["nodes"][1]["nodeId"] = "workflowStartNodeId"  # type: ignore[index]
    no_id = copy.deepcopy(ANSWER_APP)
    del no_id["nodes"][1]["nodeId"]  # type: ignore[attr-defined]
    return [
        (unknown, "unknown type 'teleport'"),
        (dangling, "dangling edge"),
        (duplicate, "duplicate node id"),
        (no_id, "has no nodeId"),
    ]


@pytest.mark.parametrize(("graph", "text"), _bad_graphs())
def test_invalid_workflow_is_refused_everywhere(server: LiveServer, graph: dict[str, object], text: str) -> None:
    app_id = create(server, name="bad-input target", **copy.deepcopy(ANSWER_APP))
    before = _app_count(server)
    with server.root as client:
        created = client.post("/api/core/app/create", json={"name": "bad-input", **graph})
        _assert_envelope(created, 400, text)
        updated = client.put(
            "/api/core/app/update", params={"appId": app_id}, json={"nodes": graph["nodes"], "edges": graph["edges"]}
        )
        _assert_envelope(updated, 400, text)
        published = client.post("/api/core/app/version/publish", params={"appId": app_id}, json=graph)
        _assert_envelope(published, 400, text)
        latest = client.get("/api/core/app/version/latest", params={"appId": app_id}).json()["data"]
        detail = client.get("/api/core/app/detail", params={"appId": app_id}).json()["data"]
        versions = client.post("/api/core/app/version/list", json={"appId": app_id}).json()["data"]["total"]
    assert latest["nodes"] == ANSWER_APP["nodes"]
    assert detail["modules"] == ANSWER_APP["nodes"]
    assert versions == 1
    assert _app_count(server) == before


def test_oversized_body(server: LiveServer) -> None:
    limit = server.settings.max_body_bytes
    with server.root as client:
        response = client.post(
            "/api/core/app/create",
            content=b'{"name":"bad-input","intro":"' + b"x" * (limit + 10) + b'"}',
            headers={"content-type": "application/json"},
        )
    _assert_envelope(response, 413, "too large")


def test_unknown_ids(server: LiveServer) -> None:
    with server.root as client:
        for response in (
            client.get("/api/core/app/detail", params={"appId": "f" * 24}),
            client.put("/api/core/app/update", params={"appId": "f" * 24}, json={"name": "x"}),
            client.delete("/api/core/app/del", params={"appId": "f" * 24}),
            client.post("/api/core/app/version/list", json={"appId": "f" * 24}),
        ):
            _assert_envelope(response, 404, "Application does not exist")
            assert response.json()["code"] == 502000
        missing_param = client.get("/api/core/app/detail")
    _assert_envelope(missing_param, 400, "appId")
