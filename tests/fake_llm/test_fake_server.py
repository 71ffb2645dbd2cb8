"""The fake server speaks the protocol the official OpenAI client expects."""

from __future__ import annotations

from collections.abc import AsyncIterator

import numpy as np
import openai
import pytest

from tests.fake_llm import FakeLLM, Reply, hashed_embedding
from tests.fake_llm.fixtures import fake, fake_llm

__all__ = ["fake", "fake_llm"]


@pytest.fixture
async def client(fake: FakeLLM) -> AsyncIterator[openai.AsyncOpenAI]:
    async with openai.AsyncOpenAI(base_url=fake.base_url, api_key="sk-test", max_retries=0) as client:
        yield client


async def test_openai_client_reads_a_completion(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    fake.script(Reply(content="hi", usage=(7, 1)))
    answer = await client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hello"}])
    assert answer.choices[0].message.content == "hi"
    assert answer.usage is not None and answer.usage.prompt_tokens == 7
    assert fake.requests[-1]["messages"] == [{"role": "user", "content": "hello"}]


async def test_openai_client_reads_a_stream_with_tool_calls(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    fake.script(Reply(content="checking", tool_calls=[("get_weather", '{"city":"Paris"}')]))
    stream = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "w"}], stream=True, stream_options={"include_usage": True}
    )
    content, arguments, usage = "", "", None
    async for chunk in stream:
        usage = chunk.usage or usage
        if chunk.choices:
            delta = chunk.choices[0].delta
            content += delta.content or ""
            for call in delta.tool_calls or []:
                arguments += call.function.arguments or "" if call.function else ""
    assert content == "checking" and arguments == '{"city":"Paris"}'
    assert usage is not None and usage.completion_tokens > 0


async def test_openai_client_reads_base64_embeddings(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    fake.set_embedding_dimension("small", 64)
    answer = await client.embeddings.create(model="small", input=["one two", "three"])
    vector = np.asarray(answer.data[0].embedding, dtype=np.float32)
    assert vector.shape == (64,) and np.allclose(vector, hashed_embedding("one two", 64), atol=1e-6)


async def test_openai_client_sees_429_with_retry_after(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    fake.script(Reply(fault="429", retry_after=7))
    with pytest.raises(openai.RateLimitError) as caught:
        await client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    assert caught.value.response.headers["retry-after"] == "7"


async def test_models_route_lists_fake_models(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    ids = [model.id async for model in client.models.list()]
    assert {"fake-chat", "fake-embedding", "fake-rerank"} <= set(ids)
