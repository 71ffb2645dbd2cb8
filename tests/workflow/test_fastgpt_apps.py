"""Every real FastGPT app of `tests/workflow/apps/fastgpt/`, imported and run the way a user does.

For each app: `POST /api/core/app/create` with its nodes/edges/chatConfig, publish it
(`/api/core/app/version/publish`), create an app key, then one chat round through
`POST /api/v1/chat/completions` (`detail: true`) against the live server, whose only model
provider is the fake OpenAI server. The outcome is compared with what FastGPT does
(`apps/fastgpt/cases_*.py`). Web services the apps call are played by a local stand-in on
127.0.0.1; any other host name is refused, so no test reaches the internet.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from pyfastgpt.workflow.validate import validate_graph
from tests.fake_llm import FakeLLM
from tests.support.live import LiveServer
from tests.workflow.apps.fastgpt.cases_plugins import PLUGIN_CASES
from tests.workflow.apps.fastgpt.cases_workflows import WORKFLOW_CASES
from tests.workflow.apps.fastgpt.corpus import AppDefinition, StubServer, corpus_names, load_app, stub_server
from tests.workflow.apps.fastgpt.expectations import AppCase, check_run

CASES: dict[str, AppCase] = {case.name: case for case in (*WORKFLOW_CASES, *PLUGIN_CASES)}
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(scope="module")
def stub() -> Iterator[StubServer]:
    with stub_server() as server:
        yield server


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse to resolve any host but loopback, in this process (server thread included)."""
    real_getaddrinfo = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and name not in LOOPBACK_HOSTS:
            raise socket.gaierror(socket.EAI_NONAME, f"test network guard: {name} is not loopback")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)


def test_every_corpus_file_has_an_expectation() -> None:
    assert sorted(CASES) == corpus_names()
    assert len(CASES) >= 32
    sources = {name.split("-", 1)[0] for name in CASES}
    assert sources == {"template", "plugin", "doc", "empty"}


def _with_stub(value: Any, stub: StubServer) -> Any:
    if isinstance(value, str):
        return value.replace("{stub}", stub.base_url)
    return value


def import_app(server: LiveServer, app: AppDefinition) -> str:
    """Create, publish and key the app through the HTTP API; returns the app key."""
    graph = {"nodes": app.nodes, "edges": app.edges, "chatConfig": app.chat_config}
    with server.root as client:
        created = client.post("/api/core/app/create", json={"name": app.name, "type": app.app_type, **graph})
        assert created.status_code == 200, f"create: {created.status_code} {created.text[:500]}"
        app_id = created.json()["data"]
        published = client.post(
            "/api/core/app/version/publish",
            params={"appId": app_id},
            json={**graph, "isPublish": True, "versionName": "corpus"},
        )
        assert published.status_code == 200, f"publish: {published.status_code} {published.text[:500]}"
        key = client.post("/api/support/openapi/create", json={"appId": app_id, "name": "corpus"})
        assert key.status_code == 200, key.text
    return str(key.json()["data"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_fastgpt_app(name: str, sqlite_server: LiveServer, fake: FakeLLM, stub: StubServer) -> None:
    case = CASES[name]
    stub.reset()
    app = load_app(name)
    for node_id, path in case.http_urls.items():
        app.set_input(node_id, "system_httpReqUrl", stub.url(path))
    validate_graph(app.nodes, app.edges)
    key = import_app(sqlite_server, app)
    fake.script(*case.replies)
    payload = {
        "chatId": f"corpus-{name}",
        "stream": False,
        "detail": True,
        "messages": [{"role": "user", "content": _with_stub(case.question, stub)}],
        "variables": {k: _with_stub(v, stub) for k, v in case.variables.items()},
    }
    with sqlite_server.client(key) as client:
        response = client.post("/api/v1/chat/completions", json=payload, timeout=60)
    assert response.status_code == 200, f"chat: {response.status_code} {response.text[:1000]}"
    llm_requests = [c.body for c in fake.calls if c.path.endswith("/chat/completions")]
    problems = check_run(case, response.json(), llm_requests, stub)
    assert not problems, f"{name} ({case.exercises}):\n- " + "\n- ".join(problems)
