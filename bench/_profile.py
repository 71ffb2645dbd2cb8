"""Sampling profiles of a benchmarked server process with py-spy (`--profile` on the benches).

`sampled(pid, path)` records while its block runs; `summary(path)` reads py-spy's collapsed stacks and says
where the samples went: self time by function, and inclusive time of the project's own functions.
"""

from __future__ import annotations

import collections
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        raise SystemExit("py-spy is not installed (make install puts it in the dev extras)")
    return found


@contextmanager
def sampled(pid: int, path: Path, *, rate: int = 250, gil: bool = False) -> Iterator[None]:
    """Record `pid` (and its threads, idle ones left out) into `path` while the block runs; `gil`: only the
    thread holding the GIL (Python's CPU time, without the threads that wait for it)."""
    cmd = [_py_spy(), "record", "--pid", str(pid), "--format", "raw", "--rate", str(rate), "--nonblocking"]
    cmd += ["--gil"] if gil else []
    proc = subprocess.Popen([*cmd, "--output", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield
    finally:
        proc.send_signal(2)  # SIGINT: py-spy writes what it has and stops
        proc.wait(timeout=60)


def _frame_name(frame: str) -> str:
    # "function (path/to/module.py:line)" -> "module.py:function"
    name, _, where = frame.partition(" (")
    file = where.rsplit(":", 1)[0].rstrip(")")
    marker = "site-packages/"
    if marker in file:
        file = file.split(marker, 1)[1]
    elif "/src/" in file:
        file = file.split("/src/", 1)[1]
    return f"{file}:{name}"


def summary(path: Path, *, top: int = 25) -> str:
    """Self time by function and inclusive time of project functions, as shares of all samples."""
    self_time: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_frame_name(f) for f in stack.split(";") if f]
        if not frames:
            continue
        total += count
        self_time[frames[-1]] += count
        for frame in set(frames):
            if frame.startswith("pyfastgpt/"):
                inclusive[frame] += count
    if not total:
        return "no samples"
    lines = [f"{total} samples; self time:"]
    lines += [f"  {n / total:6.1%}  {name}" for name, n in self_time.most_common(top)]
    lines.append("inclusive time of pyfastgpt functions:")
    lines += [f"  {n / total:6.1%}  {name}" for name, n in inclusive.most_common(top)]
    return "\n".join(lines)
