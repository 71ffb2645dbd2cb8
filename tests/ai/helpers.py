"""Builders shared by the model-layer tests."""

from __future__ import annotations

from typing import Any

from pyfastgpt.ai.protocols import ChatMessage, ChatRequest
from pyfastgpt.ai.providers.http_rerank import HttpRerankModel
from pyfastgpt.ai.providers.openai_chat import OpenAIChatModel
from pyfastgpt.ai.providers.openai_embedding import OpenAIEmbeddingModel
from pyfastgpt.ai.providers.transport import HttpTransport, RetryPolicy
from tests.fake_llm import FakeLLM

FAST_RETRY = RetryPolicy(max_retries=2, initial_delay_s=0.01, max_delay_s=0.05)


class ProviderFactory:
    """Builds providers pointed at the fake server and closes their HTTP clients afterwards."""

    def __init__(self, fake: FakeLLM) -> None:
        self.fake = fake
        self.transports: list[HttpTransport] = []

    def transport(self, *, timeout_s: float = 10.0, retry: RetryPolicy = FAST_RETRY) -> HttpTransport:
        made = HttpTransport(
            provider="fake", base_url=self.fake.base_url, api_key="sk-test", timeout_s=timeout_s, retry=retry
        )
        self.transports.append(made)
        return made

    def chat(self, *, timeout_s: float = 10.0, retry: RetryPolicy = FAST_RETRY) -> OpenAIChatModel:
        return OpenAIChatModel("fake-chat", transport=self.transport(timeout_s=timeout_s, retry=retry))

    def embedding(self, dimension: int = 384, **kwargs: Any) -> OpenAIEmbeddingModel:
        return OpenAIEmbeddingModel("fake-embedding", transport=self.transport(), dimension=dimension, **kwargs)

    def rerank(self) -> HttpRerankModel:
        return HttpRerankModel("fake-rerank", transport=self.transport())

    async def aclose(self) -> None:
        for made in self.transports:
            await made.aclose()


def ask(text: str, **kwargs: Any) -> ChatRequest:
    return ChatRequest(messages=[ChatMessage(role="user", content=text)], **kwargs)
