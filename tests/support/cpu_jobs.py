"""Module-level functions for `pyfastgpt.core.cpu_work` tests: a worker process imports them by name."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path


def where() -> tuple[int, bool]:
    """The pid that ran the call, and whether it is a child process."""
    return os.getpid(), multiprocessing.parent_process() is not None


def die_in_a_child() -> str:
    """A worker process dies abruptly (as if killed); in the server's own process: an answer."""
    if multiprocessing.parent_process() is not None:
        os._exit(3)
    return "answered in a thread"


def refuse(value: int) -> int:
    raise ValueError(f"no {value}")


def mark(path: str) -> None:
    Path(path, str(os.getpid())).touch()


def niceness() -> int:
    """The calling process's niceness (its scheduling priority; higher runs later)."""
    return os.nice(0)


def wait_for_file(path: str) -> str:
    """Hold a worker until ``path`` exists (at most a minute)."""
    deadline = time.monotonic() + 60
    while not Path(path).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return "released"
