"""`httpRequest468`: templated HTTP call; JSONPath-extracted outputs; errors to the catch branch."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import httpx
from jsonpath_ng.ext.parser import parse as jsonpath_parse

from pyfastgpt.core.json5 import parse_json5
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.events import AnswerDelta
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.node import ERROR_TEXT_KEY, Node, NodeResult, NodeRunError, node_error, register_node
from pyfastgpt.workflow.system_tools import SystemTool, get_tool
from pyfastgpt.workflow.templating import replace_editor_variable
from pyfastgpt.workflow.toolsets.secrets import secret_headers
from pyfastgpt.workflow.values import js_json, val_to_str

RAW_RESPONSE = "httpRawResponse"
DEFAULT_TIMEOUT_S = 30
_VAR = re.compile(r"\{\{([^{}]+?)\}\}")
_NODE_VAR = re.compile(r"\{\{\$([^.]+)\.([^$]+)\$\}\}")
_ARRAY_PATH = re.compile(r"[*]|\[[:?]|\.\.|,")
_RESERVED_OUTPUTS = {RAW_RESPONSE, "system_addOutputParam", "error", "system_error_text", "system_httpRawError"}


def _lookup(ctx: NodeContext, dynamic: dict[str, Any], key: str) -> tuple[bool, Any]:
    if key in dynamic:
        return True, dynamic[key]
    if key in ctx.variables:
        return True, ctx.variables[key]
    return False, None


def template_text(ctx: NodeContext, text: str, dynamic: dict[str, Any]) -> str:
    """`{{key}}` from dynamic inputs and globals, then `{{$node.output$}}`."""

    def simple(match: re.Match[str]) -> str:
        found, value = _lookup(ctx, dynamic, match.group(1))
        return val_to_str(value) if found else match.group(0)

    text = _VAR.sub(lambda m: m.group(0) if m.group(1).startswith("$") else simple(m), text)
    return str(replace_editor_variable(text, ctx.graph, ctx.variables))


def template_json_body(ctx: NodeContext, body: str, dynamic: dict[str, Any]) -> str:
    """Insert values JSON-aware: inside quotes strings are escaped, outside values are JSON."""

    def value_for(key: str) -> tuple[bool, Any]:
        node_match = _NODE_VAR.fullmatch("{{" + key + "}}")
        if node_match:
            text = replace_editor_variable("{{" + key + "}}", ctx.graph, ctx.variables)
            return True, text
        return _lookup(ctx, dynamic, key)

    out: list[str] = []
    position = 0
    for match in _VAR.finditer(body):
        out.append(body[position : match.start()])
        found, value = value_for(match.group(1))
        if not found:
            out.append(match.group(0))
        else:
            inside_string = _inside_string(body, match.start())
            if inside_string:
                text = value if isinstance(value, str) else val_to_str(value)
                out.append(json.dumps(text, ensure_ascii=False)[1:-1])
            elif isinstance(value, str):
                out.append(json.dumps(value, ensure_ascii=False) if not _looks_json(value) else value)
            else:
                out.append(js_json(value) if value is not None else "null")
        position = match.end()
    out.append(body[position:])
    return "".join(out)


def _looks_json(text: str) -> bool:
    stripped = text.strip()
    if not stripped:
        return False
    try:
        json.loads(stripped)
    except ValueError:
        return False
    return True


def _inside_string(text: str, index: int) -> bool:
    inside = False
    escaped = False
    for char in text[:index]:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            inside = not inside
    return inside


def _pairs(ctx: NodeContext, items: Any, dynamic: dict[str, Any]) -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = []
    for item in items or []:
        if not isinstance(item, dict) or not item.get("key"):
            continue
        key = template_text(ctx, str(item["key"]), dynamic)
        value = item.get("value")
        text = template_text(ctx, value, dynamic) if isinstance(value, str) else val_to_str(value)
        pairs.append((key, text))
    return pairs


def extract_outputs(ctx: NodeContext, result: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for output in ctx.node.outputs:
        if output.key in _RESERVED_OUTPUTS or output.raw.get("type") in ("hidden", "error"):
            continue
        path = output.key if output.key.startswith("$") else f"$.{output.key}"
        try:
            matches = [m.value for m in jsonpath_parse(path).find(result)]
        except Exception:
            matches = []
        if matches:
            values[output.key] = matches if _ARRAY_PATH.search(path) else matches[0]
    return values


async def _system_plugin(ctx: NodeContext, plugin: SystemTool, body: Any, response_info: dict[str, Any]) -> NodeResult:
    """4.8–4.9 system plugins are workflows whose HTTP node names a plugin callback instead of a URL."""
    try:
        result = await plugin.run_callback(ctx, body if isinstance(body, dict) else {})
    except NodeRunError as exc:
        return http_failure(ctx, str(exc), response_info)
    outputs = extract_outputs(ctx, result) if isinstance(result, (dict, list)) else {}
    return NodeResult(
        data={RAW_RESPONSE: result, **outputs},
        response={"totalPoints": 0, **response_info, "httpResult": result},
        tool_responses=outputs if outputs else result,
    )


def http_failure(ctx: NodeContext, text: str, response: dict[str, Any], raw: Any = None) -> NodeResult:
    """Apps saved before `catchError` existed get the message on the `error` output and continue;
    others take the error (catch) path."""
    info = {**response, "httpResult": {"error": raw if raw is not None else text}}
    if ctx.node.raw.get("catchError") is None:
        return NodeResult(data={"error": text, ERROR_TEXT_KEY: text}, response=info)
    result = node_error(text, custom_error={"error": text}, custom_response=info)
    return result


@dataclass(slots=True)
class HttpRequestInputs(NodeInputs):
    custom: dict[str, Any] = wire("system_addInputParam", factory=dict, or_default=True)
    method: Any = wire("system_httpMethod", "POST", or_default=True)
    url: Any = wire("system_httpReqUrl", "", or_default=True)
    headers: Any = wire("system_httpHeader")
    query: Any = wire("system_httpParams")
    content_type: Any = wire("system_httpContentType", "json", or_default=True)
    timeout: Any = wire("system_httpTimeout", DEFAULT_TIMEOUT_S, or_default=True)
    header_secret: Any = wire("system_header_secret")
    json_body: Any = wire("system_httpJsonBody", "", or_default=True)  # also the xml / raw-text body
    form_body: Any = wire("system_httpFormBody")


@register_node
class HttpRequestNode(Node[HttpRequestInputs]):
    node_type = "httpRequest468"
    inputs_type = HttpRequestInputs

    async def run(self, ctx: NodeContext, inputs: HttpRequestInputs) -> NodeResult:
        dynamic: dict[str, Any] = dict(inputs.custom)
        method = str(inputs.method).upper()
        url = template_text(ctx, str(inputs.url), dynamic).strip()
        # header names and values are trimmed: FastGPT (axios) sends `Bearer ` as `Bearer`, h11 refuses it
        headers = {k.strip(): str(v).strip() for k, v in _pairs(ctx, inputs.headers, dynamic) if k.strip()}
        params = _pairs(ctx, inputs.query, dynamic)
        content_type = str(inputs.content_type)
        timeout = float(inputs.timeout)
        request_kwargs: dict[str, Any] = {}
        body_preview: Any = None
        if method not in ("GET", "HEAD"):
            body_preview = self._body(ctx, inputs, dynamic, content_type, headers, request_kwargs)
        response_info: dict[str, Any] = {
            "params": dict(params) or None,
            "headers": headers or None,
            "body": body_preview if body_preview not in ({}, "") else None,
        }
        if not url:
            return http_failure(ctx, "Request URL is empty", response_info)
        try:  # stored secrets are sent but never shown; the node's own headers win (FastGPT's http468)
            headers = {**secret_headers(inputs.header_secret), **headers}
        except NodeRunError as exc:
            return http_failure(ctx, str(exc), response_info)
        if not url.startswith(("http://", "https://")):
            plugin = get_tool(url)
            if plugin is not None:  # FastGPT's `systemPluginCb[httpReqUrl]`: a system plugin run in process
                return await _system_plugin(ctx, plugin, body_preview, response_info)
            url = f"http://{url}"
        try:
            async with httpx.AsyncClient(timeout=timeout, follow_redirects=True) as client:
                # merged into the URL's own query: httpx replaces that query when `params=` is given
                target = httpx.URL(url).copy_merge_params(list(params))
                response = await client.request(method, target, headers=headers, **request_kwargs)
        except httpx.TimeoutException:
            return http_failure(ctx, f"HTTP request timed out after {timeout:g}s", response_info)
        except httpx.HTTPError as exc:
            reason = str(exc) or type(exc).__name__
            return http_failure(ctx, f"HTTP request failed: {reason}", response_info)
        try:
            result: Any = response.json()
        except ValueError:
            result = response.text
        if response.status_code >= 400:
            text = result if isinstance(result, str) else js_json(result)
            raw = {"message": f"Request failed with status code {response.status_code}", "data": result}
            return http_failure(ctx, f"HTTP {response.status_code}: {text[:500]}", response_info, raw)
        outputs = extract_outputs(ctx, result) if isinstance(result, (dict, list)) else {}
        if isinstance(result, dict) and isinstance(result.get("answerText"), str):
            ctx.emit(AnswerDelta(content=result["answerText"], fast=True))
        return NodeResult(
            data={RAW_RESPONSE: result, **outputs},
            response={"totalPoints": 0, **response_info, "httpResult": result},
            tool_responses=outputs if outputs else result,
        )

    @staticmethod
    def _body(
        ctx: NodeContext,
        inputs: HttpRequestInputs,
        dynamic: dict[str, Any],
        content_type: str,
        headers: dict[str, str],
        kwargs: dict[str, Any],
    ) -> Any:
        lower = {k.lower() for k in headers}
        if content_type == "json":
            raw = inputs.json_body
            text = template_json_body(ctx, raw, dynamic) if isinstance(raw, str) else js_json(raw)
            if not text.strip():
                return None
            try:
                body = parse_json5(text)
            except Exception:
                kwargs["content"] = text.encode()
                if "content-type" not in lower:
                    headers["Content-Type"] = "application/json"
                return text
            kwargs["json"] = body
            return body
        if content_type in ("form-data", "x-www-form-urlencoded"):
            pairs = _pairs(ctx, inputs.form_body, dynamic)
            if content_type == "form-data":
                kwargs["files"] = [(k, (None, v)) for k, v in pairs]
            else:
                kwargs["data"] = dict(pairs)
            return dict(pairs)
        if content_type in ("xml", "raw-text"):
            raw = inputs.json_body
            text = template_text(ctx, raw, dynamic) if isinstance(raw, str) else val_to_str(raw)
            kwargs["content"] = text.encode()
            if "content-type" not in lower:
                headers["Content-Type"] = "application/xml" if content_type == "xml" else "text/plain"
            return text
        return None
