"""MCP tool calls through `/api/mcp/app/{key}/mcp` against the same app through
`/api/v1/chat/completions` (the baseline), in the same run, on the same server.

Each tool call is one chat round of the demo app (the fake provider answers at zero delay; every
round is saved), so the difference is the MCP layer: the SDK's Streamable HTTP transport, JSON-RPC
and the key lookup. Figures: calls/s and p50/p99 at concurrency 1 and 16 for (a) the SDK's own
client (`ClientSession.call_tool`, one initialized session per worker), (b) raw `tools/call` POSTs
(the stateless endpoint needs no `initialize`), (c) completions; plus `tools/list` req/s.

Usage: python bench/mcp_tools.py [--seconds 3] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

import httpx  # noqa: E402

from bench._load import LoadResult, closed_loop, fake_provider, free_port, process_server, uvicorn_cmd  # noqa: E402

QUESTION = "Say something short."
MCP_HEADERS = {"accept": "application/json, text/event-stream", "content-type": "application/json"}


async def sdk_loop(url: str, *, concurrency: int, seconds: float) -> LoadResult:
    """Closed loop of `call_tool` through the SDK's client, one session per worker."""
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    latencies: list[float] = []
    errors = 0
    end = 0.0

    async def worker() -> None:
        nonlocal errors
        async with streamable_http_client(url) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            await session.call_tool("demo", {"question": QUESTION})  # warm-up
            await ready.wait()
            while time.perf_counter() < end:
                started = time.perf_counter()
                result = await session.call_tool("demo", {"question": QUESTION})
                if result.is_error:
                    errors += 1
                    continue
                latencies.append((time.perf_counter() - started) * 1000)

    ready = asyncio.Event()
    tasks = [asyncio.create_task(worker()) for _ in range(concurrency)]
    await asyncio.sleep(1.0)  # sessions open
    end = time.perf_counter() + seconds
    started = time.perf_counter()
    ready.set()
    await asyncio.gather(*tasks)
    return LoadResult(
        requests=len(latencies), seconds=time.perf_counter() - started, latencies_ms=latencies, errors=errors
    )


def line(label: str, conc: int, result: LoadResult, base: LoadResult | None = None) -> str:
    text = f"{label:<34} c={conc:<3} {result.rps:8.1f} /s  p50 {result.p50:7.2f} ms  p99 {result.pct(99):7.2f} ms"
    text += f"  errors {result.errors}"
    if base is not None and base.rps:
        text += f"  vs completions {result.rps / base.rps:5.3f}x  added p50 {result.p50 - base.p50:+6.2f} ms"
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    from tests.support.pg import throwaway_postgres

    rows: list[dict[str, Any]] = []
    with ExitStack() as stack:
        fake_base = stack.enter_context(fake_provider())
        cluster = stack.enter_context(throwaway_postgres()) if "postgresql" in args.backends else None
        print(f"mcp bench: {args.seconds:.0f} s per point; fake provider at zero delay; 1 uvicorn worker")
        for backend in args.backends.split(","):
            data_dir = tempfile.mkdtemp(prefix=f"bench-mcp-{backend}-")
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
            base_url = stack.enter_context(
                process_server(uvicorn_cmd("pyfastgpt.app:create_app", port, factory=True), port, env)
            )
            credentials = json.loads((Path(data_dir) / "credentials.json").read_text())
            root = {"Authorization": "Bearer bench-root"}
            apps = [{"appId": credentials["appId"], "toolName": "demo", "description": "The demo app"}]
            created = httpx.post(
                f"{base_url}/api/support/mcp/create", json={"name": "bench", "apps": apps}, headers=root
            )
            assert created.status_code == 200, created.text
            key = httpx.get(f"{base_url}/api/support/mcp/list", headers=root).json()["data"][0]["key"]
            mcp_url = f"{base_url}/api/mcp/app/{key}/mcp"
            chat_url = f"{base_url}/api/v1/chat/completions"
            chat_headers = {"Authorization": f"Bearer {credentials['appKey']}"}
            chat_body = {"messages": [{"role": "user", "content": QUESTION}]}
            call_body = {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "tools/call",
                "params": {"name": "demo", "arguments": {"question": QUESTION}},
            }
            list_body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
            first = httpx.post(mcp_url, json=call_body, headers=MCP_HEADERS, timeout=30)
            assert first.status_code == 200 and not first.json()["result"]["isError"], first.text
            for conc in (1, 16):
                base = asyncio.run(
                    closed_loop(
                        "POST",
                        chat_url,
                        concurrency=conc,
                        seconds=args.seconds,
                        headers=chat_headers,
                        json_body=chat_body,
                    )
                )
                raw = asyncio.run(
                    closed_loop(
                        "POST",
                        mcp_url,
                        concurrency=conc,
                        seconds=args.seconds,
                        headers=MCP_HEADERS,
                        json_body=call_body,
                    )
                )
                sdk = asyncio.run(sdk_loop(mcp_url, concurrency=conc, seconds=args.seconds))
                print(line(f"{backend} completions", conc, base))
                print(line(f"{backend} MCP tools/call (raw POST)", conc, raw, base))
                print(line(f"{backend} MCP call_tool (SDK client)", conc, sdk, base))
                for mode, result in (("completions", base), ("mcp-raw", raw), ("mcp-sdk", sdk)):
                    rows.append(
                        {
                            "backend": backend,
                            "mode": mode,
                            "c": conc,
                            "per_s": round(result.rps, 1),
                            "p50": round(result.p50, 2),
                            "p99": round(result.pct(99), 2),
                            "errors": result.errors,
                            "ratio": round(result.rps / base.rps, 3) if base.rps else None,
                        }
                    )
            listed = asyncio.run(
                closed_loop(
                    "POST", mcp_url, concurrency=16, seconds=args.seconds, headers=MCP_HEADERS, json_body=list_body
                )
            )
            print(
                f"{backend + ' MCP tools/list':<34} c=16  {listed.rps:8.1f} /s  p50 {statistics.median(listed.latencies_ms or [0]):7.2f} ms"
            )
            rows.append({"backend": backend, "mode": "tools/list", "c": 16, "per_s": round(listed.rps, 1)})
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
