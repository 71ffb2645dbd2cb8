"""Issue 19: hostile input never answers 5xx — every mounted route, every declared parameter.

The walker (`tests/api/hostile/`) reads the app's own route table, so a new route is covered without
anyone listing it. Per parameter it sends a sample of wrong types, nulls, empty and 100k strings, huge,
negative and fractional numbers, lone surrogates, NULs, deep nesting, unknown and foreign ids; per body
route also non-object, malformed, too-deep and invalid-UTF-8 bodies. A probe fails on any 5xx, on an
answer slower than 5 s, on the other team's data in the answer, or on an ERROR record (traceback) in the
server's logs. Both backends (`server` is SQLite and PostgreSQL).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

import pytest

from pyfastgpt.app import create_app
from pyfastgpt.core.config import Settings
from tests.api.hostile.routes import RouteSpec, discover
from tests.api.hostile.runner import ErrorLog, walk
from tests.api.hostile.world import World, build_world
from tests.support.live import LiveServer

ROUTES = discover(create_app(Settings(data_dir=tempfile.mkdtemp(prefix="pyfastgpt-routes-"))))


@pytest.fixture(scope="module")
def world(server: LiveServer) -> World:
    return build_world(server)


@pytest.fixture
def error_log() -> Iterator[ErrorLog]:
    with ErrorLog().attached() as log:
        yield log


def test_walker_sees_every_mounted_route() -> None:
    keys = {spec.key for spec in ROUTES}
    for expected in (
        "POST /api/v1/chat/completions",
        "POST /api/v2/chat/completions",
        "POST /api/core/chat/getHistories",
        "POST /api/core/dataset/collection/listV2",
        "POST /api/mcp/app/{key}/mcp",
    ):
        assert expected in keys
    assert len(ROUTES) > 100


@pytest.mark.parametrize("spec", ROUTES, ids=lambda spec: spec.key)
def test_route_survives_hostile_input(server: LiveServer, world: World, spec: RouteSpec, error_log: ErrorLog) -> None:
    with server.client(world.mine.key) as client:
        problems = walk(spec, client, world, error_log)
    assert not problems, "\n".join(problems)


BIG = 9223372036854775808


@pytest.mark.parametrize(
    ("path", "field", "value", "text"),
    [
        ("/api/core/chat/getHistories", "offset", BIG, "offset: Input should be less than or equal to 1000000000"),
        ("/api/core/chat/getHistories", "pageNum", 1e30, "pageNum"),
        ("/api/core/chat/getPaginationRecords", "offset", BIG, "offset: Input should be less than or equal to"),
        (
            "/api/core/dataset/collection/listV2",
            "searchText",
            "x" * 100_000,
            "searchText: String should have at most 1000",
        ),
        ("/api/core/dataset/data/v2/list", "offset", BIG, "offset"),
        ("/api/core/app/logs/list", "chatSearch", "x" * 100_000, "chatSearch: String should have at most 1000"),
        ("/api/core/app/list", "searchKey", "x" * 100_000, "searchKey: String should have at most 1000"),
    ],
)
def test_out_of_range_input_names_the_field_and_limit(
    server: LiveServer, world: World, path: str, field: str, value: object, text: str
) -> None:
    ids = world.mine.ids
    body = {"appId": ids["app"], "chatId": ids["chat"], "datasetId": ids["dataset"], "collectionId": ids["collection"]}
    with server.client(world.mine.key) as client:
        response = client.post(path, json={**body, field: value})
    assert response.status_code == 400, response.text
    envelope = response.json()
    assert envelope["statusText"] == "invalidParams" and envelope["code"] == 507000
    assert text in envelope["message"]


def test_dataset_page_size_is_clamped_as_fastgpt_does(server: LiveServer, world: World) -> None:
    with server.client(world.mine.key) as client:
        response = client.post(
            "/api/core/dataset/collection/listV2", json={"datasetId": world.mine.ids["dataset"], "pageSize": BIG}
        )
    assert response.status_code == 200, response.text


def test_lone_surrogates_become_replacement_characters_and_nul_is_dropped(server: LiveServer, world: World) -> None:
    raw = b'{"chatId": "surrogate-chat", "messages": [{"role": "user", "content": "half \\ud83d an emoji\\u0000"}]}'
    with server.client(world.app_key) as client:
        for path in ("/api/v1/chat/completions", "/api/v2/chat/completions"):
            answer = client.post(path, content=raw, headers={"content-type": "application/json"})
            assert answer.status_code == 200, answer.text
    with server.client(world.mine.key) as client:
        records = client.post(
            "/api/core/chat/getPaginationRecords", json={"appId": world.mine.ids["app"], "chatId": "surrogate-chat"}
        ).json()["data"]["list"]
    questions = [r["value"][0]["text"]["content"] for r in records if r["obj"] == "Human"]
    assert questions == ["half \ufffd an emoji", "half \ufffd an emoji"]


def test_json_nested_too_deeply_is_refused(server: LiveServer, world: World) -> None:
    deep = "[" * 65 + "]" * 65
    with server.client(world.mine.key) as client:
        response = client.post(
            "/api/core/app/create",
            content=f'{{"name": "deep", "nodes": {deep}}}'.encode(),
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 400, response.text
    assert response.json()["message"] == "Invalid request: JSON body nested deeper than 64 levels"
