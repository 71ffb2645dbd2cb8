"""Scale-out: chat rounds/s of two API replicas (+ one training worker) on one PostgreSQL against one
replica on the same database, in the same run (issue 15).

Topology as processes, as `deploy/` runs it: a throwaway PostgreSQL + pgvector, the fake OpenAI-compatible
provider (its own process, zero delay), `pyfastgpt worker`, and one or two `pyfastgpt serve` replicas
(uvicorn, one process each). The load is a closed loop of non-stream v1 completions with the demo app's
key, `--concurrency` requests in flight, split evenly over the replicas (what a round-robin proxy does).
On one 2-core machine the replicas, the database, the provider and the load generator share the cores,
so the ratio shows what the second replica adds here, not on separate hosts.

Usage: python bench/replicas.py [--seconds 5] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

from bench._load import LoadResult, closed_loop, fake_provider, free_port, process_server, uvicorn_cmd  # noqa: E402

QUESTION = {"role": "user", "content": "Say something short."}
ROOT_KEY = "bench-replicas-root"


async def load(urls: list[str], headers: dict[str, str], concurrency: int, seconds: float) -> LoadResult:
    share = max(1, concurrency // len(urls))
    results = await asyncio.gather(
        *(
            closed_loop(
                "POST", url, concurrency=share, seconds=seconds, headers=headers, json_body={"messages": [QUESTION]}
            )
            for url in urls
        )
    )
    latencies = [value for result in results for value in result.latencies_ms]
    return LoadResult(
        requests=sum(r.requests for r in results),
        seconds=max(r.seconds for r in results),
        latencies_ms=latencies,
        errors=sum(r.errors for r in results),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    from tests.support.pg import throwaway_postgres

    with ExitStack() as stack:
        fake_base = stack.enter_context(fake_provider())
        cluster = stack.enter_context(throwaway_postgres())
        database_url = cluster.new_database()
        common = {
            "DATABASE_URL": database_url,
            "ROOT_KEY": ROOT_KEY,
            "LOG_LEVEL": "WARNING",
            "OPENAI_BASE_URL": fake_base,
            "OPENAI_API_KEY": "x",
            "DEFAULT_LLM": "fake-llm",
            "LOCAL_LLM_ENABLED": "false",
            "TRAINING_WORKERS": "0",
        }
        bases: list[str] = []
        data_dirs: list[str] = []
        for _ in range(2):
            data_dir = tempfile.mkdtemp(prefix="bench-replica-")
            port = free_port()
            cmd = uvicorn_cmd("pyfastgpt.app:create_app", port, factory=True)
            bases.append(stack.enter_context(process_server(cmd, port, {**common, "DATA_DIR": data_dir})))
            data_dirs.append(data_dir)
        # The worker serves no port: started bare (process_server waits for a port).
        worker = subprocess.Popen(
            [sys.executable, "-m", "pyfastgpt", "worker"],
            env={
                **os.environ,
                **common,
                "TRAINING_WORKERS": "1",
                "DATA_DIR": tempfile.mkdtemp(prefix="bench-worker-"),
                "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src"),
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stack.callback(worker.wait, 20)
        stack.callback(worker.terminate)
        credentials = next(
            json.loads(path.read_text())
            for path in (Path(d) / "credentials.json" for d in data_dirs)
            if path.exists() and json.loads(path.read_text()).get("appKey")
        )
        headers = {"Authorization": f"Bearer {credentials['appKey']}"}
        urls = [base + "/api/v1/chat/completions" for base in bases]
        asyncio.run(load(urls, headers, 4, 1.0))  # warm both replicas
        print(
            f"replicas bench: PostgreSQL, fake provider at zero delay, c={args.concurrency}, {args.seconds:.0f} s per "
            "point, 1 uvicorn process per replica, 1 training worker"
        )
        passes = []
        for _ in range(2):  # alternate to spread the machine's drift over both
            one = asyncio.run(load(urls[:1], headers, args.concurrency, args.seconds))
            two = asyncio.run(load(urls, headers, args.concurrency, args.seconds))
            passes.append((one, two))
            print(
                f"  one replica  {one.rps:7.0f} rounds/s  p50 {one.p50:6.2f} ms  errors {one.errors}   |   "
                f"two replicas {two.rps:7.0f} rounds/s  p50 {two.p50:6.2f} ms  errors {two.errors}   "
                f"ratio {two.rps / one.rps if one.rps else float('nan'):4.2f}x"
            )
        one_rps = sum(p[0].rps for p in passes) / len(passes)
        two_rps = sum(p[1].rps for p in passes) / len(passes)
        print(f"  mean: one {one_rps:.0f} rounds/s, two {two_rps:.0f} rounds/s = {two_rps / one_rps:.2f}x one replica")


if __name__ == "__main__":
    main()
