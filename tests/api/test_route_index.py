"""The static-route index answers in FastAPI's place without changing which route serves a request."""

from __future__ import annotations

import tempfile

from fastapi import APIRouter, FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Match

from pyfastgpt.api.route_index import StaticRouteIndex, index_static_routes
from pyfastgpt.app import create_app
from pyfastgpt.core.config import Settings


def _scope(method: str, path: str, **extra: object) -> dict[str, object]:
    return {
        "type": "http",
        "method": method,
        "path": path,
        "root_path": "",
        "headers": [],
        "query_string": b"",
        **extra,
    }


def _shadowing_app() -> FastAPI:
    """`/items/special` is declared twice: a parameter route of an earlier router serves it first."""
    first, second = APIRouter(), APIRouter()

    @first.get("/items/{item_id}")
    async def item(item_id: str) -> dict[str, str]:
        return {"served_by": "parameter", "item_id": item_id}

    @second.get("/items/special")
    async def special() -> dict[str, str]:
        return {"served_by": "static"}

    @second.post("/things")
    async def things() -> dict[str, str]:
        return {"served_by": "things"}

    app = FastAPI()
    app.include_router(first)
    app.include_router(second)
    index_static_routes(app)
    return app


def test_the_route_fastapi_would_pick_still_serves() -> None:
    with TestClient(_shadowing_app()) as client:
        assert client.get("/items/special").json() == {"served_by": "parameter", "item_id": "special"}
        assert client.post("/things").json() == {"served_by": "things"}


def test_a_method_the_path_does_not_serve_is_still_405() -> None:
    with TestClient(_shadowing_app()) as client:
        response = client.get("/things")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_routes_added_after_the_first_request_are_indexed() -> None:
    app = _shadowing_app()
    with TestClient(app) as client:
        assert client.post("/things").status_code == 200
        late = APIRouter()

        @late.get("/late")
        async def late_route() -> dict[str, str]:
            return {"served_by": "late"}

        app.include_router(late)
        assert client.get("/late").json() == {"served_by": "late"}
    index = app.router.routes[0]
    assert isinstance(index, StaticRouteIndex)
    assert index.matches(_scope("GET", "/late"))[0] == Match.FULL


def test_index_leaves_other_requests_to_the_usual_scan() -> None:
    index = _shadowing_app().router.routes[0]
    assert isinstance(index, StaticRouteIndex)
    assert index.matches(_scope("POST", "/things"))[0] == Match.FULL
    for scope in (
        _scope("GET", "/items/other"),  # a parameter route
        _scope("GET", "/nowhere"),
        _scope("GET", "/things"),  # 405: the scan finds the partial match
        _scope("POST", "/things", root_path="/prefix"),
        {"type": "websocket", "path": "/things", "root_path": "", "headers": []},
    ):
        assert index.matches(scope) == (Match.NONE, {})


def test_url_for_still_finds_indexed_routes() -> None:
    app = _shadowing_app()
    assert app.url_path_for("things") == "/things"


def test_every_static_route_of_the_app_is_indexed_to_the_entry_fastapi_scans_to() -> None:
    app = create_app(Settings(data_dir=tempfile.mkdtemp(prefix="pyfastgpt-route-index-")))
    index, *routes = app.router.routes
    assert isinstance(index, StaticRouteIndex)
    checked = 0
    for context in iter_route_contexts(routes):
        path = context.path
        if not path or "{" in path:
            continue
        for method in context.methods or ():
            scope = _scope(method, path)
            first = next(route for route in routes if route.matches(_scope(method, path))[0] == Match.FULL)
            if getattr(first, "path_format", None) is not None:  # a top-level route: the scan finds it at once
                assert index.matches(scope) == (Match.NONE, {})
                continue
            assert index.matches(scope)[0] == Match.FULL
            assert index._target(scope) is first
            checked += 1
    assert checked > 100


def test_the_app_indexes_its_routes_when_it_starts() -> None:
    settings = Settings(
        data_dir=tempfile.mkdtemp(prefix="pyfastgpt-route-index-"), training_workers=0, local_llm_enabled=False
    )
    app = create_app(settings)
    index = app.router.routes[0]
    assert isinstance(index, StaticRouteIndex)
    with TestClient(app):
        assert index._targets  # built by the startup, not by the first request
