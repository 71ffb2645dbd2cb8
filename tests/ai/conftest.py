from collections.abc import AsyncIterator

import pytest

from tests.ai.helpers import ProviderFactory
from tests.fake_llm import FakeLLM
from tests.fake_llm.fixtures import fake, fake_llm

__all__ = ["fake", "fake_llm", "providers"]


@pytest.fixture
async def providers(fake: FakeLLM) -> AsyncIterator[ProviderFactory]:
    factory = ProviderFactory(fake)
    yield factory
    await factory.aclose()
