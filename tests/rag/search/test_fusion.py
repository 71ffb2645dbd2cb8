"""The result-list arithmetic, with numbers computed by hand."""

from __future__ import annotations

from typing import Any

import pytest

from pyfastgpt.ai.tokens import count_tokens
from pyfastgpt.rag.search.fusion import (
    concat_recall_lists,
    filter_by_similarity,
    limit_by_tokens,
    remove_duplicates,
    score_of,
    weighted_rrf,
)


def item(key: str, score_type: str = "embedding", value: float = 0.5, index: int = 0, **extra: Any) -> dict[str, Any]:
    return {"id": key, "q": extra.pop("q", f"question {key}"), "a": extra.pop("a", ""), **extra,
            "score": [{"type": score_type, "value": value, "index": index}]}  # fmt: skip


def test_weighted_rrf_sums_weight_over_k_plus_rank() -> None:
    embedding = [item("x", value=0.9, index=0), item("y", value=0.8, index=1)]
    full_text = [item("y", "fullText", 7.0, 0), item("z", "fullText", 3.0, 1)]
    fused = weighted_rrf([(0.7, embedding), (0.3, full_text)])
    expected = {"x": 0.7 / 61, "y": 0.7 / 62 + 0.3 / 61, "z": 0.3 / 62}
    assert [f["id"] for f in fused] == ["y", "x", "z"]
    for position, entry in enumerate(fused):
        assert score_of(entry, "rrf") == pytest.approx(expected[entry["id"]])
        assert next(s for s in entry["score"] if s["type"] == "rrf")["index"] == position
    y = fused[0]
    assert [s["type"] for s in y["score"]] == ["embedding", "fullText", "rrf"]
    assert score_of(y, "embedding") == 0.8 and score_of(y, "fullText") == 7.0
    assert embedding[1]["score"] == [{"type": "embedding", "value": 0.8, "index": 1}]  # inputs untouched


def test_same_type_scores_keep_the_maximum_and_rrf_is_replaced() -> None:
    first = [item("a", value=0.4), item("b", value=0.3, index=1)]
    second = [item("b", value=0.95), item("a", value=0.2, index=1)]
    fused = weighted_rrf([(1, first), (1, second)])
    assert {f["id"]: score_of(f, "embedding") for f in fused} == {"a": 0.4, "b": 0.95}
    again = weighted_rrf([(1, fused), (1, [item("b", "reRank", 0.1)])])
    b = next(f for f in again if f["id"] == "b")
    assert [s["type"] for s in b["score"]].count("rrf") == 1
    assert [f["id"] for f in fused] == ["a", "b"]  # a tie keeps first-seen order
    assert score_of(b, "rrf") == pytest.approx(1 / 62 + 1 / 61)  # b: 2nd of `fused`, 1st of the rerank list


def test_single_or_empty_lists_pass_through() -> None:
    only = [item("a"), item("b")]
    assert weighted_rrf([(0.5, only), (0.5, [])]) == only
    assert weighted_rrf([(1.0, only), (0.0, [item("c")])]) == only  # weight 0 drops a list
    assert all(score_of(entry, "rrf") is None for entry in weighted_rrf([(1, only)]))
    assert weighted_rrf([(1, []), (1, [])]) == []
    assert concat_recall_lists([only, [item("c")]], limit=2) == weighted_rrf([(1, only), (1, [item("c")])])[:2]


def test_duplicates_by_text_without_punctuation_or_spaces() -> None:
    items = [
        item("1", q="Reset a password?", a="Use the link."),
        item("2", q="reset a password", a="Use the link"),
        item("3", q="Reset a password", a="Use the link!!"),
        item("4", q="重置密码。", a="点击链接"),
        item("5", q="重置 密码", a="点击链接！"),
    ]
    assert [i["id"] for i in remove_duplicates(items)] == ["1", "2", "4"]  # case is kept, as FastGPT


def test_similarity_filter_rules() -> None:
    items = [item("a", value=0.9), item("b", value=0.2), item("c", "fullText", 0.1)]
    kept, used = filter_by_similarity(items, using_rerank=False, search_mode="embedding", similarity=0.5)
    assert [i["id"] for i in kept] == ["a", "c"] and used  # no embedding score: kept
    kept, used = filter_by_similarity(items, using_rerank=False, search_mode="mixedRecall", similarity=0.5)
    assert len(kept) == 3 and not used
    reranked = [item("a", "reRank", 0.1), item("b", "reRank", 0.7)]
    kept, used = filter_by_similarity(reranked, using_rerank=True, search_mode="fullTextRecall", similarity=0.5)
    assert [i["id"] for i in kept] == ["b"] and used


def test_token_budget_pushes_then_stops_once_over() -> None:
    items = [item(str(n), q="word " * 10) for n in range(5)]
    each = count_tokens("word " * 10)
    assert len(limit_by_tokens(items, 1)) == 1
    assert len(limit_by_tokens(items, each)) == 2
    assert len(limit_by_tokens(items, each * 2 + 1)) == 3
    assert len(limit_by_tokens(items, 10**6)) == 5
    assert all(entry["tokens"] == each for entry in limit_by_tokens(items, 10**6))
    assert limit_by_tokens([], 5) == []


def test_token_budget_reads_the_count_stored_with_the_chunk() -> None:
    counted = {"id": "a", "q": "alpha beta gamma", "a": ""}
    stored = {"id": "b", "q": "alpha beta gamma", "a": "", "tokens": 1000}
    assert limit_by_tokens([counted], 10**6)[0]["tokens"] == count_tokens("alpha beta gamma")
    # the stored figure wins (it is what count_tokens gave when q and a were written)
    assert [item["tokens"] for item in limit_by_tokens([stored, counted], 10**6)] == [
        1000,
        count_tokens("alpha beta gamma"),
    ]
    assert len(limit_by_tokens([stored, counted], 999)) == 1
