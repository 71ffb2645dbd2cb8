"""API overhead: req/s and p50/p99 of /healthz and /api/core/app/list, SQLite and PostgreSQL,
against a raw ASGI hello-world served by the same uvicorn in the same run.

Usage: python bench/api_overhead.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

from bench._load import LoadResult, closed_loop, free_port, process_server, uvicorn_cmd  # noqa: E402


def fmt(name: str, conc: int, result: LoadResult, base: LoadResult) -> str:
    ratio = result.rps / base.rps if base.rps else float("nan")
    return (
        f"{name:<34} c={conc:<3} {result.rps:8.0f} req/s  p50 {result.p50:6.2f} ms  p99 {result.pct(99):6.2f} ms"
        f"  errors {result.errors}  vs hello-world {ratio:5.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    from tests.support.pg import throwaway_postgres

    with ExitStack() as stack:
        hello_port = free_port()
        hello = stack.enter_context(process_server(uvicorn_cmd("bench._hello:app", hello_port), hello_port))
        cluster = stack.enter_context(throwaway_postgres())
        backends: dict[str, tuple[str, str]] = {}
        for backend in ("sqlite", "postgresql"):
            data_dir = tempfile.mkdtemp(prefix=f"bench-{backend}-")
            env = {"DATA_DIR": data_dir, "ROOT_KEY": "bench-root-key", "LOG_LEVEL": "WARNING"}
            if backend == "postgresql":
                env["DATABASE_URL"] = cluster.new_database()
            port = free_port()
            base = stack.enter_context(
                process_server(uvicorn_cmd("pyfastgpt.app:create_app", port, factory=True), port, env)
            )
            backends[backend] = (base, "bench-root-key")
        print(f"api_overhead: {args.seconds:.0f} s per point, closed-loop aiohttp client, 1 uvicorn worker each")
        rows: list[dict[str, object]] = []
        for conc in (1, 32):
            base_result = asyncio.run(closed_loop("GET", hello + "/healthz", concurrency=conc, seconds=args.seconds))
            print(fmt("raw ASGI hello-world (baseline)", conc, base_result, base_result))
            for backend, (url, key) in backends.items():
                headers = {"Authorization": f"Bearer {key}"}
                health = asyncio.run(closed_loop("GET", url + "/healthz", concurrency=conc, seconds=args.seconds))
                print(fmt(f"{backend} GET /healthz", conc, health, base_result))
                listing = asyncio.run(
                    closed_loop(
                        "POST",
                        url + "/api/core/app/list",
                        concurrency=conc,
                        seconds=args.seconds,
                        headers=headers,
                        json_body={},
                    )
                )
                print(fmt(f"{backend} POST /api/core/app/list", conc, listing, base_result))
                for name, res in (("healthz", health), ("app/list", listing)):
                    rows.append(
                        {
                            "backend": backend,
                            "route": name,
                            "c": conc,
                            "rps": round(res.rps),
                            "p50": round(res.p50, 2),
                            "p99": round(res.pct(99), 2),
                            "ratio": round(res.rps / base_result.rps, 3),
                        }
                    )
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
