"""collectionFilterMatch parsing, collection scope and the metadata filter."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.rag.search.filters import CollectionRow, collection_scope, metadata_matches, parse_search_filter

ROWS = [
    CollectionRow("tagged", ["a", "b"], datetime(2024, 5, 1, tzinfo=UTC), False, False),
    CollectionRow("only-a", ["a"], datetime(2023, 5, 1), False, False),  # naive = UTC
    CollectionRow("untagged", [], datetime(2024, 1, 1, tzinfo=UTC), False, False),
    CollectionRow("forbidden", ["a"], datetime(2024, 1, 1, tzinfo=UTC), True, False),
    CollectionRow("deleted", ["a"], datetime(2024, 1, 1, tzinfo=UTC), False, True),
]


def allowed(match: Any) -> list[str] | None:
    forbidden, ids = collection_scope(ROWS, parse_search_filter(match))
    assert forbidden == ["forbidden", "deleted"]
    return ids


def test_no_filter_only_forbids() -> None:
    assert allowed(None) is None and allowed("") is None and allowed({"metadata": {"x": 1}}) is None


@pytest.mark.parametrize(
    ("match", "ids"),
    [
        ({"tags": {"$and": ["a"]}}, ["tagged", "only-a"]),
        ({"tags": {"$and": ["a", "b", "a"]}}, ["tagged"]),
        ({"tags": {"$and": [None]}}, ["untagged"]),
        ({"tags": {"$and": [None, "a"]}}, []),
        ({"tags": {"$and": ["a"], "$or": [None]}}, ["tagged", "only-a"]),  # $and wins
        ({"tags": {"$or": ["b", None]}}, ["tagged", "untagged"]),
        ({"tags": {"$or": []}}, None),
        ({"createTime": {"$gte": "2024-01-01T00:00:00Z"}}, ["tagged", "untagged"]),
        ({"createTime": {"$lte": "2023-12-31"}}, ["only-a"]),
        ({"createTime": {"$gte": 1704067200000}}, ["tagged", "untagged"]),  # epoch milliseconds
        ({"tags": {"$or": ["a"]}, "createTime": {"$gte": "2024-01-01"}}, ["tagged"]),
        ({"collectionIds": ["untagged", "forbidden"]}, ["untagged"]),
        ("{tags: {$and: ['a'],}, createTime: {$lte: '2024-01-01T00:00:00Z'}}", ["only-a"]),
    ],
)
def test_collection_filters(match: Any, ids: list[str] | None) -> None:
    assert allowed(match) == ids


@pytest.mark.parametrize(
    "bad",
    [
        "[1, 2]",
        "{tags: ",
        {"tags": ["a"]},
        {"tags": {"$and": "a"}},
        {"tags": {"$or": [1]}},
        {"createTime": {"$gte": "yesterday"}},
        {"collectionIds": "x"},
        {"metadata": []},
        {"metadata": {"$where": "1"}},
        {"metadata": {"x": {"$regex": "a"}}},
        {"metadata": {"x": {"$in": 3}}},
        {"metadata": {"$or": []}},
        {"metadata": {"x": {"$exists": "yes"}}},
        "[" * 5000,
    ],
)
def test_invalid_filters_raise(bad: Any) -> None:
    with pytest.raises(InvalidRequest):
        parse_search_filter(bad)


META = {"lang": "en", "year": 2024, "score": 0.5, "labels": ["api", "limits"], "doc": {"part": "intro"}, "draft": False}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"lang": "en"}, True),
        ({"lang": "zh"}, False),
        ({"lang": "en", "year": 2023}, False),
        ({"year": {"$gte": 2024, "$lt": 2025}}, True),
        ({"year": {"$gt": "2000"}}, False),  # number vs string never compares
        ({"score": {"$lte": 0.5}}, True),
        ({"labels": {"$contains": "api"}}, True),
        ({"labels": ["api", "limits"]}, True),
        ({"lang": {"$in": ["zh", "en"]}}, True),
        ({"lang": {"$nin": ["en"]}}, False),
        ({"doc.part": "intro"}, True),
        ({"doc.part": {"$startsWith": "in"}}, True),
        ({"missing": {"$ne": 1}}, True),
        ({"missing": {"$nin": [1]}}, True),
        ({"missing": {"$exists": False}}, True),
        ({"missing": {"$gt": 1}}, False),
        ({"missing": None}, False),
        ({"draft": {"$eq": False}}, True),
        ({"draft": {"$lt": 1}}, False),  # booleans are not numbers here
        ({"$or": [{"lang": "zh"}, {"year": 2024}]}, True),
        ({"$and": [{"lang": "en"}, {"$not": {"year": 2024}}]}, False),
    ],
)
def test_metadata_matches(spec: dict[str, Any], expected: bool) -> None:
    assert metadata_matches(spec, META) is expected


def test_metadata_filter_on_data_without_metadata() -> None:
    assert metadata_matches({"lang": {"$ne": "en"}}, None) is True
    assert metadata_matches({"lang": "en"}, None) is False
    assert metadata_matches({}, None) is True
