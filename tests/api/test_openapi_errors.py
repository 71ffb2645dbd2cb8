"""`/openapi.json` declares FastGPT's error envelope under the statuses each operation answers
(`api/openapi_errors.py`) and the request rules the services enforce (`api/schema_docs.py`)."""

from __future__ import annotations

from typing import Any

import pytest

from pyfastgpt.api.openapi_errors import ANSWERS, ENVELOPE_SCHEMA, SUCCESS_MEDIA, mounted_routes
from pyfastgpt.app import create_app
from tests.support.live import LiveServer

ENVELOPE_REF = f"#/components/schemas/{ENVELOPE_SCHEMA}"


@pytest.fixture(scope="module")
def spec(sqlite_server: LiveServer) -> dict[str, Any]:
    with sqlite_server.client() as client:
        document: dict[str, Any] = client.get("/openapi.json").json()
    return document


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, ops in spec["paths"].items() for method, op in ops.items()]


def error_statuses(operation: dict[str, Any]) -> set[int]:
    return {int(status) for status in operation["responses"] if int(status) >= 400}


def test_errors_are_the_envelope_and_never_fastapis_422(spec: dict[str, Any]) -> None:
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for method, path, operation in operations(spec):
        statuses = error_statuses(operation)
        assert 422 not in statuses, f"{method} {path}"
        assert 500 in statuses, f"{method} {path}"
        for status in statuses - {503}:  # /readyz answers its own report
            schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
            assert schema == {"$ref": ENVELOPE_REF}, f"{method} {path} {status}"
    envelope = spec["components"]["schemas"][ENVELOPE_SCHEMA]
    assert set(envelope["required"]) == {"code", "statusText", "message"}


@pytest.mark.parametrize(
    ("method", "path", "declared", "absent"),
    [
        ("get", "/api/support/mcp/list", {401, 403, 500}, {400, 404, 413}),  # no input, nothing looked up
        ("get", "/api/core/app/detail", {400, 401, 403, 404, 500}, {409, 413}),
        ("post", "/api/core/app/create", {400, 401, 403, 404, 413, 500}, {409, 429}),
        ("post", "/api/v1/chat/completions", {400, 401, 403, 404, 409, 413, 429, 500}, set()),
        ("get", "/api/core/chat/resume", {404, 406}, {413}),
        ("get", "/api/system/file/read/{key}", {400, 403, 404, 500}, {401}),  # the signature is the grant
        ("put", "/api/system/file/upload/{key}", {403, 413, 415}, {401}),
        ("delete", "/api/core/chat/delHistory", {400, 404}, {413}),  # reads its query string itself
    ],
)
def test_each_operation_declares_what_it_answers(
    spec: dict[str, Any], method: str, path: str, declared: set[int], absent: set[int]
) -> None:
    statuses = error_statuses(spec["paths"][path][method])
    assert declared <= statuses
    assert not absent & statuses


def test_streams_and_files_declare_their_media_types(spec: dict[str, Any]) -> None:
    def media(method: str, path: str) -> set[str]:
        return set(spec["paths"][path][method]["responses"]["200"]["content"])

    assert media("post", "/api/v2/chat/completions") == {"application/json", "text/event-stream"}
    assert media("post", "/api/core/app/logs/exportLogs") == {"text/csv"}
    assert media("get", "/api/system/file/read/{key}") == {"*/*"}


def test_every_listed_endpoint_is_mounted(sqlite_server: LiveServer) -> None:
    app = create_app(sqlite_server.settings)
    mounted = {route.endpoint for route in mounted_routes(app)}
    assert set(ANSWERS) <= mounted
    assert set(SUCCESS_MEDIA) <= mounted


def test_request_schemas_state_what_the_services_enforce(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    histories = schemas["GetHistoriesBody"]
    assert "appId" in histories["required"]
    assert histories["properties"]["appId"]["minLength"] == 1
    assert "default" not in histories["properties"]["appId"]
    feedback = schemas["UserFeedbackBody"]
    assert {"appId", "chatId", "dataId"} <= set(feedback["required"])
    assert "chatItemId" not in feedback["properties"]  # 4.8's name: still read, documented as `dataId`
    parameters = spec["paths"]["/api/core/chat/delHistory"]["delete"]["parameters"]
    assert {p["name"]: p["required"] for p in parameters} == {"appId": True, "chatId": True}
    assert schemas["TextCollectionBody"]["properties"]["text"]["pattern"] == r"\S"
    assert "apps" in str(schemas["CreateBody"]["anyOf"])  # an MCP key needs apps or datasets
