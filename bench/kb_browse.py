"""Browsing a large knowledge base: the collection list (`listV2`, each collection with its `dataAmount`) and the
first page of a collection's chunks (`data/v2/list`, with its `total`), over HTTP, SQLite and PostgreSQL, against
a bare SELECT of the same page in the same run, and the HTTP floor (`GET /healthz`) interleaved with them.

`--chunks` chunks are bulk-loaded into `--collections` collections of one dataset, half of them into the first
(a large manual), then counted as the migration counts existing collections.

Usage: python bench/kb_browse.py [--chunks 200000] [--collections 20] [--requests 200] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

import aiohttp  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from bench._routes import ROOT_KEY, figures, pct, servers  # noqa: E402
from pyfastgpt.core.ids import new_id  # noqa: E402
from pyfastgpt.store.db import Database  # noqa: E402
from pyfastgpt.store.models.dataset import DatasetData, rebuild_data_amounts  # noqa: E402

BATCH = 5000
CHUNK = "Chunk {n} of the manual: the training queue claims jobs under a lease, embeds them and writes them. " * 3
BARE_COLLECTIONS = text(
    "SELECT * FROM dataset_collections WHERE dataset_id = :d AND delete_time IS NULL AND parent_id IS NULL "
    "ORDER BY update_time DESC, id DESC LIMIT 20"
)
BARE_DATA = text("SELECT * FROM dataset_datas WHERE collection_id = :c ORDER BY chunk_index, id LIMIT 10")


async def create_collections(base: str, count: int) -> tuple[str, list[str]]:
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {ROOT_KEY}"}) as session:

        async def post(path: str, body: dict[str, Any]) -> Any:
            async with session.post(base + path, json=body) as response:
                assert response.status == 200, await response.text()
                return (await response.json())["data"]

        dataset_id = await post("/api/core/dataset/create", {"name": "manuals"})
        collections = [
            await post("/api/core/dataset/collection/create", {"datasetId": dataset_id, "name": f"manual {n}"})
            for n in range(count)
        ]
    return dataset_id, collections


async def load_chunks(url: str, dataset_id: str, collections: list[str], chunks: int) -> None:
    """Half of the chunks into the first collection, the rest spread over the others; then the counts."""
    db = Database(url)
    try:
        owner = await db.run_read(
            lambda conn: conn.execute(
                text("SELECT team_id, tmb_id FROM datasets WHERE id = :d"), {"d": dataset_id}
            ).one()
        )
        now = datetime.now(UTC)
        others = collections[1:] or collections
        for start in range(0, chunks, BATCH):
            rows = []
            for n in range(start, min(chunks, start + BATCH)):
                collection = collections[0] if n % 2 == 0 else others[n % len(others)]
                rows.append({"id": new_id(), "team_id": owner[0], "tmb_id": owner[1], "dataset_id": dataset_id,
                             "collection_id": collection, "q": CHUNK.format(n=n), "a": "", "chunk_index": n,
                             "update_time": now})  # fmt: skip
            await db.run_write(lambda conn, rows=rows: conn.execute(insert(DatasetData.__table__), rows))
        await db.run_write(lambda conn: rebuild_data_amounts(conn, dataset_id))  # as migration 0016 counts them
        if not db.is_sqlite:
            await db.run_write(lambda conn: conn.execute(text("ANALYZE")))
    finally:
        await db.dispose()


async def bare_selects(url: str, dataset_id: str, collection_id: str, n: int) -> tuple[list[float], list[float]]:
    """The same pages, each statement on its own as the routes read (no BEGIN/ROLLBACK on PostgreSQL)."""
    db = Database(url)
    listed: list[float] = []
    data: list[float] = []
    try:
        for _ in range(n):
            started = time.perf_counter()
            await db.run_read(lambda conn: conn.execute(BARE_COLLECTIONS, {"d": dataset_id}).all(), autocommit=True)
            listed.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            await db.run_read(lambda conn: conn.execute(BARE_DATA, {"c": collection_id}).all(), autocommit=True)
            data.append((time.perf_counter() - started) * 1000)
    finally:
        await db.dispose()
    return listed, data


async def api_calls(base: str, dataset_id: str, collection_id: str, n: int) -> dict[str, Any]:
    samples: dict[str, list[float]] = {"floor": [], "listV2": [], "data": []}
    answers: dict[str, Any] = {}
    requests = {
        "listV2": ("/api/core/dataset/collection/listV2", {"datasetId": dataset_id, "offset": 0, "pageSize": 20}),
        "data": ("/api/core/dataset/data/v2/list", {"collectionId": collection_id, "offset": 0, "pageSize": 10}),
    }
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {ROOT_KEY}"}) as session:
        for _ in range(n):
            started = time.perf_counter()
            async with session.get(base + "/healthz") as response:
                await response.read()
            samples["floor"].append((time.perf_counter() - started) * 1000)
            for name, (path, body) in requests.items():
                started = time.perf_counter()
                async with session.post(base + path, json=body) as response:
                    assert response.status == 200, await response.text()
                    answers[name] = (await response.json())["data"]
                samples[name].append((time.perf_counter() - started) * 1000)
    return {"samples": samples, "answers": answers}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=200_000)
    parser.add_argument("--collections", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    with ExitStack() as stack:
        for backend, base, url in servers(stack, args.backends.split(","), "kb-browse"):
            started = time.perf_counter()
            dataset_id, collections = asyncio.run(create_collections(base, args.collections))
            asyncio.run(load_chunks(url, dataset_id, collections, args.chunks))
            print(f"{backend}: {args.chunks:,} chunks in {args.collections} collections in "
                  f"{time.perf_counter() - started:.0f} s")  # fmt: skip
            asyncio.run(api_calls(base, dataset_id, collections[0], 10))  # warm up
            bare_list, bare_data = asyncio.run(bare_selects(url, dataset_id, collections[0], args.requests))
            measured = asyncio.run(api_calls(base, dataset_id, collections[0], args.requests))
            samples, answers = measured["samples"], measured["answers"]
            amounts = sum(item["dataAmount"] for item in answers["listV2"]["list"])
            assert amounts == args.chunks and answers["data"]["total"] == (args.chunks + 1) // 2, (amounts, answers)
            for name, route, bare in (("listV2", "collection/listV2 (20 collections)", bare_list),
                                      ("data", "data/v2/list (first page)", bare_data)):  # fmt: skip
                print(figures(backend, route, samples[name], bare, samples["floor"]))
                rows.append({"backend": backend, "route": name, "p50": round(statistics.median(samples[name]), 2),
                             "p99": round(pct(samples[name], 99), 2), "bare_p50": round(statistics.median(bare), 2)})  # fmt: skip
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
