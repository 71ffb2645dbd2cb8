"""The generated sync code matches the async source (drift check) and the rewrite rules."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "sdk" / "scripts" / "unasync.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sdk_unasync", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_sync_code_is_up_to_date() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_rewrite_rules() -> None:
    unasync = load_script()
    source = (
        "import asyncio\n"
        "class AsyncStream(AsyncIterator[int]):\n"
        "    async def __aenter__(self) -> AsyncStream: ...\n"
        "    async def go(self, client: httpx.AsyncClient) -> None:\n"
        "        async with client:\n"
        "            async for chunk in response.aiter_bytes():\n"
        "                await asyncio.sleep(1)\n"
        "        await response.aclose()\n"
        "        await self._iterator.__anext__()\n"
        "from fastgpt_client._async._client import AsyncFastGPTClient  # an async client\n"
    )
    assert unasync.unasync_source(source) == (
        "import time\n"
        "class Stream(Iterator[int]):\n"
        "    def __enter__(self) -> Stream: ...\n"
        "    def go(self, client: httpx.Client) -> None:\n"
        "        with client:\n"
        "            for chunk in response.iter_bytes():\n"
        "                time.sleep(1)\n"
        "        response.close()\n"
        "        self._iterator.__next__()\n"
        "from fastgpt_client._sync._client import FastGPTClient  # a client\n"
    )


def test_check_detects_drift(tmp_path: Path) -> None:
    unasync = load_script()
    target = unasync.TARGET_DIR / "_client.py"
    expected = unasync.expected_files()
    assert unasync.stale_files(expected) == []
    tampered = dict(expected)
    tampered[target] = expected[target] + "# drift\n"
    problems = unasync.stale_files(tampered)
    assert len(problems) == 1 and "_client.py" in problems[0]
    orphan_free = {path: text for path, text in expected.items() if path != target}
    assert any("orphan" in problem for problem in unasync.stale_files(orphan_free))
