"""The app list at scale: `POST /api/core/app/list` over HTTP with `--apps` apps built from real FastGPT
templates (20–25 KB workflows each), SQLite and PostgreSQL, against a bare SELECT of the listed columns in the
same run, and the HTTP floor (`GET /healthz`, no database, no auth) interleaved with it.

The list is what the console's home page and every app picker read; FastGPT users report it crawling once a
team holds a few hundred apps, because each listed app drags its whole workflow along.

Usage: python bench/app_list.py [--apps 500] [--requests 200] [--backends sqlite,postgresql]
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

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

import aiohttp  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench._load import free_port, process_server, uvicorn_cmd  # noqa: E402
from pyfastgpt.store.db import Database  # noqa: E402

ROOT_KEY = "bench-root-key"
# Real FastGPT templates (each file names its repository, path and commit under "_source").
TEMPLATES = [ROOT / "tests/workflow/apps/fastgpt" / name for name in ("template-TranslateRobot.json",
                                                                       "template-batchFetchWebsite.json")]  # fmt: skip
BARE_LIST = text(
    "SELECT id, parent_id, tmb_id, name, avatar, intro, type, update_time, plugin_data FROM apps "
    "WHERE team_id = :team AND delete_time IS NULL AND parent_id IS NULL ORDER BY update_time DESC LIMIT 1000"
)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def create_apps(base: str, count: int) -> None:
    workflows = [json.loads(path.read_text())["workflow"] for path in TEMPLATES]
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {ROOT_KEY}"}) as session:
        for number in range(count):
            workflow = workflows[number % len(workflows)]
            body = {"name": f"app {number}", "type": "advanced", "modules": workflow["nodes"],
                    "edges": workflow["edges"], "chatConfig": workflow.get("chatConfig", {})}  # fmt: skip
            async with session.post(base + "/api/core/app/create", json=body) as response:
                assert response.status == 200, await response.text()


async def bare_selects(url: str, n: int) -> list[float]:
    """The listed columns of the same rows, each statement on its own as the routes read (no BEGIN/ROLLBACK
    round trips on PostgreSQL)."""
    db = Database(url)
    samples: list[float] = []
    try:
        team = await db.run_read(lambda conn: conn.execute(text("SELECT team_id FROM apps LIMIT 1")).scalar_one())
        for _ in range(n):
            started = time.perf_counter()
            await db.run_read(lambda conn: conn.execute(BARE_LIST, {"team": team}).all(), autocommit=True)
            samples.append((time.perf_counter() - started) * 1000)
    finally:
        await db.dispose()
    return samples


async def api_calls(base: str, n: int) -> tuple[list[float], list[float], dict[str, Any]]:
    listed: list[float] = []
    floor: list[float] = []
    answer: dict[str, Any] = {}
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {ROOT_KEY}"}) as session:
        for _ in range(n):
            started = time.perf_counter()
            async with session.get(base + "/healthz") as response:
                await response.read()
            floor.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            async with session.post(base + "/api/core/app/list", json={}) as response:
                assert response.status == 200, await response.text()
                answer = await response.json()
            listed.append((time.perf_counter() - started) * 1000)
    return listed, floor, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--apps", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    from tests.support.pg import throwaway_postgres

    rows: list[dict[str, Any]] = []
    with ExitStack() as stack:
        cluster = stack.enter_context(throwaway_postgres()) if "postgresql" in args.backends else None
        for backend in args.backends.split(","):
            data_dir = tempfile.mkdtemp(prefix=f"bench-app-list-{backend}-")
            env = {"DATA_DIR": data_dir, "ROOT_KEY": ROOT_KEY, "LOG_LEVEL": "WARNING", "TRAINING_WORKERS": "0",
                   "LOCAL_LLM_ENABLED": "false"}  # fmt: skip
            if backend == "postgresql":
                assert cluster is not None
                env["DATABASE_URL"] = cluster.new_database()
            port = free_port()
            base = stack.enter_context(
                process_server(uvicorn_cmd("pyfastgpt.app:create_app", port, factory=True), port, env)
            )
            url = env.get("DATABASE_URL") or f"sqlite+aiosqlite:///{Path(data_dir).resolve() / 'pyfastgpt.db'}"
            started = time.perf_counter()
            asyncio.run(create_apps(base, args.apps))
            print(f"{backend}: created {args.apps} apps in {time.perf_counter() - started:.1f} s")
            asyncio.run(api_calls(base, 10))  # warm up both sides
            bare = asyncio.run(bare_selects(url, args.requests))
            listed, floor, answer = asyncio.run(api_calls(base, args.requests))
            items = answer["data"]
            interactive = sum(1 for item in items if item["hasInteractiveNode"])
            above = statistics.median(listed) - statistics.median(floor)
            print(
                f"{backend:<11} app/list ({len(items)} apps, {interactive} interactive) p50 {statistics.median(listed):7.2f} ms"
                f"  p99 {pct(listed, 99):7.2f} ms   bare SELECT p50 {statistics.median(bare):6.2f} ms"
                f"  p99 {pct(bare, 99):6.2f} ms   ratio p50 {statistics.median(listed) / statistics.median(bare):5.1f}x"
                f"   | HTTP floor p50 {statistics.median(floor):5.2f} ms; route above it {above:6.2f} ms"
                f" = {above / statistics.median(bare):4.1f}x bare"
            )
            rows.append({"backend": backend, "apps": len(items), "p50": round(statistics.median(listed), 2),
                         "p99": round(pct(listed, 99), 2), "bare_p50": round(statistics.median(bare), 2)})  # fmt: skip
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
