"""Shared benchmark helpers: a closed-loop aiohttp load generator and server processes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")


async def closed_loop(
    method: str,
    url: str,
    *,
    concurrency: int,
    seconds: float,
    headers: dict[str, str] | None = None,
    json_body: Any = None,
    warmup_s: float = 0.5,
) -> LoadResult:
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

        async def one() -> None:
            async with session.request(method, url, json=json_body) as response:
                await response.read()
                if response.status >= 400:
                    raise RuntimeError(f"HTTP {response.status}")

        warm_end = time.perf_counter() + warmup_s
        while time.perf_counter() < warm_end:
            await one()
        latencies: list[float] = []
        errors = 0
        end = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < end:
                started = time.perf_counter()
                try:
                    await one()
                except Exception:
                    errors += 1
                    continue
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return LoadResult(requests=len(latencies), seconds=elapsed, latencies_ms=latencies, errors=errors)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def process_server(
    args: list[str], port: int, env: dict[str, str] | None = None, health: str = "/healthz"
) -> Iterator[str]:
    full_env = {**os.environ, **(env or {}), "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}"}
    proc = subprocess.Popen(args, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + health, timeout=1)
                break
            except httpx.TransportError as exc:
                if proc.poll() is not None or time.monotonic() > deadline:
                    detail = proc.stderr.read().decode() if proc.stderr else ""
                    raise RuntimeError("server did not start: " + detail) from exc
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def server_pid(port: int) -> int:
    """The pid of the server process started with ``port`` on its command line."""
    return next(p.pid for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] and str(port) in p.info["cmdline"])


def _stat(pid: int | str) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def tree_cpu_seconds(pid: int | None, *, own: bool = True) -> float:
    """CPU seconds a process and its descendants (ended or running) have used so far: a server, the
    fake provider, a local PostgreSQL (the postmaster and its backends), or (``own=False``) only the
    descendants, e.g. a process pool's workers. Linux /proc; 0 elsewhere."""
    if pid is None:
        return 0.0
    try:
        fields = _stat(pid)
        ticks = sum(int(value) for value in fields[11 if own else 13 : 15])  # utime, stime; of the reaped
        parents: dict[str, list[list[str]]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError):
                    stat = _stat(entry.name)
                    parents.setdefault(stat[1], []).append([entry.name, *stat])
        pending = [str(pid)]
        while pending:
            for child in parents.get(pending.pop(), []):
                ticks += int(child[12]) + int(child[13])  # (shifted by the pid in front)
                pending.append(child[0])
    except (OSError, IndexError):
        return 0.0
    return ticks / os.sysconf("SC_CLK_TCK")


def uvicorn_cmd(target: str, port: int, *, factory: bool = False) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        target,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    cmd += ["--no-access-log"]
    if factory:
        cmd.append("--factory")
    return cmd


@contextmanager
def fake_provider() -> Iterator[str]:
    """The fake OpenAI-compatible provider (`bench/_fake_provider.py`) in a process of its own; yields its
    `/v1` base URL."""
    port = free_port()
    cmd = [sys.executable, str(ROOT / "bench" / "_fake_provider.py"), str(port)]
    with process_server(cmd, port, health="/v1/models") as base:
        yield base + "/v1"
