"""The corpus files as apps to import, and a local stand-in for the web services they call.

Each `<source>-<name>.json` holds an app exactly as FastGPT stores it (a template's graph sits
under `workflow`, the old TypeScript templates use `modules`) plus a `_source` key saying where it
was copied from. `AppDefinition` is what a user imports: nodes, edges, chatConfig and app type.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from tests.fake_llm import serve_in_thread

CORPUS_DIR = Path(__file__).parent
# FastGPT's `emptyTemplates` are keyed by app type instead of storing it
EMPTY_TEMPLATE_TYPES = {"empty-simple": "simple", "empty-workflow": "advanced", "empty-plugin": "plugin"}


def corpus_names() -> list[str]:
    return sorted(path.stem for path in CORPUS_DIR.glob("*.json"))


@dataclass
class AppDefinition:
    name: str
    app_type: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    chat_config: dict[str, Any]
    source: dict[str, str]

    def node(self, node_id: str) -> dict[str, Any]:
        return next(n for n in self.nodes if n.get("nodeId") == node_id)

    def set_input(self, node_id: str, key: str, value: Any) -> None:
        """Change one stored input value (used to point an HTTP node at the local stand-in)."""
        item = next(i for i in self.node(node_id)["inputs"] if i.get("key") == key)
        item["value"] = value


def load_app(name: str) -> AppDefinition:
    """The app a user would import from corpus file `name` (a deep copy, free to edit)."""
    data: dict[str, Any] = json.loads((CORPUS_DIR / f"{name}.json").read_text(encoding="utf-8"))
    workflow = data.get("workflow")
    graph: dict[str, Any] = workflow if isinstance(workflow, dict) else data
    nodes = graph.get("nodes") or graph.get("modules") or []
    has_plugin_input = any(n.get("flowNodeType") == "pluginInput" for n in nodes)
    app_type = "plugin" if has_plugin_input else str(data.get("type") or EMPTY_TEMPLATE_TYPES.get(name, "advanced"))
    return AppDefinition(
        name=str(data.get("name") or name),
        app_type=app_type,
        nodes=copy.deepcopy(nodes),
        edges=copy.deepcopy(graph.get("edges") or []),
        chat_config=copy.deepcopy(graph.get("chatConfig") or {}),
        source=dict(data["_source"]),
    )


@dataclass
class StubCall:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: str

    def json(self) -> Any:
        return json.loads(self.body)


PAGE_HTML = "<html><head><title>Stub page</title></head><body><h1>Stub heading</h1><p>Stub body text</p></body></html>"

# What the stand-in answers, by path: the real services' response shapes, fixed values.
STUB_RESPONSES: dict[str, Any] = {
    "/v1/images/generations": {"created": 1, "data": [{"url": "https://img.example/dalle.png"}]},
    "/fal-ai/flux-pro": {"images": [{"url": "https://img.example/flux.png"}]},
    "/v7.0/search": {
        "webPages": {"value": [{"name": "BingTitle", "url": "https://bing.example/1", "snippet": "BingSnippet"}]}
    },
    "/customsearch/v1": {
        "items": [{"title": "GoogleTitle", "link": "https://g.example/1", "snippet": "GoogleSnippet"}]
    },
    "/google_search": {"prompt": "FastGPT is an open-source LLM platform"},
    "/appointment-lab": {"result": "小明 没有预约中的记录"},
    "/feishu": {"code": 0, "msg": "success"},
    "/dingtalk": {"errcode": 0, "errmsg": "ok"},
    "/wework": {"errcode": 0, "errmsg": "ok"},
    "/searxng": (
        '<html><body><article class="result"><h3>XngTitle</h3><a href="https://x.example/1">x</a>'
        '<p class="content">XngSnippet</p></article></body></html>'
    ),
}


@dataclass
class StubServer:
    """Plays the third-party web services of the corpus on 127.0.0.1 and records every request."""

    base_url: str = ""
    calls: list[StubCall] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()

    def recorded(self, path: str) -> list[StubCall]:
        with self._lock:
            return [c for c in self.calls if c.path == path]

    async def _handle(self, request: Request) -> Response:
        body = (await request.body()).decode("utf-8", "replace")
        call = StubCall(request.method, request.url.path, dict(request.query_params), dict(request.headers), body)
        with self._lock:
            self.calls.append(call)
        answer = PAGE_HTML if request.url.path.startswith("/page") else STUB_RESPONSES.get(request.url.path)
        if answer is None:
            return JSONResponse({"message": "not found"}, status_code=404)
        if isinstance(answer, str):
            return Response(answer, media_type="text/html")
        return JSONResponse(answer)

    def app(self) -> Starlette:
        methods = ["GET", "POST", "PUT", "DELETE"]
        return Starlette(routes=[Route("/{path:path}", self._handle, methods=methods)])


@contextmanager
def stub_server() -> Iterator[StubServer]:
    stub = StubServer()
    with serve_in_thread(stub.app()) as port:
        stub.base_url = f"http://127.0.0.1:{port}"
        yield stub


def flatten_responses(items: Any) -> list[dict[str, Any]]:
    """Every node response, including those nested in tool/plugin/loop details, in order."""
    found: list[dict[str, Any]] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        found.append(item)
        for value in item.values():
            if isinstance(value, list) and any(isinstance(v, dict) and "nodeId" in v for v in value):
                found.extend(flatten_responses(value))
    return found


def node_error(response: dict[str, Any]) -> str | None:
    """The error a node response carries, as text: FastGPT's `error`/`errorText`, or the
    `httpResult.error` of an HTTP node without catch branch (which FastGPT does not fail)."""
    http_result = response.get("httpResult")
    candidates = [response.get("error"), response.get("errorText")]
    candidates.append(http_result.get("error") if isinstance(http_result, dict) else None)
    for value in candidates:
        if value:
            return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return None


def answer_text(content: Any) -> str:
    """`choices[0].message.content` as plain text (a string, or the value items of detail mode)."""
    if isinstance(content, str):
        return content
    parts: list[str] = []
    for item in content if isinstance(content, list) else []:
        text = item.get("text") if isinstance(item, dict) else None
        if isinstance(text, dict):
            parts.append(str(text.get("content") or ""))
    return "".join(parts)
