"""Send one route its hostile requests and say what went wrong (5xx, slow answer, foreign data, log errors)."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.api.hostile.routes import Param, RouteSpec
from tests.api.hostile.values import DEEP, FOREIGN, LONG, UNKNOWN_ID, describe, sample
from tests.api.hostile.world import FOREIGN_MARKER, World

SLOW_S = 5.0
ID_KINDS = {
    "appId": "app",
    "chatId": "chat",
    "datasetId": "dataset",
    "collectionId": "collection",
    "dataId": "data",
    "shareId": "share",
    "teamId": "team",
    "tmbId": "tmb",
    "chatItemId": "chatItem",
    "chatItemDataId": "chatItem",
    "feedbackDataId": "data",
}
PATH_KINDS = (
    ("/dataset/collection", "collection"),
    ("/dataset/data", "data"),
    ("/dataset/", "dataset"),
    ("/outLink", "share"),
    ("/openapi", "key"),
    ("/support/mcp", "mcp"),
)
DESTRUCTIVE = re.compile(r"(?i)(delete|/del\b|clear|batchDelete)")
REQUIRED_DEFAULTS: dict[str, Any] = {"str": "hostile", "int": 1, "float": 0.5, "bool": False, "list": [], "dict": {}}
RAW_BODIES: list[tuple[str, bytes]] = [
    ("array body", b"[]"),
    ("null body", b"null"),
    ("string body", b'"x"'),
    ("malformed JSON", b'{"a":'),
    ("deep body", json.dumps(DEEP).encode()),
    ("surrogate key", b'{"\\udc00": "\\ud800"}'),
    ("invalid UTF-8", b'{"a": "\xff\xfe"}'),
]


class ErrorLog(logging.Handler):
    """Collects ERROR records (tracebacks included) from the server's loggers."""

    LOGGERS = ("", "pyfastgpt", "uvicorn", "uvicorn.error", "asyncio")

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if all(record is not seen for seen in self.records):
            self.records.append(record)

    @contextmanager
    def attached(self) -> Iterator[ErrorLog]:
        loggers = [logging.getLogger(name) for name in self.LOGGERS]
        for logger in loggers:
            logger.addHandler(self)
        try:
            yield self
        finally:
            for logger in loggers:
                logger.removeHandler(self)


@dataclass
class Probe:
    label: str
    query: dict[str, str]
    body: bytes | None


def _kind_of(spec: RouteSpec, name: str) -> str | None:
    if name in ID_KINDS:
        return ID_KINDS[name]
    if name in ("id", "_id"):
        return next((kind for fragment, kind in PATH_KINDS if fragment in spec.path), None)
    return None


def _baseline(spec: RouteSpec, world: World) -> dict[str, Any]:
    destructive = DESTRUCTIVE.search(spec.path) is not None
    values: dict[str, Any] = {}
    for param in spec.params:
        kind = _kind_of(spec, param.name)
        if kind and kind in world.mine.ids:
            values[param.name] = UNKNOWN_ID if destructive else world.mine.ids[kind]
        elif param.name == "messages":
            values[param.name] = [{"role": "user", "content": "hostile"}]
        elif param.required:
            values[param.name] = REQUIRED_DEFAULTS.get(param.kind, "hostile")
    return values


QUERY_LONG = "x" * 30_000  # httpx refuses URLs over 64 KiB; proxies refuse far less


def _query_text(value: Any) -> str:
    if value is LONG:
        return QUERY_LONG
    return value if isinstance(value, str) else json.dumps(value)


def _probe(spec: RouteSpec, label: str, values: dict[str, Any]) -> Probe:
    query = {
        p.name: _query_text(values[p.name])
        for p in spec.params
        if p.where == "query" and values.get(p.name) is not None
    }
    body_values = {p.name: values[p.name] for p in spec.params if p.where == "body" and p.name in values}
    body = json.dumps(body_values).encode() if spec.has_body else None
    return Probe(label, query, body)


def probes(spec: RouteSpec, world: World) -> list[Probe]:
    baseline = _baseline(spec, world)
    found = [_probe(spec, "baseline", baseline)]
    for param in spec.params:
        for value in sample(spec.key, param.name, param.kind):
            if value is FOREIGN:
                value = world.foreign.ids.get(_kind_of(spec, param.name) or "app", world.foreign.ids["app"])
            found.append(_probe(spec, f"{param.name}={describe(value)}", {**baseline, param.name: value}))
    if spec.has_body:
        query = _probe(spec, "", baseline).query
        found.extend(Probe(label, query, raw) for label, raw in RAW_BODIES)
    return found


def _url(spec: RouteSpec, query: dict[str, str]) -> str:
    """The path with its query; lone surrogates go out as the raw (CESU) bytes a careless client sends."""
    path = re.sub(r"\{[^}]+\}", "hostile-path-param", spec.path)
    return f"{path}?{urlencode(query, errors='surrogatepass')}" if query else path


def walk(spec: RouteSpec, client: httpx.Client, world: World, errors: ErrorLog) -> list[str]:
    """Every probe of `spec`; returns one line per problem."""
    problems: list[str] = []
    for probe in probes(spec, world):
        seen = len(errors.records)
        started = time.perf_counter()
        try:
            response = client.request(
                spec.method,
                _url(spec, probe.query),
                content=probe.body,
                headers={"content-type": "application/json"} if probe.body is not None else None,
            )
            status, text = response.status_code, response.text
        except httpx.HTTPError as exc:
            status, text = 0, f"transport error {exc!r}"
        elapsed = time.perf_counter() - started
        where = f"{spec.key} [{probe.label}]"
        if status == 0 or status >= 500:
            problems.append(f"{where} -> {status}: {text[:200]}")
        if elapsed > SLOW_S:
            problems.append(f"{where} took {elapsed:.1f} s")
        if FOREIGN_MARKER in text:
            problems.append(f"{where} leaked the other team's data: {text[:200]}")
        for record in errors.records[seen:]:
            problems.append(f"{where} logged {record.levelname}: {record.getMessage()[:200]} {record.exc_info!r:.200}")
    return problems


__all__ = ["ErrorLog", "Param", "probes", "walk"]
