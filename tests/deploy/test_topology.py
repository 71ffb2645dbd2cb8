"""Two `pyfastgpt serve` replicas and one `pyfastgpt worker` on one PostgreSQL and one S3 bucket
behave as one server: each check starts something on one replica and finishes it on the other.

The topology is deploy/compose.yaml's, as processes (tests/deploy/topology.py): a throwaway
PostgreSQL + pgvector, moto's S3 server, the fake OpenAI-compatible server for models.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from moto.server import ThreadedMotoServer

from pyfastgpt.services.demo_app import demo_workflow
from tests.api.core.dataset.helpers import call, create_dataset, wait_trained
from tests.api.v1.chat.helpers import answer_app
from tests.deploy.topology import ROOT_KEY, Replica, Topology, models_config, run_topology, shared_env
from tests.fake_llm import FakeLLM, Reply
from tests.support.pg import ThrowawayPostgres
from tests.workflow.helpers import answer_node, edge, start_node

pytestmark = pytest.mark.pg

COMPLETIONS = "/api/v1/chat/completions"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def topology(
    pg: ThrowawayPostgres, fake_llm: FakeLLM, s3_endpoint: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Topology]:
    models = models_config(tmp_path_factory.mktemp("topology-models"), fake_llm)
    with run_topology(shared_env(pg.new_database(), s3_endpoint, fake_llm, models)) as running:
        yield running


# --- helpers --------------------------------------------------------------------------------------------
def create_app(replica: Replica, graph: dict[str, Any], *, app_type: str = "advanced") -> tuple[str, str]:
    """An app and an app key, created on `replica`."""
    with replica.client(ROOT_KEY) as root:
        body = {"name": "Topology", "type": app_type, **{k: graph.get(k, {}) for k in ("nodes", "edges", "chatConfig")}}
        app_id: str = call(root, "POST", "/api/core/app/create", json=body)
        key: str = call(root, "POST", "/api/support/openapi/create", json={"appId": app_id, "name": "topology"})
    return app_id, key


def llm_app() -> dict[str, Any]:
    return demo_workflow("fake-llm")


def read_files_app() -> dict[str, Any]:
    """Start → readFiles(userFiles) → answer the files' text."""
    read: dict[str, Any] = {
        "nodeId": "rf",
        "flowNodeType": "readFiles",
        "name": "Read files",
        "inputs": [
            {
                "key": "fileUrlList",
                "renderTypeList": ["reference"],
                "valueType": "arrayString",
                "value": [["start", "userFiles"]],
            }
        ],
        "outputs": [{"id": "system_text", "key": "system_text", "type": "static", "valueType": "string"}],
    }
    return {
        "nodes": [start_node(), read, answer_node("a", ["rf", "system_text"])],
        "edges": [edge("start", "rf"), edge("rf", "a")],
        "chatConfig": {"fileSelectConfig": {"canSelectFile": True, "maxFiles": 5}},
    }


def ask(client: httpx.Client, chat_id: str, content: Any, **extra: Any) -> httpx.Response:
    messages = [{"role": "user", "content": content}]
    return client.post(COMPLETIONS, json={"chatId": chat_id, "stream": False, "messages": messages, **extra})


def answer_of(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    content: str = response.json()["choices"][0]["message"]["content"]
    return content


def share_chat(replica: Replica, share_id: str, text: str) -> httpx.Response:
    with replica.client() as anonymous:
        return ask(anonymous, f"share-{text}", text, shareId=share_id, outLinkUid="visitor-1")


def expect_error(response: httpx.Response, status: int, key: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["statusText"] == key, response.text


def wait_until(condition: Any, what: str, limit_s: float = 60.0) -> None:
    deadline = time.monotonic() + limit_s
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.05)


# --- checks ---------------------------------------------------------------------------------------------
def test_a_chat_started_on_one_replica_continues_on_the_other(topology: Topology, fake: FakeLLM) -> None:
    app_id, key = create_app(topology.a, llm_app(), app_type="simple")
    fake.rule("first question", Reply(content="first answer"))
    fake.rule("second question", Reply(content="second answer"))
    with topology.b.client(key) as b:
        assert answer_of(ask(b, "across", "first question")) == "first answer"
    with topology.a.client(key) as a:
        assert answer_of(ask(a, "across", "second question")) == "second answer"
    [second] = [r for r in fake.requests if "second question" in str(r.get("messages"))]
    history = [m["content"] for m in second["messages"] if m["role"] in ("user", "assistant")]
    assert history == ["first question", "first answer", "second question"]  # replica A read B's round
    with topology.b.client(key) as b:
        page = call(b, "POST", "/api/core/chat/getPaginationRecords",
                    json={"appId": app_id, "chatId": "across", "offset": 0, "pageSize": 10})  # fmt: skip
    assert page["total"] == 4 and [item["obj"] for item in page["list"]] == ["Human", "AI", "Human", "AI"]
    with topology.a.client(key) as a:
        chats = call(a, "POST", "/api/core/chat/getHistories", json={"appId": app_id, "offset": 0, "pageSize": 10})
    assert [chat["chatId"] for chat in chats["list"]] == ["across"] and chats["total"] == 1


def test_a_dataset_filled_on_one_replica_is_trained_by_the_worker_and_searched_on_the_other(
    topology: Topology,
) -> None:
    text = "The topology test's knowledge: replicas share one PostgreSQL and one bucket."
    with topology.a.client(ROOT_KEY) as a:
        dataset_id = create_dataset(a, name="topology kb")
    with topology.b.client(ROOT_KEY) as b:
        created = call(b, "POST", "/api/core/dataset/collection/create/text",
                       json={"datasetId": dataset_id, "name": "facts", "text": text})  # fmt: skip
    assert created["results"]["insertLen"] == 1
    with topology.a.client(ROOT_KEY) as a:
        wait_trained(a, dataset_id)  # the replicas run no training workers: the worker process trained it
    with topology.b.client(ROOT_KEY) as b:
        found = call(b, "POST", "/api/core/dataset/searchTest",
                     json={"datasetId": dataset_id, "text": text, "searchMode": "embedding", "similarity": 0})  # fmt: skip
    assert [item["q"] for item in found["list"]] == [text]


def test_a_key_deleted_on_one_replica_is_refused_by_the_other_at_once(topology: Topology) -> None:
    """B keeps the key it read (`CREDENTIAL_CACHE_S`, 10 s) until it hears the deletion's NOTIFY, which arrives
    with the commit: refused by A at once, by B within milliseconds (well before the cache's TTL)."""
    app_id, key = create_app(topology.a, answer_app("shared"))
    with topology.b.client(key) as b:
        for _ in range(2):  # B has read the key, and keeps it
            assert call(b, "GET", "/api/core/app/detail", params={"appId": app_id})["_id"] == app_id
    with topology.a.client(ROOT_KEY) as a:
        [listed] = call(a, "GET", "/api/support/openapi/list", params={"appId": app_id})
        call(a, "DELETE", "/api/support/openapi/delete", params={"id": listed["_id"]})
    with topology.a.client(key) as client:
        expect_error(client.get("/api/core/app/detail", params={"appId": app_id}), 401, "unAuthApiKey")
    with topology.b.client(key) as client:

        def refused() -> bool:
            return client.get("/api/core/app/detail", params={"appId": app_id}).status_code == 401

        wait_until(refused, "the deleted key refused by B", limit_s=5.0)  # the TTL would take 10 s
        expect_error(client.get("/api/core/app/detail", params={"appId": app_id}), 401, "unAuthApiKey")


def test_a_version_published_on_one_replica_answers_on_the_other_at_once(topology: Topology) -> None:
    """B keeps the published version it loaded (5 s) until it hears the `app_changes` notification."""
    app_id, key = create_app(topology.a, answer_app("first version"))
    with topology.b.client(key) as b:
        assert answer_of(ask(b, "v1", "hi")).strip() == "first version"  # B has loaded (and keeps) the version
    with topology.a.client(ROOT_KEY) as a:
        graph = answer_app("second version")
        body = {"nodes": graph["nodes"], "edges": graph["edges"], "chatConfig": {}, "isPublish": True}
        call(a, "POST", "/api/core/app/version/publish", params={"appId": app_id}, json=body)
    with topology.b.client(key) as b:
        wait_until(lambda: answer_of(ask(b, "v2", "hi")).strip() == "second version", "B answers with it", limit_s=2.0)


def test_the_share_link_qpm_limit_counts_requests_on_every_replica(topology: Topology) -> None:
    app_id, _ = create_app(topology.a, answer_app("shared"))
    with topology.a.client(ROOT_KEY) as a:
        share_id = call(a, "POST", "/api/support/outLink/create",
                        json={"appId": app_id, "type": "share", "name": "qpm", "limit": {"QPM": 3}})  # fmt: skip
    a, b = topology.a, topology.b
    answers = [share_chat(replica, share_id, f"q{i}") for i, replica in enumerate([a, b, a, b, a])]
    assert [r.status_code for r in answers] == [200, 200, 200, 429, 429], [r.text for r in answers]
    limited = answers[3]
    expect_error(limited, 429, "tooManyRequest")
    assert 1 <= int(limited.headers["Retry-After"]) <= 60


def test_a_share_link_deleted_on_one_replica_is_refused_by_the_other_at_once(topology: Topology) -> None:
    app_id, _ = create_app(topology.a, answer_app("shared"))
    with topology.a.client(ROOT_KEY) as a:
        share_id = call(a, "POST", "/api/support/outLink/create",
                        json={"appId": app_id, "type": "share", "name": "gone soon"})  # fmt: skip
    for _ in range(2):  # B has read the link, and keeps it (`CREDENTIAL_CACHE_S`) until it hears a change
        assert share_chat(topology.b, share_id, "before").status_code == 200
    with topology.a.client(ROOT_KEY) as a:
        [link] = call(a, "GET", "/api/support/outLink/list", params={"appId": app_id, "type": "share"})
        call(a, "DELETE", "/api/support/outLink/delete", params={"id": link["_id"]})
    expect_error(share_chat(topology.a, share_id, "after"), 404, "outlinkUnExist")
    wait_until(lambda: share_chat(topology.b, share_id, "after").status_code == 404, "B refuses it", limit_s=5.0)
    expect_error(share_chat(topology.b, share_id, "after"), 404, "outlinkUnExist")


def test_a_chat_file_presigned_on_one_replica_is_read_by_the_other(topology: Topology, tmp_path: Path) -> None:
    app_id, key = create_app(topology.a, read_files_app())
    content = b"Shipping takes five working days."
    with topology.a.client(key) as a:
        grant = call(a, "POST", "/api/core/chat/presignChatFilePostUrl",
                     json={"appId": app_id, "chatId": "files", "filename": "terms.txt"})  # fmt: skip
    uploaded = httpx.post(grant["url"], data=grant["fields"], files={"file": ("terms.txt", content, "text/plain")})
    assert uploaded.status_code in (200, 204), uploaded.text
    with topology.b.client(key) as b:
        url = call(b, "POST", "/api/core/chat/presignChatFileGetUrl", json={"appId": app_id, "key": grant["key"]})
        assert httpx.get(url).content == content
        parts = [{"type": "text", "text": "read it"}, {"type": "file_url", "name": "terms.txt", "url": url}]
        answer = answer_of(ask(b, "files", parts))
    assert "File: terms.txt" in answer and content.decode() in answer


def test_a_second_round_on_a_generating_chat_is_refused_on_every_replica(topology: Topology, fake: FakeLLM) -> None:
    app_id, key = create_app(topology.a, llm_app(), app_type="simple")
    fake.rule("long question", Reply(content=" ".join(["word"] * 2000), chunks=2000, delay_s=0.05))
    body = {"chatId": "busy", "stream": True, "messages": [{"role": "user", "content": "long question"}]}

    def asked() -> bool:
        return any("long question" in str(r.get("messages")) for r in fake.requests)

    with topology.a.client(key) as a, a.stream("POST", COMPLETIONS, json=body) as running:
        assert running.status_code == 200
        wait_until(asked, "replica A's round reached the model")
        for replica in (topology.b, topology.a):
            with replica.client(key) as client:
                expect_error(ask(client, "busy", "meanwhile"), 409, "chatIsGenerating")
    # the client left: v1 stops the run, and the chat is free again, on every replica
    with topology.b.client(key) as b:
        wait_until(lambda: ask(b, "busy", "afterwards").status_code != 409, "the chat was released")
        page = call(b, "POST", "/api/core/chat/getPaginationRecords",
                    json={"appId": app_id, "chatId": "busy", "offset": 0, "pageSize": 10})  # fmt: skip
    questions = [item["value"][0]["text"]["content"] for item in page["list"] if item["obj"] == "Human"]
    assert questions == ["long question", "afterwards"]
