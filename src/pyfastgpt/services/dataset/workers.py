"""Running training workers: inside ``pyfastgpt serve`` or as ``pyfastgpt worker`` processes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass
from typing import Any

from pyfastgpt.core.config import Settings
from pyfastgpt.core.cpu_work import shutdown as shutdown_text_workers
from pyfastgpt.core.cpu_work import warm_up
from pyfastgpt.rag import fulltext
from pyfastgpt.rag.text_jobs import segment_items
from pyfastgpt.services.dataset.kb import KnowledgeBase, build_knowledge_base

log = logging.getLogger(__name__)


@dataclass(slots=True)
class TrainingHandle:
    stop_event: asyncio.Event
    task: asyncio.Task[None] | None

    async def stop(self) -> None:
        """Ask the loops to finish their current batch, then wait (cancel after 30 s)."""
        self.stop_event.set()
        if self.task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self.task), 30)
        except TimeoutError:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task


def start_kb_workers(kb: KnowledgeBase, concurrency: int, **worker_options: Any) -> TrainingHandle:
    stop = asyncio.Event()
    if concurrency <= 0:
        return TrainingHandle(stop, None)
    fulltext.preload()  # for searches; and when batches are segmented here, before the first one
    warm_up(kb.writer.text_processes, segment_items, [("预热 warm up", "")])  # the workers load it too
    worker = kb.new_worker(**worker_options)
    task = asyncio.create_task(worker.run(stop, concurrency=concurrency), name="training-workers")
    return TrainingHandle(stop, task)


def start_training_workers(services: Any) -> TrainingHandle:
    """Start ``Settings.training_workers`` loops in this process (none when it is 0)."""
    return start_kb_workers(services.kb, services.settings.training_workers)


async def run_worker(settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    """A standalone worker process: open the database, train until SIGTERM/SIGINT (or ``stop``)."""
    from pyfastgpt.ai.registry import build_registry
    from pyfastgpt.store.db import Database
    from pyfastgpt.store.migrate import upgrade

    await upgrade(settings.resolved_database_url)
    db = Database(settings.resolved_database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms,
                  pool_size=settings.db_pool_size)  # fmt: skip
    registry = build_registry(settings)
    kb = build_knowledge_base(db, settings, registry)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    handle = start_kb_workers(kb, max(1, settings.training_workers))
    try:
        await stop.wait()
    finally:
        await handle.stop()
        await asyncio.to_thread(shutdown_text_workers)
        await kb.vectors.close()
        aclose = getattr(registry, "aclose", None)
        if aclose is not None:
            await aclose()
        await db.dispose()
