"""Pure-ASGI middleware: one server span and one metrics sample per HTTP request.

The route label is the matched route's *template*, so `/api/mcp/app/{key}/mcp` stays one series
whatever the key: `scope["route"].path` for FastAPI routes; for plain Starlette routes (the MCP
endpoint) the path with its parameters put back; when a middleware below routed a copy of the
scope (the JSON body guard does, for bodies it rewrites) the app's routes are matched again. A
path no route serves is `unmatched`.

The span is the current span while the app handles the request (node and model spans become
its children), continues a `traceparent` the client sent, and is named `<METHOD> <template>`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextvars import Token
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.propagators.textmap import Getter
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pyfastgpt.core.observability import metrics, tracing

UNMATCHED = "unmatched"


class _HeaderGetter(Getter[Scope]):
    def get(self, carrier: Scope, key: str) -> list[str] | None:
        wanted = key.lower().encode("latin-1")
        values = [value.decode("latin-1") for name, value in carrier.get("headers", ()) if name == wanted]
        return values or None

    def keys(self, carrier: Scope) -> list[str]:
        return [name.decode("latin-1") for name, _ in carrier.get("headers", ())]


_GETTER = _HeaderGetter()


def route_template(scope: Scope, routes: Sequence[BaseRoute], status: int = 200) -> str:
    """The template of the route that served `scope` (after the app ran)."""
    path = getattr(scope.get("route"), "path", None)  # FastAPI's APIRoute, Starlette's top-level routes
    if isinstance(path, str):
        return path
    if "endpoint" in scope:  # a plain Starlette route or mount: put its parameters back into the path
        return _with_parameters(str(scope.get("path", "")), scope.get("path_params") or {})
    if status == 404:
        return UNMATCHED
    return _matching_template(scope, routes)  # a middleware below routed a copy of the scope


def _with_parameters(path: str, params: dict[str, Any]) -> str:
    for name, value in params.items():
        text = str(value)
        if not text:
            continue
        segments = path.split("/")
        if text in segments:
            path = "/".join(f"{{{name}}}" if segment == text else segment for segment in segments)
        elif "/" in text and path.endswith(text):  # a `{name:path}` tail
            path = path[: -len(text)] + f"{{{name}}}"
    return path


def _leaves(routes: Sequence[BaseRoute], prefix: str = "") -> Iterator[tuple[str, BaseRoute]]:
    """Routes with the prefix they are mounted under (FastAPI >= 0.165 keeps included routers nested)."""
    for route in routes:
        router = getattr(route, "original_router", None)
        if router is not None:
            included = str(getattr(getattr(route, "include_context", None), "prefix", "") or "")
            yield from _leaves(router.routes, prefix + included)
        else:
            yield prefix, route


def _matching_template(scope: Scope, routes: Sequence[BaseRoute]) -> str:
    path = str(scope.get("path", ""))
    partial = None
    for prefix, route in _leaves(routes):
        if prefix and not path.startswith(prefix):
            continue
        match, _ = route.matches(dict(scope, path=path[len(prefix) :]) if prefix else scope)
        template = getattr(route, "path", None)
        if match == Match.FULL and isinstance(template, str):
            return prefix + template
        if match == Match.PARTIAL and partial is None and isinstance(template, str):  # 405
            partial = prefix + template
    return partial or UNMATCHED


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, *, routes: Sequence[BaseRoute], metrics_enabled: bool) -> None:
        self.app = app
        self.routes = routes
        self.metrics_enabled = metrics_enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not (self.metrics_enabled or tracing.ON):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [0]

        async def send_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        span: Span | None = None
        token: Token[Context] | None = None
        method = str(scope.get("method", ""))
        if tracing.ON:
            parent = propagate.extract(scope, getter=_GETTER)
            span = tracing.TRACER.start_span(
                method,
                context=parent,
                kind=SpanKind.SERVER,
                attributes={"http.request.method": method},  # no raw path: MCP keys travel in it
            )
            token = otel_context.attach(trace.set_span_in_context(span, parent))
        failure: BaseException | None = None
        try:
            await self.app(scope, receive, send_status)
        except BaseException as exc:
            failure = exc
            raise
        finally:
            if not status[0]:  # no answer started: a crash is a 500, a client gone is nginx's 499
                status[0] = 500 if failure is None or isinstance(failure, Exception) else 499
            route = route_template(scope, self.routes, status[0])
            if span is not None and token is not None:
                otel_context.detach(token)
                span.update_name(f"{method} {route}")
                span.set_attribute("http.route", route)
                span.set_attribute("http.response.status_code", status[0])
                if isinstance(failure, Exception):
                    span.record_exception(failure)
                if status[0] >= 500:
                    span.set_status(Status(StatusCode.ERROR))
                span.end()
            if self.metrics_enabled and metrics.ON:
                metrics.http_request(method, route, status[0], time.perf_counter() - started)
