"""HTTP tool sets (FastGPT's `runHTTPTool`, `packages/service/core/app/http.ts`).

A tool is `{name, description, path, method, inputSchema, outputSchema, requestSchema?,
staticParams?, staticHeaders?, staticBody?, headerSecret?}` inside a tool set
`{baseUrl, toolList, apiSchemaStr?, customHeaders?, headerSecret?}`.

Manual tools build the request from their templates (`{{param}}` replaced by the call's params):
GET sends the params as the query; other methods send only the static body. Imported tools (the
set keeps its OpenAPI text in `apiSchemaStr`) place each param where the OpenAPI operation says:
path, query, header, or the JSON body.
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from pyfastgpt.workflow.templating import replace_variable
from pyfastgpt.workflow.toolsets.secrets import custom_headers, secret_headers
from pyfastgpt.workflow.values import val_to_str

TIMEOUT_S = 300.0
CONTENT_TYPES = {
    "json": "application/json",
    "form-data": "multipart/form-data",
    "x-www-form-urlencoded": "application/x-www-form-urlencoded",
    "xml": "application/xml",
    "raw-text": "text/plain",
}
_PATH_PARAM = re.compile(r"\{([^}]+)\}")


@dataclass
class HttpRequestPlan:
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)
    json_body: Any = None
    content: bytes | None = None
    form: list[tuple[str, str]] | None = None
    multipart: bool = False


def _pairs(items: Any, params: dict[str, Any]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for item in items or []:
        if isinstance(item, dict) and item.get("key"):
            pairs.append(
                (str(replace_variable(item["key"], params)), str(replace_variable(item.get("value", ""), params)))
            )
    return pairs


def manual_request(tool: dict[str, Any], params: dict[str, Any], method: str) -> HttpRequestPlan:
    """`buildHttpRequest`: static templates; params go to the query for GET (or with static params)."""
    plan = HttpRequestPlan(path=str(tool.get("path") or ""))
    body = tool.get("staticBody") or {}
    body_type = str(body.get("type") or "none") if isinstance(body, dict) else "none"
    if body_type == "json":
        text = replace_variable(str(body.get("content") or "") or "{}", params)
        plan.json_body = json.loads(text)
    elif body_type in ("form-data", "x-www-form-urlencoded"):
        plan.form = _pairs(body.get("formData"), params)
        plan.multipart = body_type == "form-data"
    elif body_type in ("xml", "raw-text"):
        plan.content = str(replace_variable(str(body.get("content") or ""), params)).encode()
    elif method in ("POST", "PUT", "PATCH"):
        plan.json_body = {}
    if body_type in CONTENT_TYPES and body_type != "form-data":
        plan.headers["Content-Type"] = CONTENT_TYPES[body_type]
    static_params = tool.get("staticParams")
    plan.query = _pairs(static_params, params)
    if method == "GET" or static_params:
        plan.query = [(k, v) for k, v in plan.query if k not in params]
        plan.query += [(k, val_to_str(v)) for k, v in params.items() if v is not None]
    return plan


def parse_openapi(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        try:
            yaml = importlib.import_module("yaml")
        except ImportError as exc:
            raise ValueError("Invalid OpenAPI schema: not JSON (YAML support is not installed)") from exc
        data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError("Invalid OpenAPI schema")
    return data


def _serialize(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(val_to_str(v) for v in value)
    return val_to_str(value)


def openapi_request(api_schema: str, tool_path: str, method: str, params: dict[str, Any]) -> HttpRequestPlan:
    """`buildOpenAPIHttpRequest`: params placed by the OpenAPI operation's parameter locations."""
    spec = parse_openapi(api_schema)
    operation = ((spec.get("paths") or {}).get(tool_path) or {}).get(method.lower())
    if not isinstance(operation, dict):
        raise ValueError(f"OpenAPI operation not found: {method} {tool_path}")
    plan = HttpRequestPlan(path=tool_path)
    non_body: set[str] = set()
    path_values: dict[str, str] = {}
    for parameter in operation.get("parameters") or []:
        if not isinstance(parameter, dict) or parameter.get("in") == "body" or not parameter.get("name"):
            continue
        name, where = str(parameter["name"]), str(parameter.get("in"))
        non_body.add(name)
        value = params.get(name)
        if value is None:
            if parameter.get("required") or where == "path":
                raise ValueError(f"Missing OpenAPI {where} parameter: {name}")
            continue
        if where == "query":
            values = value if isinstance(value, list) else [value]
            plan.query += [(name, val_to_str(v)) for v in values]
        elif where == "header":
            plan.headers[name] = _serialize(value)
        elif where == "path":
            path_values[name] = quote(_serialize(value), safe="")
        else:
            raise ValueError(f"Unsupported OpenAPI parameter location: {where}")

    def fill(match: re.Match[str]) -> str:
        if match.group(1) not in path_values:
            raise ValueError(f"Missing OpenAPI path parameter: {match.group(1)}")
        return path_values[match.group(1)]

    plan.path = _PATH_PARAM.sub(fill, tool_path)
    request_body = operation.get("requestBody")
    if isinstance(request_body, dict):
        schema = ((request_body.get("content") or {}).get("application/json") or {}).get("schema")
        if not isinstance(schema, dict):
            raise ValueError("Only application/json OpenAPI request bodies are supported")
        properties = schema.get("properties") or {}
        for name in schema.get("required") or []:
            if params.get(name) is None:
                raise ValueError(f"Missing OpenAPI body parameter: {name}")
        open_body = schema.get("additionalProperties") is not False
        plan.json_body = {
            k: v for k, v in params.items() if v is not None and (k in properties or (k not in non_body and open_body))
        }
        plan.headers["Content-Type"] = "application/json"
    return plan


def full_url(base_url: str, path: str) -> str:
    """axios `baseURL` + `url`: an absolute `url` wins, else the two are joined by one slash."""
    if not base_url or path.startswith(("http://", "https://")):
        return path
    base = base_url if base_url.startswith(("http://", "https://")) else f"https://{base_url}"
    if not path:
        return base
    return base.rstrip("/") + "/" + path.lstrip("/")


async def run_http_tool(
    tool_set: dict[str, Any], tool: dict[str, Any], params: dict[str, Any], *, timeout_s: float = TIMEOUT_S
) -> tuple[Any, str | None]:
    """Returns `(data, None)` or `(None, errorMsg)` (axios-style messages)."""
    method = str(tool.get("method") or "POST").upper()
    try:
        api_schema = str(tool_set.get("apiSchemaStr") or "").strip()
        if api_schema:
            plan = openapi_request(api_schema, str(tool.get("path") or ""), method, params)
        else:
            plan = manual_request(tool, params, method)
        static_headers = dict(_pairs(tool.get("staticHeaders"), params))
        headers = {
            **plan.headers,
            **custom_headers(tool_set.get("customHeaders")),
            **secret_headers(tool.get("headerSecret") or tool_set.get("headerSecret")),
            **static_headers,
        }
        kwargs: dict[str, Any] = {}
        if plan.form is not None:
            kwargs["files" if plan.multipart else "data"] = (
                [(k, (None, v)) for k, v in plan.form] if plan.multipart else dict(plan.form)
            )
        elif plan.content is not None:
            kwargs["content"] = plan.content
        elif plan.json_body is not None:
            kwargs["json"] = plan.json_body
        url = full_url(str(tool_set.get("baseUrl") or ""), plan.path)
        async with httpx.AsyncClient(timeout=timeout_s) as client:
            query: list[tuple[str, str | int | float | bool | None]] = list(plan.query)
            response = await client.request(method, url, params=query or None, headers=headers, **kwargs)
    except httpx.TimeoutException:
        return None, f"timeout of {int(timeout_s * 1000)}ms exceeded"
    except httpx.HTTPError as exc:
        return None, str(exc) or type(exc).__name__
    except (ValueError, TypeError) as exc:
        return None, str(exc)
    if response.status_code >= 400:
        return None, f"Request failed with status code {response.status_code}"
    try:
        return response.json(), None
    except ValueError:
        return response.text, None
