"""pytest fixtures for the fake OpenAI server: `pytest_plugins = ["tests.fake_llm.fixtures"]`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fake_llm import FakeLLM, start_fake_llm


@pytest.fixture(scope="session")
def fake_llm() -> Iterator[FakeLLM]:
    """One fake server for the whole session (not reset between tests: use `fake`)."""
    with start_fake_llm() as server:
        yield server


@pytest.fixture
def fake(fake_llm: FakeLLM) -> FakeLLM:
    """The session's fake server, with its script, rules and request log cleared."""
    fake_llm.reset()
    return fake_llm
