"""`StaticRouteIndex`: finds the route of a static path with one dict lookup instead of FastAPI's scan.

FastAPI (>= 0.165) keeps every included router nested: to route a request it asks each router in turn,
and each router asks each of its routes, whether it matches. A route near the end of the table is found
after ~50 such tests, about 60 µs of every request. Nearly all of this API's paths are static, so the
index, placed first in the app's routes, knows for each (method, path) of a static route which entry of
the table FastAPI's scan picks first (the scan itself, run once per path), and matches on its behalf.
Everything else (paths with parameters, unknown paths, a method the path does not serve, a
`root_path`, websockets) gets no match from the index and goes through the usual scan, so which route
serves a request never changes.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute, Match, Mount, NoMatchFound
from starlette.types import Receive, Scope, Send


def index_static_routes(app: FastAPI) -> StaticRouteIndex:
    """Put the index in front of `app`'s routes (after every router is included)."""
    index = StaticRouteIndex(app.router.routes)
    app.router.routes.insert(0, index)
    return index


class StaticRouteIndex(BaseRoute):
    def __init__(self, routes: list[BaseRoute]) -> None:
        self._routes = routes
        self._targets: dict[tuple[str, str], BaseRoute] = {}
        self._indexed_count = -1  # how many routes the table had when indexed: routes added later re-index

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        target = self._target(scope)
        if target is None:
            return Match.NONE, {}
        match, child_scope = target.matches(scope)
        return (match, child_scope) if match == Match.FULL else (Match.NONE, {})

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        target = self._target(scope)
        assert target is not None, "handle() follows a full match()"
        await target.handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)  # the indexed routes answer for themselves, later in the table

    def _target(self, scope: Scope) -> BaseRoute | None:
        if scope["type"] != "http" or scope.get("root_path"):
            return None
        if len(self._routes) != self._indexed_count:
            self.refresh()
        return self._targets.get((scope["method"], scope["path"]))

    def refresh(self) -> None:
        """Index the table as it is now (done by the first request otherwise: ~0.1 s, as it makes FastAPI
        build the contexts of every included route)."""
        routes = [route for route in self._routes if route is not self]
        targets: dict[tuple[str, str], BaseRoute] = {}
        for method, path in _static_endpoints(routes):
            target = _first_full_match(routes, method, path)
            if target is not None and _stands_in_for(target):
                targets[(method, path)] = target
        self._targets = targets
        self._indexed_count = len(self._routes)


def _static_endpoints(routes: list[BaseRoute]) -> set[tuple[str, str]]:
    """(method, full path) of every route whose path has no parameters."""
    endpoints: set[tuple[str, str]] = set()
    for context in iter_route_contexts(routes):
        path = context.path
        if path and "{" not in path:
            endpoints.update((method, path) for method in context.methods or ())
    return endpoints


def _first_full_match(routes: list[BaseRoute], method: str, path: str) -> BaseRoute | None:
    """The entry FastAPI's router would hand a request for `method path` to."""
    scope: Scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": [], "query_string": b""}
    return next((route for route in routes if route.matches(scope)[0] == Match.FULL), None)


def _stands_in_for(route: BaseRoute) -> bool:
    """The router tells the matched entry's template and mount-ness to FastAPI's own telemetry; the index
    can only stand in for entries without either (included routers), so the router sees no difference.
    (One corner: a trailing-slash redirect found through the index names no route to that telemetry,
    which this app leaves off: see `core/observability/tracing.py`.)"""
    return getattr(route, "path_format", None) is None and not isinstance(route, Mount)
