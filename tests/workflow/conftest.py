from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from pyfastgpt.core.config import Settings
from pyfastgpt.workflow.runner import WorkflowDeps
from tests.fake_llm import FakeLLM


def _settings(base_url: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        openai_base_url=base_url,
        openai_api_key="x",
        default_llm="fake-llm",
        local_llm_enabled=False,
        model_max_retries=0,
        model_timeout_s=10,
        code_sandbox_timeout_s=3,
    )


def _registry(settings: Settings) -> Any:
    try:
        module = importlib.import_module("pyfastgpt.ai.registry")
    except ImportError:
        return None
    return module.build_registry(settings)


@pytest.fixture(scope="session")
async def shared_registry(fake_llm: FakeLLM) -> AsyncIterator[Any]:
    """One registry (and HTTP client pool) for the session, talking to the fake server."""
    registry = _registry(_settings(fake_llm.base_url))
    yield registry
    if registry is not None:
        await registry.aclose()


@pytest.fixture
def deps(fake: FakeLLM, shared_registry: Any) -> WorkflowDeps:
    """Engine dependencies whose LLM is the local fake OpenAI server (script reset per test)."""
    if shared_registry is None:
        pytest.skip("pyfastgpt.ai.registry.build_registry is not available yet")
    return WorkflowDeps(registry=shared_registry, settings=_settings(fake.base_url))


@pytest.fixture
def plain_deps(fake_llm: FakeLLM, shared_registry: Any) -> WorkflowDeps:
    """Dependencies for graphs without model nodes."""
    return WorkflowDeps(registry=shared_registry, settings=_settings(fake_llm.base_url))
