"""The `openai` npm package (an independent SSE parser) against /api/v1/chat/completions."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fake_llm import FakeLLM
from tests.support.live import LiveServer

HERE = Path(__file__).parent / "node"


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_openai_node_stream_and_non_stream(sqlite_server: LiveServer, fake: FakeLLM) -> None:
    assert (HERE / "node_modules" / "openai").exists(), "run `make install` (npm install in tests/clients/node)"
    result = subprocess.run(
        ["node", str(HERE / "check.mjs"), f"{sqlite_server.base_url}/api/v1", sqlite_server.app_key, "node-chat"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary == {
        "content": "echo: node non-stream",
        "finish": "stop",
        "streamed": "echo: node stream",
        "streamFinish": "stop",
    }
