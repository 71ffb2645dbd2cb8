"""`run_cpu`: pure functions in worker processes, a thread when there are none or a worker died."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pyfastgpt.core import cpu_work
from pyfastgpt.core.config import Settings
from pyfastgpt.core.cpu_work import WORKER_NICENESS, default_processes, run_cpu, shutdown, warm_up
from tests.support.cpu_jobs import die_in_a_child, mark, niceness, refuse, wait_for_file, where

# a size no other test uses: the pools are per size and per process, and one of these tests breaks its pool
SIZE = 3


async def test_a_call_runs_in_a_worker_process_and_the_pool_is_reused() -> None:
    first = await run_cpu(SIZE, where)
    assert first[0] != os.getpid() and first[1]
    again = await asyncio.gather(*(run_cpu(SIZE, where) for _ in range(6)))
    assert all(child for _, child in again)
    assert len({pid for pid, _ in [first, *again]}) <= SIZE  # the same workers, not one per call


async def test_workers_run_at_a_lower_priority_than_the_server() -> None:
    here = os.nice(0)
    assert await run_cpu(SIZE, niceness) == min(here + WORKER_NICENESS, 19)  # 19: the lowest priority there is
    assert os.nice(0) == here  # the server's own priority is left as it was
    assert await run_cpu(0, niceness) == here  # threads: the server's process


async def test_no_processes_means_a_thread_of_this_process() -> None:
    assert await run_cpu(0, where) == (os.getpid(), False)


async def test_the_function_s_exception_reaches_the_caller_and_the_pool_lives_on() -> None:
    with pytest.raises(ValueError, match="no 7"):
        await run_cpu(SIZE, refuse, 7)
    assert (await run_cpu(SIZE, where))[1]


async def test_a_dead_worker_costs_a_thread_run_and_the_next_call_gets_a_new_pool(
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = await run_cpu(SIZE, where)
    with caplog.at_level(logging.WARNING, logger="pyfastgpt.core.cpu_work"):
        assert await run_cpu(SIZE, die_in_a_child) == "answered in a thread"
    assert "die_in_a_child runs in a thread" in caplog.text
    after = await run_cpu(SIZE, where)
    assert after[1] and after[0] != before[0]


async def test_request_work_does_not_queue_behind_the_training_lane(tmp_path: Path) -> None:
    gate = tmp_path / "gate"
    # the training lane's one worker is held, and a second call waits behind it
    held = [asyncio.ensure_future(run_cpu(1, wait_for_file, str(gate))) for _ in range(2)]
    try:
        request_pid, in_child = await asyncio.wait_for(run_cpu(1, where, lane="request"), 30)
        assert in_child and not any(call.done() for call in held)
    finally:
        gate.touch()
    assert await asyncio.gather(*held) == ["released", "released"]
    training_pid, _ = await run_cpu(1, where)
    assert training_pid != request_pid  # a pool of its own


async def test_warm_up_starts_every_worker_ahead_of_the_first_call(tmp_path: Path) -> None:
    warm_up(2, mark, str(tmp_path))
    warm_up(0, mark, str(tmp_path))  # no processes: nothing to start
    ran: set[int] = set()
    for _ in range(200):
        ran = {int(name) for name in os.listdir(tmp_path)}
        if ran:
            break
        await asyncio.sleep(0.05)
    assert ran and os.getpid() not in ran
    assert (await run_cpu(2, where))[1]


def test_the_setting_and_its_default() -> None:
    assert Settings(text_processes=0).resolved_text_processes == 0  # type: ignore[call-arg]
    assert Settings(text_processes=3).resolved_text_processes == 3  # type: ignore[call-arg]
    default = Settings().resolved_text_processes  # type: ignore[call-arg]
    assert default == default_processes() and 0 <= default <= 2 and default < (os.cpu_count() or 1) + (default == 0)


SERVER = """
import asyncio, sys, time
sys.path[:0] = {path!r}
from pyfastgpt.core.cpu_work import run_cpu
from tests.support.cpu_jobs import where

async def main():
    print((await run_cpu(1, where))[0], flush=True)
    time.sleep(120)

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_workers_exit_when_the_server_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "server.py"
    script.write_text(SERVER.format(path=sys.path))
    server = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert server.stdout is not None
        worker = int(server.stdout.readline())
        assert _alive(worker)
    finally:
        server.kill()
        server.wait()
        if server.stdout is not None:
            server.stdout.close()
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_shutdown_stops_the_workers_and_a_later_call_starts_new_ones() -> None:
    worker, _ = await run_cpu(SIZE, where)
    await asyncio.to_thread(shutdown)
    assert not _alive(worker)
    again, child = await run_cpu(SIZE, where)
    assert child and again != worker


UNGUARDED = """
import asyncio, sys
sys.path[:0] = {path!r}
from pyfastgpt.core.cpu_work import run_cpu
from tests.support.cpu_jobs import where

print("started", flush=True)
print(*asyncio.run(run_cpu(1, where)), flush=True)
"""


def test_workers_do_not_run_the_main_script_again(tmp_path: Path) -> None:
    """No `if __name__ == "__main__"` guard: the workers must neither import nor run the script."""
    script = tmp_path / "unguarded.py"
    script.write_text(UNGUARDED.format(path=sys.path))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    started, answer = done.stdout.splitlines()
    pid, child = answer.split()
    assert started == "started" and int(pid) > 0 and child == "True"
    assert "Traceback" not in done.stderr


async def test_where_no_process_can_start_threads_do_the_work(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def no_semaphores(*_args: object, **_kwargs: object) -> None:
        raise OSError(38, "Function not implemented")  # what a container without /dev/shm answers

    monkeypatch.setattr(cpu_work, "ProcessPoolExecutor", no_semaphores)
    monkeypatch.setattr(cpu_work, "_unavailable", None)
    with caplog.at_level(logging.WARNING, logger="pyfastgpt.core.cpu_work"):
        warm_up(5, where)  # the server starts all the same
        assert await run_cpu(5, where) == (os.getpid(), False)
        assert await run_cpu(5, where) == (os.getpid(), False)
    assert caplog.text.count("cannot start here") == 1
