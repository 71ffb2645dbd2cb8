"""Static typing of the public surface: Literal overloads of ``create`` and narrowing of stream events."""

from __future__ import annotations

from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

SNIPPET = """
from typing import assert_type
from fastgpt_client import AsyncFastGPTClient, AsyncStream, FastGPTClient, Stream, StreamEvent
from fastgpt_client.types import ChatCompletion

def sync_usage(client: FastGPTClient, flag: bool) -> None:
    assert_type(client.chat.completions.create(messages=[]), ChatCompletion)
    assert_type(client.chat.completions.create(messages=[], stream=False), ChatCompletion)
    stream = client.chat.completions.create(messages=[], stream=True)
    assert_type(stream, Stream[StreamEvent])
    assert_type(client.chat.completions.create(messages=[], stream=flag), ChatCompletion | Stream[StreamEvent])
    for event in stream:
        if event.event == "answer":
            assert_type(event.content, str)
        elif event.event == "interactive":
            assert_type(event.options, list[dict[str, object]])

async def async_usage(client: AsyncFastGPTClient) -> None:
    stream = await client.chat.completions.create(messages=[], stream=True)
    assert_type(stream, AsyncStream[StreamEvent])
    async for event in stream:
        if event.event == "flowNodeStatus":
            assert_type(event.name, str)
    assert_type(await client.datasets.create("x"), str)
"""


def test_overloads_and_event_narrowing_type_check(tmp_path: Path) -> None:
    source = tmp_path / "usage.py"
    source.write_text(SNIPPET.replace("list[dict[str, object]]", "list[dict[str, Any]]").replace(
        "from typing import assert_type", "from typing import Any, assert_type"
    ))  # fmt: skip
    stdout, stderr, status = mypy_api.run(
        ["--strict", "--no-incremental", "--config-file", "/dev/null", "--python-version", "3.11", str(source)]
    )
    assert status == 0, stdout + stderr
