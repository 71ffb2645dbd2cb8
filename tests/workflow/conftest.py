from __future__ import annotations

import importlib
from typing import Any

import pytest

from pyfastgpt.core.config import Settings
from pyfastgpt.workflow.runner import WorkflowDeps
from tests.fake_llm import FakeLLM

pytest_plugins = ["tests.fake_llm.fixtures"]


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


@pytest.fixture
def deps(fake: FakeLLM) -> WorkflowDeps:
    """Engine dependencies whose LLM is the local fake OpenAI server."""
    settings = _settings(fake.base_url)
    registry = _registry(settings)
    if registry is None:
        pytest.skip("pyfastgpt.ai.registry.build_registry is not available yet")
    return WorkflowDeps(registry=registry, settings=settings)


@pytest.fixture
def plain_deps(fake_llm: FakeLLM) -> WorkflowDeps:
    """Dependencies for graphs without model nodes (the registry is built when available)."""
    settings = _settings(fake_llm.base_url)
    return WorkflowDeps(registry=_registry(settings), settings=settings)
