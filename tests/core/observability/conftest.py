"""Fixtures of the core observability tests: the switches, and HTTP to the fake provider."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from pyfastgpt.ai.providers.transport import HttpTransport, RetryPolicy
from pyfastgpt.core.observability import metrics
from tests.fake_llm import FakeLLM


@pytest.fixture
async def transport(fake: FakeLLM) -> AsyncIterator[HttpTransport]:
    """HTTP to the fake provider, without retries (a 500 fails the call at once)."""
    opened = HttpTransport(provider="openai", base_url=fake.base_url, retry=RetryPolicy(max_retries=0))
    try:
        yield opened
    finally:
        await opened.aclose()


@pytest.fixture
def metrics_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Metrics off, whatever live servers of the session hold (they are idle during the test)."""
    monkeypatch.setattr(metrics, "ON", False)
    monkeypatch.setattr(metrics, "_holders", 0)


@pytest.fixture
def metrics_on() -> Iterator[None]:
    metrics.acquire()
    try:
        yield
    finally:
        metrics.release()
