"""HTTP embedding and rerank providers against the fake server."""

from __future__ import annotations

import numpy as np
import pytest

from pyfastgpt.ai.errors import ModelError
from pyfastgpt.ai.tokens import count_tokens
from tests.ai.helpers import ProviderFactory
from tests.fake_llm import FakeLLM, Reply, hashed_embedding


async def test_embeddings_are_batched_normalised_and_in_order(fake: FakeLLM, providers: ProviderFactory) -> None:
    texts = ["alpha beta", "gamma", "delta epsilon", "zeta", "eta theta"]
    result = await providers.embedding(batch_size=2).embed_passages(texts)
    assert result.vectors.shape == (5, 384) and result.vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(result.vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(result.vectors[3], hashed_embedding("zeta", 384), atol=1e-6)
    assert [body["input"] for body in fake.requests] == [texts[0:2], texts[2:4], texts[4:5]]
    assert result.tokens == sum(count_tokens(t) for t in texts)  # the usage of the three answers, summed
    assert all(body["encoding_format"] == "float" for body in fake.requests)


async def test_query_and_passage_configs_are_sent(fake: FakeLLM, providers: ProviderFactory) -> None:
    model = providers.embedding(query_body={"input_type": "query"}, passage_body={"input_type": "document"})
    await model.embed_queries(["q"])
    await model.embed_passages(["p"])
    assert [b["input_type"] for b in fake.requests] == ["query", "document"]


async def test_base64_embeddings_are_decoded(fake: FakeLLM, providers: ProviderFactory) -> None:
    model = providers.embedding(default_body={"encoding_format": "base64"})
    result = await model.embed_queries(["hello world"])
    assert np.allclose(result.vectors[0], hashed_embedding("hello world", 384), atol=1e-6)


async def test_empty_input_makes_no_request(fake: FakeLLM, providers: ProviderFactory) -> None:
    result = await providers.embedding().embed_queries([])
    assert result.vectors.shape == (0, 384) and result.tokens == 0
    assert fake.requests == []


async def test_dimension_mismatch_is_a_model_error(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.set_embedding_dimension("fake-embedding", 128)
    with pytest.raises(ModelError, match="128-d"):
        await providers.embedding(dimension=384).embed_queries(["x"])


async def test_embedding_429_is_retried(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.script_endpoint("embeddings", Reply(fault="429", retry_after=0))
    result = await providers.embedding().embed_queries(["x"])
    assert result.vectors.shape == (1, 384)
    assert len(fake.requests) == 2


async def test_malformed_embedding_answer_is_a_model_error(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.script_endpoint("embeddings", Reply(fault="malformed"))
    with pytest.raises(ModelError):
        await providers.embedding().embed_queries(["x"])


async def test_rerank_scores_align_with_documents(fake: FakeLLM, providers: ProviderFactory) -> None:
    documents = ["cats sleep all day", "the capital of france is paris", "paris france capital city"]
    result = await providers.rerank().rerank("capital of france", documents)
    assert len(result.scores) == 3
    assert result.scores[1] > result.scores[0] and result.scores[2] > result.scores[0]
    assert result.tokens > 0
    assert fake.requests[-1] == {
        "model": "fake-rerank",
        "query": "capital of france",
        "documents": documents,
        "top_n": 3,
    }


async def test_rerank_failure_after_retries_is_a_model_error(fake: FakeLLM, providers: ProviderFactory) -> None:
    fake.script_endpoint("rerank", *[Reply(fault="500")] * 3)
    with pytest.raises(ModelError) as caught:
        await providers.rerank().rerank("q", ["a"])
    assert caught.value.upstream_status == 500
    assert len(fake.requests) == 3
