"""Group commit for SQLite: one thread owns the write connection and commits queued units together.

Every `Database.run_write` unit of work is a function of a `Connection`. Units that queue up while
the writer is busy run in one transaction, each inside its own SAVEPOINT, so a unit that raises
rolls back alone; one COMMIT then makes the whole batch durable before any caller is answered.
Under load this turns a commit per unit into a commit per batch (SQLite's commit writes every
changed page to the WAL, one system call each), and answers a whole batch with one wake-up of
each waiting event loop instead of one thread hop per unit.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from queue import Empty, SimpleQueue
from typing import Any

from sqlalchemy import Connection, Engine

MAX_BATCH = 64


@dataclass(slots=True)
class _Unit:
    fn: Callable[[Connection], Any]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop


@dataclass(slots=True)
class _Outcome:
    unit: _Unit
    result: Any = None
    error: BaseException | None = None


def _settle(outcomes: list[_Outcome]) -> None:
    """Runs on the caller's event loop: hand each waiting caller its result or error."""
    for outcome in outcomes:
        future = outcome.unit.future
        if future.done():  # the caller went away (cancelled); the unit still ran
            continue
        if outcome.error is not None:
            future.set_exception(outcome.error)
        else:
            future.set_result(outcome.result)


class GroupCommitWriter:
    """Runs write units on one thread, batching those that wait into one transaction."""

    def __init__(self, engine: Engine, *, name: str = "sqlite-writer", max_batch: int = MAX_BATCH) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._queue: SimpleQueue[_Unit | None] = SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()
        self.batches = 0  # counters for tests and benchmarks
        self.units = 0

    async def submit(self, fn: Callable[[Connection], Any]) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._queue.put(_Unit(fn, future, loop))
        return await future

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()

    def _serve(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    unit = self._queue.get_nowait()
                except Empty:
                    break
                if unit is None:
                    stopping = True
                    break
                batch.append(unit)
            self._answer(self._run(batch))

    def _run(self, batch: list[_Unit]) -> list[_Outcome]:
        self.batches += 1
        self.units += len(batch)
        if len(batch) == 1:
            return [self._run_alone(batch[0])]
        outcomes: list[_Outcome] = []
        try:
            with self._engine.begin() as conn:
                for unit in batch:
                    try:
                        with conn.begin_nested():
                            outcomes.append(_Outcome(unit, result=unit.fn(conn)))
                    except Exception as exc:
                        outcomes.append(_Outcome(unit, error=exc))
        except Exception:
            # The batch could not commit: nothing of it was kept, so each unit runs again on its own
            # and gets its own verdict.
            return [self._run_alone(unit) for unit in batch]
        return outcomes

    def _run_alone(self, unit: _Unit) -> _Outcome:
        try:
            with self._engine.begin() as conn:
                return _Outcome(unit, result=unit.fn(conn))
        except Exception as exc:
            return _Outcome(unit, error=exc)

    @staticmethod
    def _answer(outcomes: list[_Outcome]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[_Outcome]] = {}
        for outcome in outcomes:
            by_loop.setdefault(outcome.unit.loop, []).append(outcome)
        for loop, settled in by_loop.items():
            with contextlib.suppress(RuntimeError):  # a closed event loop: nobody is waiting any more
                loop.call_soon_threadsafe(_settle, settled)
