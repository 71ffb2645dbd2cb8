"""Starting the training workers."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from pyfastgpt.rag import fulltext
from pyfastgpt.rag.text_jobs import segment_items
from pyfastgpt.services.dataset import workers
from pyfastgpt.services.dataset.workers import start_kb_workers


class IdleWorker:
    async def run(self, stop: asyncio.Event, *, concurrency: int) -> None:
        await stop.wait()


class StubKnowledgeBase:
    writer = SimpleNamespace(text_processes=2)

    def new_worker(self, **_options: Any) -> IdleWorker:
        return IdleWorker()


@pytest.mark.parametrize(("concurrency", "preloads"), [(2, 1), (0, 0)])
async def test_starting_workers_preloads_the_segmentation_engine_here_and_in_the_text_workers(
    monkeypatch: pytest.MonkeyPatch, concurrency: int, preloads: int
) -> None:
    calls: list[None] = []
    warmed: list[tuple[Any, ...]] = []
    monkeypatch.setattr(fulltext, "preload", lambda: calls.append(None))
    monkeypatch.setattr(workers, "warm_up", lambda *args: warmed.append(args))
    handle = start_kb_workers(StubKnowledgeBase(), concurrency)  # type: ignore[arg-type]
    await handle.stop()
    assert len(calls) == preloads
    assert [(processes, fn) for processes, fn, *_ in warmed] == [(2, segment_items)] * preloads
