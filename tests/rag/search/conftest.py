"""One migrated database per backend with the corpus, shared by the module's tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from tests.fake_llm import FakeLLM
from tests.rag.search.corpus import PASSWORD, corpus
from tests.rag.search.kb import Built, Chunk, Collection, Env, open_env


@dataclass
class World:
    env: Env
    team: str
    other_team: str
    kb: Built
    second: Built  # another dataset of `team`
    foreign: Built  # a dataset of `other_team`


@pytest.fixture(scope="module", params=["sqlite", "pg"])
async def world(request: pytest.FixtureRequest, fake_llm: FakeLLM) -> AsyncIterator[World]:
    env = await open_env(request.param, request, fake_llm)
    team = await env.add_team("team A")
    other = await env.add_team("team B")
    kb = await env.add_dataset(team, corpus(), name="main")
    second = await env.add_dataset(
        team, [Collection("notes", [Chunk("Tokyo is the capital of Japan.", "Population about 14 million.")])]
    )
    foreign = await env.add_dataset(other, [Collection("theirs", [PASSWORD])], name="foreign")
    yield World(env, team, other, kb, second, foreign)
    await env.close()
