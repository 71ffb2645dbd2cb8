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
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

import aiohttp  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench._routes import ROOT_KEY, figures, pct, servers  # noqa: E402
from pyfastgpt.store.db import Database  # noqa: E402

# Real FastGPT templates (each file names its repository, path and commit under "_source").
TEMPLATES = [ROOT / "tests/workflow/apps/fastgpt" / name for name in ("template-TranslateRobot.json",
                                                                       "template-batchFetchWebsite.json")]  # fmt: skip
BARE_LIST = text(
    "SELECT id, parent_id, tmb_id, name, avatar, intro, type, update_time, plugin_data FROM apps "
    "WHERE team_id = :team AND delete_time IS NULL AND parent_id IS NULL ORDER BY update_time DESC LIMIT 1000"
)


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
    rows: list[dict[str, Any]] = []
    with ExitStack() as stack:
        for backend, base, url in servers(stack, args.backends.split(","), "app-list"):
            started = time.perf_counter()
            asyncio.run(create_apps(base, args.apps))
            print(f"{backend}: created {args.apps} apps in {time.perf_counter() - started:.1f} s")
            asyncio.run(api_calls(base, 10))  # warm up both sides
            bare = asyncio.run(bare_selects(url, args.requests))
            listed, floor, answer = asyncio.run(api_calls(base, args.requests))
            items = answer["data"]
            interactive = sum(1 for item in items if item["hasInteractiveNode"])
            print(figures(backend, f"app/list ({len(items)} apps, {interactive} interactive)", listed, bare, floor))
            rows.append({"backend": backend, "apps": len(items), "p50": round(statistics.median(listed), 2),
                         "p99": round(pct(listed, 99), 2), "bare_p50": round(statistics.median(bare), 2)})  # fmt: skip
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
