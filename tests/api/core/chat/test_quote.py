"""`record/getQuote` and `record/getCollectionQuote`: the chunks an answer quoted, as they were when it
was given, for callers who may see the chat; a real dataset search run on both backends."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.core.chat.support import add_key, call, chat, data_of, new_chat_id, refused
from tests.api.core.dataset.conftest import FAKE_EMBEDDING, models_config
from tests.api.core.dataset.helpers import wait_trained
from tests.api.v1.chat.helpers import create_app
from tests.conftest import make_settings
from tests.fake_llm import FakeLLM, Reply
from tests.support.live import LiveServer, serve

APPS = Path(__file__).resolve().parents[3] / "workflow" / "apps"
QUOTE = "/api/core/chat/record/getQuote"
COLLECTION_QUOTE = "/api/core/chat/record/getCollectionQuote"
CHUNKS = 7


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def quote_server(
    request: pytest.FixtureRequest, fake_llm: FakeLLM, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    backend: str = request.param
    cluster = request.getfixturevalue("pg") if backend == "pg" else None
    config = models_config(tmp_path_factory.mktemp(f"quote-models-{backend}"), fake_llm)
    settings = make_settings(backend, cluster, fake_llm, training_workers=1, models_config=config)
    with serve(settings, backend=backend, fake_llm=fake_llm) as live:
        yield live


@pytest.fixture(scope="module")
def quoted(quote_server: LiveServer) -> dict[str, Any]:
    """A dataset of one collection of CHUNKS chunks, an app searching it, and one answered chat."""
    server = quote_server
    with server.root as root:
        dataset_id = data_of(root.post("/api/core/dataset/create", json={"name": "kb", "vectorModel": FAKE_EMBEDDING}))
        collection_id = data_of(
            root.post("/api/core/dataset/collection/create", json={"datasetId": dataset_id, "name": "manual"})
        )
        items = [{"q": f"topic {i} question", "a": f"topic {i} answer", "chunkIndex": i} for i in range(CHUNKS)]
        data_of(root.post("/api/core/dataset/data/pushData", json={"collectionId": collection_id, "data": items}))
        wait_trained(root, dataset_id)
    graph = json.loads((APPS / "simple_kb.json").read_text("utf-8"))
    for node in graph["nodes"]:
        for item in node.get("inputs", []):
            if item["key"] == "datasets":
                item["value"] = [{"datasetId": dataset_id}]
            if item["key"] == "similarity":
                item["value"] = 0
    app_id, key = create_app(server, copy.deepcopy(graph))
    chat_id = new_chat_id("q")
    server.fake_llm.script(Reply(content="From the manual."))
    answer = chat(server, key, "topic question", chat_id, detail=True)
    search = next(r for r in answer["responseData"] if r["moduleType"] == "datasetSearchNode")
    quotes = search["quoteList"]
    assert quotes and {q["collectionId"] for q in quotes} == {collection_id}
    records = data_of(
        call(server, key, "POST", "/api/core/chat/getPaginationRecords", json={"appId": app_id, "chatId": chat_id})
    )
    return {
        "app_id": app_id, "key": key, "chat_id": chat_id, "dataset_id": dataset_id,
        "collection_id": collection_id, "quotes": quotes,
        "human_id": records["list"][0]["dataId"], "ai_id": records["list"][1]["dataId"],
    }  # fmt: skip


def body_of(q: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"appId": q["app_id"], "chatId": q["chat_id"], "chatItemDataId": q["ai_id"], **extra}


def test_get_quote_shows_chunks_as_they_were(quote_server: LiveServer, quoted: dict[str, Any]) -> None:
    server, q = quote_server, quoted
    ids = [item["id"] for item in q["quotes"]]
    body = body_of(q, datasetDataIdList=ids, collectionIdList=[q["collection_id"]])
    found = data_of(call(server, q["key"], "POST", QUOTE, json=body))
    assert [item["_id"] for item in found] == ids
    first = found[0]
    assert set(first) == {"_id", "q", "a", "updateTime", "index"}
    assert first["q"].startswith("topic ") and first["a"] == first["q"].replace("question", "answer")
    assert first["updateTime"].endswith("Z")
    # an id of another collection, or one that is not there, is left out
    body_missing = body_of(q, datasetDataIdList=["0" * 24, ids[0]], collectionIdList=[q["collection_id"]])
    assert [item["_id"] for item in data_of(call(server, q["key"], "POST", QUOTE, json=body_missing))] == [ids[0]]

    # the chunk is edited after the answer: the quote shows the text the answer saw, marked `updated`
    with server.root as root:
        data_of(root.put("/api/core/dataset/data/update", json={"dataId": ids[0], "q": "rewritten", "a": "new"}))
    again = data_of(call(server, q["key"], "POST", QUOTE, json=body))[0]
    assert again["q"] == first["q"] and again["a"] == first["a"] and again["updated"] is True
    assert again["updateTime"] == first["updateTime"]


def test_collection_quote_pages_through_the_collection(quote_server: LiveServer, quoted: dict[str, Any]) -> None:
    server, q = quote_server, quoted
    with server.root as root:
        page = data_of(
            root.post("/api/core/dataset/data/v2/list", json={"collectionId": q["collection_id"], "pageSize": 30})
        )
    by_index = {item["chunkIndex"]: item["_id"] for item in page["list"]}
    assert sorted(by_index) == list(range(CHUNKS))
    center = by_index[3]
    first = data_of(
        call(server, q["key"], "POST", COLLECTION_QUOTE,
             json=body_of(q, collectionId=q["collection_id"], initialId=center, anchor=3, pageSize=2))
    )  # fmt: skip
    assert [item["anchor"] for item in first["list"]] == [1, 2, 3, 4, 5]
    assert [item["id"] for item in first["list"]] == [by_index[i] for i in range(1, 6)]
    assert first["list"][0]["_id"] == first["list"][0]["id"] and first["list"][0]["index"] == 1
    assert first["hasMorePrev"] is True and first["hasMoreNext"] is True
    assert first["fileName"] == "manual" and first["collectionType"] == "virtual" and first["datasetType"] == "dataset"

    after = data_of(
        call(server, q["key"], "POST", COLLECTION_QUOTE,
             json=body_of(q, collectionId=q["collection_id"], nextId=by_index[5], anchor=5, pageSize=2))
    )  # fmt: skip
    assert [item["anchor"] for item in after["list"]] == [6] and after["hasMoreNext"] is False
    assert after["hasMorePrev"] is False
    before = data_of(
        call(server, q["key"], "POST", COLLECTION_QUOTE,
             json=body_of(q, collectionId=q["collection_id"], prevId=by_index[1], anchor=1, pageSize=2))
    )  # fmt: skip
    assert [item["anchor"] for item in before["list"]] == [0] and before["hasMorePrev"] is False
    # an initial id that is not in the collection: the first page
    start = data_of(
        call(server, q["key"], "POST", COLLECTION_QUOTE,
             json=body_of(q, collectionId=q["collection_id"], initialId="0" * 24, anchor=0, pageSize=3))
    )  # fmt: skip
    assert [item["anchor"] for item in start["list"]] == [0, 1, 2] and start["hasMoreNext"] is True
    # no cursor: an empty page
    empty = data_of(
        call(server, q["key"], "POST", COLLECTION_QUOTE, json=body_of(q, collectionId=q["collection_id"], anchor=0))
    )
    assert empty["list"] == [] and empty["hasMorePrev"] is False and empty["hasMoreNext"] is False


def test_quote_access(quote_server: LiveServer, quoted: dict[str, Any]) -> None:
    server, q = quote_server, quoted
    ids = [item["id"] for item in q["quotes"]]
    body = body_of(q, datasetDataIdList=ids, collectionIdList=[q["collection_id"]])
    member = add_key(server, other_member=True)
    stranger = add_key(server, other_team=True)
    refused(call(server, member, "POST", QUOTE, json=body), 403, "unAuthChat")
    refused(call(server, stranger, "POST", QUOTE, json=body), 403, "unAuthApp")
    page = body_of(q, collectionId=q["collection_id"], initialId=ids[0], anchor=0)
    refused(call(server, member, "POST", COLLECTION_QUOTE, json=page), 403, "unAuthChat")
    refused(call(server, stranger, "POST", COLLECTION_QUOTE, json=page), 403, "unAuthApp")
    # a collection the answer did not quote, or the user's message instead of the answer
    with server.root as root:
        other = data_of(
            root.post("/api/core/dataset/collection/create", json={"datasetId": q["dataset_id"], "name": "other"})
        )
    not_quoted = body_of(q, datasetDataIdList=ids, collectionIdList=[other])
    refused(call(server, q["key"], "POST", QUOTE, json=not_quoted), 403, "unAuthDatasetFile")
    refused(
        call(
            server, q["key"], "POST", COLLECTION_QUOTE, json=body_of(q, collectionId=other, initialId=ids[0], anchor=0)
        ),
        403,
        "unAuthDatasetFile",
    )
    human = {**body, "chatItemDataId": q["human_id"]}
    refused(call(server, q["key"], "POST", QUOTE, json=human), 403, "unAuthDatasetFile")
    # FastGPT: getCollectionQuote without an anchor is refused
    refused(call(server, q["key"], "POST", COLLECTION_QUOTE, json=body_of(q, collectionId=q["collection_id"])), 403,
            "unAuthChat")  # fmt: skip
    # missing chat / message, bad input
    refused(call(server, q["key"], "POST", QUOTE, json={**body, "chatId": "nope"}), 404, "invalidResource")
    refused(call(server, q["key"], "POST", QUOTE, json={**body, "chatItemDataId": "nope"}), 404, "invalidResource")
    refused(
        call(server, q["key"], "POST", QUOTE, json={**body, "datasetDataIdList": ["x"] * 201}), 400, "invalidParams"
    )
    refused(call(server, q["key"], "POST", COLLECTION_QUOTE, json={**page, "pageSize": 31}), 400, "invalidParams")
    refused(call(server, q["key"], "POST", QUOTE, json={"appId": q["app_id"]}), 400, "invalidParams")


@pytest.mark.parametrize("show_cite", [True, False])
def test_visitor_records_carry_quotes_only_when_the_link_shows_them(
    quote_server: LiveServer, quoted: dict[str, Any], show_cite: bool
) -> None:
    """FastGPT's transformPreviewHistories: without showCite a visitor's records have no totalQuoteList."""
    server, q = quote_server, quoted
    with server.root as root:
        share_id = data_of(root.post("/api/support/outLink/create", json={"appId": q["app_id"], "showCite": show_cite}))
    visitor = {"shareId": share_id, "outLinkUid": f"visitor-{show_cite}"}
    chat_id = new_chat_id("v")
    server.fake_llm.script(Reply(content="From the manual."))
    with server.client() as client:
        answered = client.post(
            "/api/v1/chat/completions",
            json={**visitor, "chatId": chat_id, "messages": [{"role": "user", "content": "topic question"}]},
        )
        assert answered.status_code == 200, answered.text
        records = data_of(client.post("/api/core/chat/getPaginationRecords", json={**visitor, "chatId": chat_id}))
    answer = records["list"][1]
    assert answer["obj"] == "AI"
    assert ("totalQuoteList" in answer) is show_cite
    if show_cite:
        assert {item["collectionId"] for item in answer["totalQuoteList"]} == {q["collection_id"]}
    with server.client(q["key"]) as client:  # the app's own key still sees them
        own = data_of(
            client.post("/api/core/chat/getPaginationRecords", json={"appId": q["app_id"], "chatId": q["chat_id"]})
        )
    assert own["list"][1]["totalQuoteList"]
