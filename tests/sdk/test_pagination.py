"""Auto-paging: the cursor rules, and the requests ``list_all`` sends for offset and pageNum routes."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

import pytest

from fastgpt_client import AsyncFastGPTClient, FastGPTClient
from fastgpt_client._pagination import PageCursor, page_items, page_total
from tests.sdk.conftest import ScriptedServer


def envelope(data: Any) -> tuple[int, dict[str, str], dict[str, Any]]:
    return (200, {}, {"code": 200, "statusText": "", "message": "", "data": data})


def bodies(server: ScriptedServer, path: str) -> list[dict[str, Any]]:
    return [json.loads(item["body"]) for item in server.requests if item["path"] == path]


def test_offset_cursor_advances_by_items_received_and_stops_at_total() -> None:
    cursor = PageCursor("offset", 3)
    assert cursor.request().offset == 0 and cursor.request().page_size == 3
    assert cursor.advance({"list": [1, 2], "total": 5}) == [1, 2]  # the server clamped the page to 2
    assert not cursor.done and cursor.request().offset == 2
    cursor.advance({"list": [3, 4], "total": 5})
    cursor.advance({"list": [5], "total": 5})
    assert cursor.done and cursor.offset == 5


def test_cursor_stop_rules() -> None:
    no_total = PageCursor("offset", 2)
    no_total.advance({"list": [1, 2]})
    assert not no_total.done
    no_total.advance({"list": [3]})
    assert no_total.done  # a short page ends a route without `total`
    empty = PageCursor("pageNum", 10)
    empty.advance({"list": [], "total": 99})
    assert empty.done  # an empty page always ends, whatever `total` says
    bare = PageCursor("pageNum", 2)
    assert bare.advance([1, 2, 3]) == [1, 2, 3] and bare.done  # the route ignored paging
    legacy = PageCursor("pageNum", 2, start=4)
    assert legacy.request().page_num == 3
    legacy.advance({"pageNum": 3, "pageSize": 2, "data": ["a", "b"], "total": 9})
    assert legacy.request().page_num == 4 and not legacy.done
    assert page_items({"data": [1]}) == [1] and page_items(None) == [] and page_total({"total": True}) is None
    with pytest.raises(ValueError):
        PageCursor("offset", 0)


def test_histories_list_all_pages_by_offset(scripted_server: ScriptedServer) -> None:
    path = "/api/core/chat/getHistories"
    scripted_server.script(
        path,
        envelope({"list": [{"chatId": "c1"}, {"chatId": "c2"}], "total": 5}),
        envelope({"list": [{"chatId": "c3"}, {"chatId": "c4"}], "total": 5}),
        envelope({"list": [{"chatId": "c5"}], "total": 5}),
    )
    with FastGPTClient("k", base_url=scripted_server.base_url, max_retries=1) as client:
        items = client.chat.histories.list_all(app_id="app1", page_size=3, source="api")
        assert scripted_server.requests == []  # nothing is fetched before iterating
        assert [item["chatId"] for item in items] == ["c1", "c2", "c3", "c4", "c5"]
    sent = bodies(scripted_server, path)
    assert [(body["offset"], body["pageSize"]) for body in sent] == [(0, 3), (2, 3), (4, 3)]
    assert all(body["appId"] == "app1" and body["source"] == "api" and "pageNum" not in body for body in sent)


def test_iteration_stops_early_without_fetching_more(scripted_server: ScriptedServer) -> None:
    path = "/api/core/dataset/data/v2/list"
    scripted_server.script(path, envelope({"list": [{"q": str(i)} for i in range(30)], "total": 1000}))
    with FastGPTClient("k", base_url=scripted_server.base_url) as client:
        seen = []
        for item in client.datasets.data.list_all("col1"):
            seen.append(item["q"])
            if len(seen) == 5:
                break
        assert seen == ["0", "1", "2", "3", "4"]
    assert scripted_server.hits[path] == 1


async def test_models_list_all_pages_by_page_num(scripted_server: ScriptedServer) -> None:
    path = "/api/core/ai/model/list"
    scripted_server.script(
        path,
        envelope({"list": [{"model": "a"}, {"model": "b"}], "total": 3}),
        envelope({"list": [{"model": "c"}], "total": 3}),
    )
    async with AsyncFastGPTClient("k", base_url=scripted_server.base_url) as client:
        names = [model["model"] async for model in client.models.list_all(page_size=2)]
    assert names == ["a", "b", "c"]
    queries = [parse_qs(item["query"]) for item in scripted_server.requests]
    assert [(q["pageNum"], q["pageSize"]) for q in queries] == [(["1"], ["2"]), (["2"], ["2"])]


def test_legacy_collection_list_all_reads_data_key(scripted_server: ScriptedServer) -> None:
    path = "/api/core/dataset/collection/list"
    scripted_server.script(
        path,
        envelope({"pageNum": 1, "pageSize": 2, "data": [{"_id": "x"}, {"_id": "y"}], "total": 3}),
        envelope({"pageNum": 2, "pageSize": 2, "data": [{"_id": "z"}], "total": 3}),
    )
    with FastGPTClient("k", base_url=scripted_server.base_url) as client:
        ids = [item["_id"] for item in client.datasets.collections.list_legacy_all("ds1", page_size=2)]
    assert ids == ["x", "y", "z"]
    assert [body["pageNum"] for body in bodies(scripted_server, path)] == [1, 2]
