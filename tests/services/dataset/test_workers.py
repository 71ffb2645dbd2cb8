"""Starting the training workers."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from pyfastgpt.rag import fulltext
from pyfastgpt.services.dataset.workers import start_kb_workers


class IdleWorker:
    async def run(self, stop: asyncio.Event, *, concurrency: int) -> None:
        await stop.wait()


class StubKnowledgeBase:
    def new_worker(self, **_options: Any) -> IdleWorker:
        return IdleWorker()


@pytest.mark.parametrize(("concurrency", "preloads"), [(2, 1), (0, 0)])
async def test_starting_workers_preloads_the_segmentation_engine(
    monkeypatch: pytest.MonkeyPatch, concurrency: int, preloads: int
) -> None:
    calls: list[None] = []
    monkeypatch.setattr(fulltext, "preload", lambda: calls.append(None))
    handle = start_kb_workers(StubKnowledgeBase(), concurrency)  # type: ignore[arg-type]
    await handle.stop()
    assert len(calls) == preloads
