"""CPU-bound pure functions run in worker processes: `await run_cpu(processes, fn, *args)`.

A thread of the server's own process still holds its GIL: splitting a 5 MB upload, building the
indexes of a batch of chunks or segmenting them for full text stalled the event loop (chat rounds,
the embedder's responses) for as long as they ran. FastGPT runs the same work in worker threads,
which in Node run in parallel; here a process does. ``fn`` must be a module-level function whose
arguments and result pickle: it is pure, so it may also run again.

- ``processes`` ≤ 0: ``fn`` runs in a thread of this process (the old behaviour).
- Otherwise one pool per size and lane per process, started on first use from a *forkserver* (``spawn``
  where there is none) that has imported ``fn``'s module once, so each worker starts in
  milliseconds and shares that module's memory. The pool lives as long as the process
  (``concurrent.futures`` stops it at exit); a process that forks gets a pool of its own.
- Where worker processes cannot start at all (no /dev/shm, a sandbox), threads do the work (logged once).
- A worker that dies (killed, out of memory) breaks its pool: the call runs again in a thread, and
  the next one starts a new pool. :func:`shutdown` stops the pools (the server's lifespan ends with
  it); workers also exit within a second of the process that started them when it was killed.
- Workers run at a lower priority than the server (``WORKER_NICENESS``): requests come first.
- Lanes: work a request waits for (``lane="request"``: splitting an upload) has pools of its own, so it
  never queues behind the training loops' batches (``"training"``, the default: indexes, segmentation),
  which keep its worker busy while a knowledge base trains. Queued behind them, an upload's split waited
  for several batches, and the training loops, fed by those uploads, ran out of jobs.
- Workers do not import the main script (``multiprocessing`` would, as ``__mp_main__``): ``fn`` must live
  in an importable module.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Literal, TypeVar

T = TypeVar("T")
Lane = Literal["training", "request"]
PoolKey = tuple[int, Lane]  # (processes, lane): one pool each
MAX_DEFAULT_PROCESSES = 2
WATCH_INTERVAL_S = 1.0
# Workers run at a lower priority (+10 niceness over the server): on a busy machine the event loop (chat rounds,
# the embedder's answers) gets a core before the batch work does.
WORKER_NICENESS = 10
# what starting a pool or a worker raises where processes cannot start (no /dev/shm for its semaphores, no fork)
NO_PROCESSES: tuple[type[Exception], ...] = (OSError, ImportError, NotImplementedError)

log = logging.getLogger(__name__)
_lock = threading.Lock()
_pools: dict[PoolKey, tuple[int, ProcessPoolExecutor]] = {}  # -> (the pid that made it, the pool)
_unavailable: str | None = None  # why worker processes cannot start in this process (see `_give_up`)


def default_processes() -> int:
    """One worker process per core beyond the first, at most two (0 on a single core)."""
    return max(0, min(MAX_DEFAULT_PROCESSES, (os.cpu_count() or 1) - 1))


async def run_cpu(processes: int, fn: Callable[..., T], *args: object, lane: Lane = "training") -> T:
    """``fn(*args)`` in a worker process of ``lane`` (a thread when ``processes`` ≤ 0, the pool broke, or this
    machine cannot start worker processes)."""
    if processes <= 0 or _unavailable:
        return await asyncio.to_thread(fn, *args)
    key: PoolKey = (processes, lane)
    try:
        pool = _pool(key, fn.__module__)
        with _main_script_hidden():  # a worker starts inside `submit`, if one is due
            future = pool.submit(fn, *args)
    except BrokenProcessPool:
        return await _rerun_in_thread(key, pool, fn, *args)
    except NO_PROCESSES as exc:
        _give_up(exc)
        return await asyncio.to_thread(fn, *args)
    try:
        return await asyncio.wrap_future(future)
    except BrokenProcessPool:
        return await _rerun_in_thread(key, pool, fn, *args)


async def _rerun_in_thread(key: PoolKey, pool: ProcessPoolExecutor, fn: Callable[..., T], *args: object) -> T:
    _discard(key, pool)
    log.warning("a text worker process died; %s runs in a thread and the next call starts a new pool", fn.__name__)
    return await asyncio.to_thread(fn, *args)


def _give_up(error: BaseException) -> None:
    """No worker processes here (no semaphores without /dev/shm, a sandbox without fork): threads do
    the work for the rest of this process's life."""
    global _unavailable
    if not _unavailable:
        log.warning("text worker processes cannot start here (%s); text work runs in threads", error)
    _unavailable = repr(error)


def warm_up(processes: int, fn: Callable[..., object], *args: object, lane: Lane = "training") -> None:
    """Start the lane's pool's workers now (each runs ``fn(*args)`` once, e.g. to load a dictionary), so
    that the first real call does not wait for them; failures are left to that call."""
    if processes <= 0 or _unavailable:
        return
    try:
        pool = _pool((processes, lane), fn.__module__)
    except NO_PROCESSES as exc:
        _give_up(exc)
        return
    for _ in range(processes):
        # shut down or broken meanwhile, or no process could start (the first real call says so)
        with contextlib.suppress(RuntimeError, BrokenProcessPool, *NO_PROCESSES), _main_script_hidden():
            pool.submit(fn, *args).add_done_callback(_ignore)


@contextlib.contextmanager
def _main_script_hidden() -> Iterator[None]:
    """While workers start: `multiprocessing` would have each import the main script (or module) again as
    ``__mp_main__`` — the server's whole CLI, ~110 MB a worker, and a script without an
    ``if __name__ == "__main__"`` guard would start again in every worker. The functions run here live in
    importable modules, so the workers need nothing from it. Only the event loop's thread starts workers."""
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    hidden: dict[str, object] = {
        name: main.__dict__[name] for name in ("__file__", "__spec__") if name in main.__dict__
    }
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.update(hidden)
        if "__spec__" not in hidden:
            del main.__spec__


def _ignore(future: Future[object]) -> None:
    future.exception()  # retrieved: no "never retrieved" log


def _pool(key: PoolKey, module: str) -> ProcessPoolExecutor:
    with _lock:
        owned = _pools.get(key)
        if owned is not None and owned[0] == os.getpid():
            return owned[1]
        pool = ProcessPoolExecutor(
            key[0], mp_context=_context(module), initializer=_start_worker, initargs=(os.getpid(),)
        )
        _pools[key] = (os.getpid(), pool)
        return pool


def shutdown() -> None:
    """Stop this process's pools and wait for their workers to exit (a server's last step: uvicorn
    ends on the signal it was stopped with, so nothing at exit would); later calls start new ones."""
    with _lock:
        pools = [pool for pid, pool in _pools.values() if pid == os.getpid()]
        _pools.clear()
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(server_pid: int) -> None:
    if hasattr(os, "nice"):  # POSIX; lowering one's own priority needs no privilege
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)
    _watch_server(server_pid)


def _watch_server(server_pid: int) -> None:
    """In a worker: exit once the process that started the pool is gone, even killed (nothing else
    would tell the worker: it waits on a queue it holds both ends of). Gone: the worker's parent (the
    forkserver, which ends with the server, or the server itself) changed, or the server's pid is free."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(WATCH_INTERVAL_S)
            if os.getppid() != parent:
                os._exit(0)
            try:
                os.kill(server_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # alive, owned by another user (a reused pid would be too)
                pass

    threading.Thread(target=watch, name="watch-server", daemon=True).start()


def _context(module: str) -> multiprocessing.context.BaseContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([module])  # only counts before the forkserver starts
    return context


def _discard(key: PoolKey, pool: ProcessPoolExecutor) -> None:
    with _lock:
        if _pools.get(key, (0, None))[1] is pool:
            del _pools[key]
    pool.shutdown(wait=False, cancel_futures=True)
