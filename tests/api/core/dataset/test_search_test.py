"""`POST /api/core/dataset/searchTest` over a real server (SQLite and PostgreSQL).

Until the lead mounts the router in `api/routers.py`, this module mounts it on its own app (the
real `create_app`, plus `include_router`) and serves that over a real socket."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import select

from pyfastgpt.app import create_app
from pyfastgpt.core.config import Settings
from pyfastgpt.services.container import Services
from pyfastgpt.store.db import Database
from pyfastgpt.store.fulltext import build_fulltext_index
from pyfastgpt.store.models import UsageRecord
from pyfastgpt.store.vector import build_vector_store
from tests.conftest import make_settings
from tests.fake_llm import FakeLLM
from tests.rag.search.corpus import FORBIDDEN, MOTTO, PASSWORD, RATE_LIMIT, corpus
from tests.rag.search.kb import Built, Collection, Env
from tests.support.live import free_port

PATH = "/api/core/dataset/searchTest"


@contextmanager
def serve_app(app: FastAPI) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", loop="asyncio")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-search-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@dataclass
class Site:
    base_url: str
    root: httpx.Client
    team_key: httpx.Client
    app_key: httpx.Client
    kb: Built
    foreign: Built
    db: Database


@pytest.fixture(scope="module", params=["sqlite", "pg"])
async def site(request: pytest.FixtureRequest, fake_llm: FakeLLM) -> AsyncIterator[Site]:
    cluster = request.getfixturevalue("pg") if request.param == "pg" else None
    settings: Settings = make_settings(request.param, cluster, fake_llm)
    app = create_app(settings)
    with serve_app(app) as base_url:
        services: Services = app.state.services
        assert services.boot.root_key and services.boot.demo_app_key
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
            created = await client.post(
                "/api/support/openapi/create",
                json={"name": "team key"},
                headers={"Authorization": f"Bearer {services.boot.root_key}"},
            )
        root, team_key, app_key = (
            httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
            for key in (services.boot.root_key, created.json()["data"], services.boot.demo_app_key)
        )
        # a second handle on the same database writes the knowledge bases (the server's own engines
        # belong to its event loop); the server's stores read them on first search
        db = Database(settings.resolved_database_url)
        registry: Any = services.registry
        writer = Env(request.param, db, registry, build_vector_store(db, settings), build_fulltext_index(db), settings)
        kb = await writer.add_dataset(services.boot.root.team_id, corpus())
        other_team = await writer.add_team("someone else")
        foreign = await writer.add_dataset(other_team, [Collection("theirs", [PASSWORD])])
        yield Site(base_url, root, team_key, app_key, kb, foreign, db)
        for client in (root, team_key, app_key):
            client.close()
        await db.dispose()


def post(client: httpx.Client, **body: Any) -> httpx.Response:
    return client.post(PATH, json=body)


@pytest.mark.parametrize(
    ("mode", "text", "expected"),
    [
        ("embedding", "忘记密码了应该怎么办", PASSWORD),
        ("fullTextRecall", "上海交通大学 校训", MOTTO),
        ("mixedRecall", "how many requests per second can an API key send", RATE_LIMIT),
    ],
)
def test_search_test_returns_fastgpt_shape(site: Site, mode: str, text: str, expected: Any) -> None:
    response = post(site.root, datasetId=site.kb.dataset_id, text=text, searchMode=mode, similarity=0)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["code"] == 200
    data = body["data"]
    assert set(data) >= {
        "list",
        "duration",
        "searchMode",
        "limit",
        "similarity",
        "usingReRank",
        "usingSimilarityFilter",
    }
    assert data["searchMode"] == mode and data["limit"] == 5000 and data["usingReRank"] is False
    assert data["usingSimilarityFilter"] is (mode == "embedding")
    assert data["duration"].endswith("s") and float(data["duration"][:-1]) >= 0
    top = data["list"][0]
    assert top["q"] == expected.q and top["id"] == site.kb.data[expected.q]
    assert set(top) >= {
        "id",
        "datasetId",
        "collectionId",
        "sourceName",
        "sourceId",
        "q",
        "a",
        "chunkIndex",
        "updateTime",
        "score",
    }
    assert all(set(s) == {"type", "value", "index"} for s in top["score"])
    assert FORBIDDEN.q not in [item["q"] for item in data["list"]]


def test_limit_is_capped_and_budget_keeps_one(site: Site) -> None:
    big = post(site.root, datasetId=site.kb.dataset_id, text="cats", limit=999_999).json()["data"]
    assert big["limit"] == 20000
    one = post(site.root, datasetId=site.kb.dataset_id, text="cats", limit=1).json()["data"]
    assert len(one["list"]) == 1 and one["list"][0]["q"].startswith("Cats are small")


async def test_team_key_can_search_and_usage_is_recorded(site: Site) -> None:
    async with httpx.AsyncClient(base_url=site.base_url, headers=site.team_key.headers, timeout=60) as client:
        response = await client.post(PATH, json={"datasetId": site.kb.dataset_id, "text": "password reset"})
    assert response.status_code == 200, response.text
    async with site.db.read() as session:
        query = select(UsageRecord).where(UsageRecord.app_name == "Search test", UsageRecord.source == "api")
        records = list((await session.execute(query)).scalars())
    assert len(records) == 1
    item = records[0].items[0]
    assert item["moduleName"] == "Dataset search" and item["inputTokens"] > 0
    assert item["model"].startswith("multilingual-e5-small")


def test_rerank_without_a_rerank_model_is_silently_off(site: Site) -> None:
    # no rerank model is configured: rerank is off, so the similarity applies to the embedding score
    embedding = post(site.root, datasetId=site.kb.dataset_id, text="cats", usingReRank=True, similarity=0.99)
    data = embedding.json()["data"]
    assert data["usingReRank"] is False and data["usingSimilarityFilter"] is True and data["list"] == []
    mixed = post(
        site.root,
        datasetId=site.kb.dataset_id,
        text="cats",
        usingReRank=True,
        similarity=0.99,
        searchMode="mixedRecall",
    ).json()["data"]
    assert mixed["usingReRank"] is False and mixed["usingSimilarityFilter"] is False and mixed["list"]


def test_errors(site: Site) -> None:
    foreign = post(site.root, datasetId=site.foreign.dataset_id, text="密码")
    assert foreign.status_code == 403 and foreign.json()["statusText"] == "unAuthDataset"
    missing = post(site.root, datasetId="0" * 24, text="密码")
    assert missing.status_code == 404 and missing.json()["statusText"] == "unExistDataset"
    empty = post(site.root, datasetId=site.kb.dataset_id, text="")
    assert empty.status_code == 400 and empty.json()["statusText"] == "missingParams"
    bound = post(site.app_key, datasetId=site.kb.dataset_id, text="密码")
    assert bound.status_code == 403 and bound.json()["statusText"] == "unAuthDataset"
    anonymous = httpx.post(site.base_url + PATH, json={"datasetId": site.kb.dataset_id, "text": "x"})
    assert anonymous.status_code == 401
    bad_filter = post(site.root, datasetId=site.kb.dataset_id, text="x", collectionFilterMatch="{tags:")
    assert bad_filter.status_code == 400 and bad_filter.json()["statusText"] == "invalidParams"


def test_a_json5_filter_with_non_ascii_bare_keys_is_parsed(site: Site) -> None:
    """`{名字: …}`: bare keys in any script are JSON5 (the old hand-written scanner answered 500)."""
    plain = post(site.root, datasetId=site.kb.dataset_id, text="密码")
    assert plain.status_code == 200
    unmatched = post(
        site.root, datasetId=site.kb.dataset_id, text="密码", collectionFilterMatch="{metadata: {名字: 'x'},}"
    )
    assert unmatched.status_code == 200, unmatched.text
    assert unmatched.json()["data"]["list"] == []  # no chunk carries that metadata
    bare = post(site.root, datasetId=site.kb.dataset_id, text="密码", collectionFilterMatch="{名字: 'x'}")
    assert bare.status_code == 200, bare.text  # an unknown top-level key filters nothing, as in FastGPT
    assert len(bare.json()["data"]["list"]) == len(plain.json()["data"]["list"])
