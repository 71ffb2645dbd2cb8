"""Chat completions throughput and latency, with every round persisted, against the fake provider
called directly in the same run (the baseline).

Figures: non-stream req/s and p50/p99 at concurrency 1/16/64; 20-chunk streams/s and time to first
byte; server CPU seconds per round — on SQLite and on PostgreSQL, one uvicorn worker each.

With --profile, one more c=64 non-stream run per backend is sampled with py-spy (not counted in the
figures) and where the server's CPU went is printed.

Usage: python bench/chat.py [--seconds 3] [--backends sqlite,postgresql] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

import aiohttp  # noqa: E402
import httpx  # noqa: E402
import psutil  # noqa: E402

from bench._load import (  # noqa: E402
    LoadResult,
    closed_loop,
    fake_provider,
    free_port,
    process_server,
    server_pid,
    tree_cpu_seconds,
    uvicorn_cmd,
)
from bench._profile import sampled, summary  # noqa: E402

QUESTION = {"role": "user", "content": "Say something short."}


async def stream_loop(
    url: str, body: dict[str, Any], headers: dict[str, str], *, concurrency: int, seconds: float
) -> tuple[float, list[float]]:
    """Closed loop of streaming requests: returns (streams/s, time-to-first-byte list in ms)."""
    ttfb: list[float] = []
    done = 0
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        end = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < end:
                started = time.perf_counter()
                async with session.post(url, json=body) as response:
                    first = True
                    async for _chunk in response.content.iter_any():
                        if first:
                            ttfb.append((time.perf_counter() - started) * 1000)
                            first = False
                done += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return done / elapsed, ttfb


def cpu_seconds(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


class MachineCpu:
    """CPU seconds of every process a chat round runs through on this machine: the server, its database
    (a local PostgreSQL), the fake provider and this load generator. Their sum per round, times the
    rounds per second, is how many of the machine's cores the load keeps busy."""

    def __init__(self, pids: dict[str, int | None]) -> None:
        self.pids = pids
        self.before: dict[str, float] = {}

    def _now(self) -> dict[str, float]:
        return {name: tree_cpu_seconds(pid) if name != "load generator" else cpu_seconds(os.getpid())
                for name, pid in self.pids.items()}  # fmt: skip

    def start(self) -> None:
        self.before = self._now()

    def per_round(self, rounds: int, seconds: float) -> str:
        spent = {name: value - self.before[name] for name, value in self._now().items()}
        total = sum(spent.values())
        parts = ", ".join(f"{name} {value / max(rounds, 1) * 1000:.2f}" for name, value in spent.items())
        return f"machine CPU ms/round: {parts} = {total / max(rounds, 1) * 1000:.2f} ({total / seconds:.2f} cores busy)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--profile", action="store_true", help="sample one extra c=64 run with py-spy")
    parser.add_argument("--only-c", type=int, default=None, help="measure one concurrency only")
    args = parser.parse_args()
    from tests.support.pg import throwaway_postgres

    rows: list[dict[str, Any]] = []
    with ExitStack() as stack:
        fake_base = stack.enter_context(fake_provider())
        provider_pid = server_pid(int(fake_base.rsplit(":", 1)[1].split("/")[0]))
        cluster = stack.enter_context(throwaway_postgres()) if "postgresql" in args.backends else None
        direct_url = fake_base + "/chat/completions"
        direct_body = {"model": "fake-llm", "messages": [QUESTION]}
        print(f"chat bench: {args.seconds:.0f} s per point; fake provider at zero delay; 1 uvicorn worker")
        base: dict[int, LoadResult] = {}
        for conc in (args.only_c,) if args.only_c else (1, 16, 64):
            base[conc] = asyncio.run(
                closed_loop("POST", direct_url, concurrency=conc, seconds=args.seconds, json_body=direct_body)
            )
            print(
                f"{'direct to fake provider':<28} c={conc:<3} {base[conc].rps:8.0f} req/s  p50 {base[conc].p50:6.2f} ms  p99 {base[conc].pct(99):6.2f} ms"
            )
        direct_streams, _direct_ttfb = asyncio.run(
            stream_loop(direct_url, {**direct_body, "stream": True}, {}, concurrency=64, seconds=args.seconds)
        )
        _, direct_ttfb1 = asyncio.run(
            stream_loop(direct_url, {**direct_body, "stream": True}, {}, concurrency=1, seconds=args.seconds)
        )
        print(
            f"{'direct streams':<28} c=64  {direct_streams:8.0f} streams/s  TTFB p50 c=1 {statistics.median(direct_ttfb1):6.2f} ms"
        )
        for backend in args.backends.split(","):
            data_dir = tempfile.mkdtemp(prefix=f"bench-chat-{backend}-")
            env = {
                "DATA_DIR": data_dir,
                "ROOT_KEY": "bench-root",
                "LOG_LEVEL": "WARNING",
                "OPENAI_BASE_URL": fake_base,
                "OPENAI_API_KEY": "x",
                "DEFAULT_LLM": "fake-llm",
                "LOCAL_LLM_ENABLED": "false",
            }
            if backend == "postgresql":
                assert cluster is not None
                env["DATABASE_URL"] = cluster.new_database()
            port = free_port()
            cmd = uvicorn_cmd("pyfastgpt.app:create_app", port, factory=True)
            base_url = stack.enter_context(process_server(cmd, port, env))
            credentials = json.loads((Path(data_dir) / "credentials.json").read_text())
            headers = {"Authorization": f"Bearer {credentials['appKey']}"}
            url = base_url + "/api/v1/chat/completions"
            pid = server_pid(port)
            machine = MachineCpu({"server": pid, "database": server_pid(cluster.port) if backend == "postgresql" and cluster else None,
                                  "provider": provider_pid, "load generator": None})  # fmt: skip
            httpx.post(url, json={"messages": [QUESTION]}, headers=headers, timeout=30)
            for conc in (args.only_c,) if args.only_c else (1, 16, 64):
                cpu_before = cpu_seconds(pid)
                machine.start()
                result = asyncio.run(
                    closed_loop(
                        "POST",
                        url,
                        concurrency=conc,
                        seconds=args.seconds,
                        headers=headers,
                        json_body={"messages": [QUESTION]},
                    )
                )
                cpu = (cpu_seconds(pid) - cpu_before) / max(result.requests, 1) * 1000
                added = result.p50 - base[conc].p50
                print(
                    f"{backend + ' non-stream':<28} c={conc:<3} {result.rps:8.0f} req/s  p50 {result.p50:6.2f} ms  p99 {result.pct(99):6.2f} ms"
                    f"  added p50 {added:+6.2f} ms  CPU {cpu:5.2f} ms/round  errors {result.errors}  vs direct {result.rps / base[conc].rps:5.3f}x"
                )
                print(f"{'':<28} {machine.per_round(result.requests, result.seconds)}")
                rows.append(
                    {
                        "backend": backend,
                        "mode": "non-stream",
                        "c": conc,
                        "rps": round(result.rps),
                        "p50": round(result.p50, 2),
                        "p99": round(result.pct(99), 2),
                        "cpu_ms": round(cpu, 2),
                        "ratio": round(result.rps / base[conc].rps, 3),
                    }
                )
            if args.profile:
                profile = Path(data_dir) / "profile.txt"
                with sampled(pid, profile):
                    asyncio.run(
                        closed_loop(
                            "POST",
                            url,
                            concurrency=64,
                            seconds=max(args.seconds, 5),
                            headers=headers,
                            json_body={"messages": [QUESTION]},
                        )
                    )
                print(f"--- {backend}: where the server's CPU went (c=64 non-stream, py-spy)")
                print(summary(profile))
            cpu_before = cpu_seconds(pid)
            streams, _ = asyncio.run(
                stream_loop(
                    url, {"messages": [QUESTION], "stream": True}, headers, concurrency=64, seconds=args.seconds
                )
            )
            _, ttfb1 = asyncio.run(
                stream_loop(url, {"messages": [QUESTION], "stream": True}, headers, concurrency=1, seconds=args.seconds)
            )
            added_ttfb = statistics.median(ttfb1) - statistics.median(direct_ttfb1)
            print(
                f"{backend + ' streams':<28} c=64  {streams:8.0f} streams/s  TTFB p50 c=1 {statistics.median(ttfb1):6.2f} ms"
                f" (added {added_ttfb:+.2f} ms)  vs direct {streams / direct_streams:5.3f}x"
            )
            rows.append(
                {
                    "backend": backend,
                    "mode": "stream",
                    "c": 64,
                    "streams_s": round(streams),
                    "ttfb_p50_c1": round(statistics.median(ttfb1), 2),
                }
            )
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
