"""Chat titles from a title model (`services/chat/title.py`) against the local fake OpenAI server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from pyfastgpt.ai.registry import build_registry
from pyfastgpt.core.config import Settings
from pyfastgpt.services.chat.title import TitleJob, generate_title, normalize_generated_title
from tests.fake_llm import FakeLLM, Reply


@pytest.fixture
async def registry(fake: FakeLLM) -> AsyncIterator[Any]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        local_llm_enabled=False,
        openai_base_url=fake.base_url,
        openai_api_key="x",
        default_llm="fake-llm",
        model_max_retries=0,
    )
    registry = build_registry(settings)
    yield registry
    await registry.aclose()


def test_generated_titles_are_cleaned_like_fastgpt() -> None:
    assert normalize_generated_title('  "FastGPT Docker Deployment"  ') == "FastGPT Docker Deployment"
    assert normalize_generated_title("## **知识库配置介绍**") == "知识库配置介绍**"
    assert normalize_generated_title("- a\n\n  b\tc") == "a b c"
    assert len(normalize_generated_title("x" * 200)) == 80


async def test_the_model_names_the_question(registry: Any, fake: FakeLLM) -> None:
    fake.script(Reply(content="“Nginx Download Guide”"))
    question = "how do I download nginx? " * 100
    assert await generate_title(registry, "fake-llm", question) == "Nginx Download Guide"
    messages = fake.requests[-1]["messages"]
    assert messages[0]["role"] == "system" and messages[0]["content"].startswith("You generate chat titles.")
    assert "<user_message>\n" + question[:1000] + "\n</user_message>" in messages[1]["content"]


@pytest.mark.parametrize("reply", [Reply(content="   "), Reply(content="新对话"), Reply(fault="500")])
async def test_an_unusable_answer_or_a_failure_is_no_title(registry: Any, fake: FakeLLM, reply: Reply) -> None:
    fake.script(reply)
    assert await generate_title(registry, "fake-llm", "hello") is None


async def test_a_slow_title_is_not_waited_for_beyond_the_limit(registry: Any, fake: FakeLLM) -> None:
    fake.script(Reply(content="Late Title", first_byte_delay_s=1.0))
    job = TitleJob(registry, "fake-llm", "hello")
    assert await job.result(0.05) is None
    assert await job.result(None) == "Late Title"
