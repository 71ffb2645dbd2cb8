"""Every route the app mounts, with the parameters its request model and query declare.

Read from `create_app(...).routes` (FastAPI's `iter_route_contexts`), so a route added tomorrow is
walked without anyone listing it. Routes that read their body by hand (`query_and_body`) declare
nothing: they get the common FastGPT field names of `COMMON_FIELDS`.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel
from starlette.routing import Route

# Wire names of the ids and paging fields FastGPT routes take, for routes that declare no model.
COMMON_FIELDS: dict[str, str] = {
    "appId": "id",
    "chatId": "id",
    "id": "id",
    "dataId": "id",
    "datasetId": "id",
    "collectionId": "id",
    "offset": "int",
    "pageSize": "int",
}

SKIPPED_PREFIXES = ("/docs", "/redoc", "/openapi.json")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # id | int | float | bool | str | list | dict | any
    where: str  # query | body
    required: bool = False


@dataclass(frozen=True)
class RouteSpec:
    method: str
    path: str
    params: tuple[Param, ...] = field(default_factory=tuple)
    declared: bool = True

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def has_body(self) -> bool:
        return self.method in {"POST", "PUT", "PATCH", "DELETE"}


def _kind(name: str, annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kind(name, typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        kinds = {_kind(name, arg) for arg in typing.get_args(annotation) if arg is not type(None)}
        return kinds.pop() if len(kinds) == 1 else "any"
    if origin is typing.Literal:
        return "str"
    if origin in (list, tuple, set, frozenset):
        return "list"
    if origin is dict or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return "dict"
    if annotation is bool:
        return "bool"
    if annotation is int:
        return "int"
    if annotation is float:
        return "float"
    if annotation is str or (isinstance(annotation, type) and issubclass(annotation, str)):
        return "id" if name == "id" or name.endswith("Id") or name == "_id" else "str"
    return "any"


def _model(annotation: Any) -> type[BaseModel] | None:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        models = [_model(arg) for arg in typing.get_args(annotation) if arg is not type(None)]
        return models[0] if len(models) == 1 else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _params(dependant: Dependant) -> list[Param]:
    found: list[Param] = []
    for param in dependant.query_params:
        info = param.field_info
        found.append(Param(param.alias, _kind(param.alias, info.annotation), "query", info.is_required()))
    for param in dependant.body_params:
        model = _model(param.field_info.annotation)
        if model is not None:
            for name, info in model.model_fields.items():
                wire = info.alias or name
                found.append(Param(wire, _kind(wire, info.annotation), "body", info.is_required()))
        else:
            info = param.field_info
            found.append(Param(param.alias, _kind(param.alias, info.annotation), "body", info.is_required()))
    for sub in dependant.dependencies:
        found.extend(_params(sub))
    return found


def discover(app: FastAPI) -> list[RouteSpec]:
    specs: dict[str, RouteSpec] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        path = context.path or ""
        if not isinstance(route, Route) or path.startswith(SKIPPED_PREFIXES):
            continue
        params = tuple(dict.fromkeys(_params(route.dependant))) if isinstance(route, APIRoute) else ()
        declared = bool(params)
        for method in sorted(route.methods or ()):
            if method == "HEAD":
                continue
            spec_params = params
            if not declared:
                where = "body" if method in {"POST", "PUT", "PATCH", "DELETE"} else "query"
                spec_params = tuple(Param(name, kind, where) for name, kind in COMMON_FIELDS.items())
            spec = RouteSpec(method, path, spec_params, declared)
            specs.setdefault(spec.key, spec)
    return sorted(specs.values(), key=lambda spec: spec.key)
