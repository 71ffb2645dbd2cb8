"""Schemathesis over every operation of `/openapi.json`: the schema tells the truth.

A server of its own (SQLite, the fake LLM) is fuzzed over real HTTP by schemathesis's examples,
coverage and fuzzing phases, a few examples an operation, derandomized with a fixed seed. Every
response is held to the conformance checks: no 5xx, only documented status codes and content types,
bodies that match their schema, schema-valid requests accepted and schema-invalid ones refused.

Configured narrowly, each for a reason the schema cannot carry:

* NUL characters are not generated: the JSON body guard drops them from every body (PostgreSQL text
  cannot hold them), so `"\\u0000"` would turn a valid `appId` into an empty one.
* The chat completions are called with an app key: FastGPT's chat API "requires an App-specific Key",
  and with one `appId` may be left out, as their schema says (the root key must send it, as its
  description says; every other chat route documents `appId` as required).
* `accepts_schema_valid_data` excuses a 400 only when its message names a rule JSON Schema cannot
  state: a workflow's edges must name nodes of the same request, `dateStart` must not be after
  `dateEnd`, a model name must be one this deployment serves, MCP tool names must be unique.
* `rejects_schema_invalid_data` excuses an accepted request only when the route's own model refuses
  it in pydantic's strict mode and reads it in lax mode (`0` for `false`, `false` for `0`, epoch
  numbers for dates): lenient parsing is FastGPT compatibility and stays.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from pydantic import TypeAdapter, ValidationError
from schemathesis import checks

from pyfastgpt.api.openapi_errors import mounted_routes
from pyfastgpt.app import create_app
from tests.conftest import make_settings
from tests.fake_llm import FakeLLM
from tests.support.live import LiveServer, serve

SEED = 17
MAX_EXAMPLES = 5
COMPLETIONS = ("/api/v1/chat/completions", "/api/v2/chat/completions")
# 400 messages of rules that hold across fields, or against the deployment's data.
PROSE_ONLY_RULES = (
    "Invalid workflow: ",
    "dateStart must not be after dateEnd",
    "Unknown model ",
    "Duplicate toolName",
)


@pytest.fixture(scope="module")
def conformance_server(fake_llm: FakeLLM) -> Iterator[LiveServer]:
    """A server of its own: the fuzzer creates, renames and deletes whatever it finds."""
    fake_llm.reset()  # its default answer (an echo), whatever an earlier test scripted
    with serve(make_settings("sqlite", None, fake_llm), backend="sqlite", fake_llm=fake_llm) as live:
        _seed(live)
        yield live


def _seed(live: LiveServer) -> None:
    """A chat on the bootstrap app, and a dataset with a text collection, for the lists to show."""
    with live.client(live.app_key) as client:
        chat = client.post(
            "/api/v1/chat/completions", json={"chatId": "seeded", "messages": [{"role": "user", "content": "hi"}]}
        )
        assert chat.status_code == 200, chat.text
    with live.root as client:
        dataset = client.post("/api/core/dataset/create", json={"name": "seeded"})
        assert dataset.status_code == 200, dataset.text
        text = {"datasetId": dataset.json()["data"], "name": "seeded", "text": "One seeded paragraph."}
        collection = client.post("/api/core/dataset/collection/create/text", json=text)
        assert collection.status_code == 200, collection.text


def _config(live: LiveServer) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "base-url": live.base_url,
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                "allow-x00": False,
            },
            # No probes with methods the schema does not name: `unsupported_method` is not a check here.
            "phases": {"stateful": {"enabled": False}, "coverage": {"unexpected-methods": []}},
        }
    )


@pytest.fixture(scope="module")
def api_schema(conformance_server: LiveServer) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(
        f"{conformance_server.base_url}/openapi.json", config=_config(conformance_server)
    )


@pytest.fixture(scope="module")
def body_types(conformance_server: LiveServer) -> dict[tuple[str, str], TypeAdapter[Any]]:
    """Each operation's request body type, read from the routes (the app is built, not started)."""
    app = create_app(conformance_server.settings)
    types: dict[tuple[str, str], TypeAdapter[Any]] = {}
    for route in mounted_routes(app):
        if route.body_field is not None:
            for method in route.methods:
                types[(method.upper(), route.path)] = TypeAdapter(route.body_field.field_info.annotation)
    return types


def _message(response: schemathesis.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("message", "")) if isinstance(body, dict) else ""


def accepts_schema_valid_data(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> bool | None:
    """`positive_data_acceptance`, except a 400 for a rule the schema can only state in prose."""
    if response.status_code == 400 and any(rule in _message(response) for rule in PROSE_ONLY_RULES):
        return None
    return checks.positive_data_acceptance(ctx, response, case)


def _only_lax(body_type: TypeAdapter[Any] | None, body: Any) -> bool:
    """Whether `body` is valid only through pydantic's lax conversions."""
    if body_type is None or not isinstance(body, dict | list):
        return False
    raw = json.dumps(body)
    try:
        body_type.validate_json(raw, strict=True)
    except ValidationError:
        try:
            body_type.validate_json(raw)
        except ValidationError:
            return False
        return True
    return False


def checks_for(body_types: dict[tuple[str, str], TypeAdapter[Any]]) -> list[Any]:
    def rejects_schema_invalid_data(ctx: Any, response: schemathesis.Response, case: schemathesis.Case) -> bool | None:
        """`negative_data_rejection`, except what lax parsing reads (FastGPT compatibility)."""
        if response.status_code < 400 and _only_lax(body_types.get((case.method.upper(), case.path)), case.body):
            return None
        return checks.negative_data_rejection(ctx, response, case)

    return [
        checks.not_a_server_error,
        checks.status_code_conformance,
        checks.content_type_conformance,
        checks.response_schema_conformance,
        accepts_schema_valid_data,
        rejects_schema_invalid_data,
    ]


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    """One keep-alive connection for the run's few thousand requests."""
    with requests.Session() as http:
        yield http


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32's lazy loader reads `Node._nodeid`, which pytest 9.2 no longer has."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_every_operation_conforms(
    case: schemathesis.Case,
    conformance_server: LiveServer,
    body_types: dict[tuple[str, str], TypeAdapter[Any]],
    session: requests.Session,
) -> None:
    key = conformance_server.app_key if case.path in COMPLETIONS else conformance_server.root_key
    case.call_and_validate(session=session, headers={"Authorization": f"Bearer {key}"}, checks=checks_for(body_types))
