"""Knowledge-base index benchmark: vector search (embedded numpy/HNSW vs pgvector) and full text
(SQLite FTS5 vs PostgreSQL tsvector + GIN), through the pyfastgpt adapters.

    .venv/bin/python bench/search_index.py [--n 100000] [--dim 384] [--queries 100]
                                          [--backends sqlite,pg] [--skip-fts] [--million]

Vectors: n unit vectors around 1000 cluster centres, split into one 30 % dataset and seventy 1 %
datasets (one team). Scenarios: "all" (every dataset id in the filter: unfiltered-ish), "1 %" and
"30 %". Reports search p50/p99 and recall@10 against exact ground truth, and the ratio of p50 to a
numpy brute-force scan of all n vectors measured in the same run (the baseline). The embedded store
gets its data through `add`; pgvector gets a bulk COPY with the HNSW index built afterwards (row-by-row
HNSW inserts cost several ms each on 2 cores), then searches through the adapter. `--million` sets
n = 1,000,000 (HNSW builds take many minutes).
Full text: n rows of 60 Zipf-distributed mixed zh/en tokens (already segmented), 3-5 token OR queries
of content words (ranks >= 20).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

import numpy as np  # noqa: E402
from sqlalchemy import text  # noqa: E402

from pyfastgpt.store.db import Database  # noqa: E402
from pyfastgpt.store.fulltext import TextRow, build_fulltext_index  # noqa: E402
from pyfastgpt.store.migrate import upgrade  # noqa: E402
from pyfastgpt.store.vector import EmbeddedVectorStore, PgVectorStore, VectorRow, VectorStore  # noqa: E402

TEAM = "team0"


def make_vectors(n: int, dim: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    centers = rng.standard_normal((1000, dim)).astype(np.float32)
    centers /= np.linalg.norm(centers, axis=1, keepdims=True)
    matrix = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 50_000):
        size = min(50_000, n - start)
        block = centers[rng.integers(0, 1000, size)] + (0.8 / np.sqrt(dim)) * rng.standard_normal((size, dim))
        matrix[start : start + size] = block / np.linalg.norm(block, axis=1, keepdims=True)
    big = int(n * 0.30)
    datasets = np.empty(n, dtype=object)
    datasets[:big] = "big"
    small = np.arange(n - big) * 70 // (n - big)
    datasets[big:] = [f"s{i:02d}" for i in small]
    order = rng.permutation(n)  # interleave datasets as real ingestion would
    return matrix[order], datasets[order], np.arange(1, n + 1)


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(values), p))


async def timed(fn: Any, queries: np.ndarray) -> tuple[list[float], list[Any]]:
    times, results = [], []
    for q in queries:
        start = time.perf_counter()
        results.append(await fn(q))
        times.append((time.perf_counter() - start) * 1000)
    return times, results


async def load_pg_vectors(db: Database, matrix: np.ndarray, datasets: np.ndarray, ids: np.ndarray) -> float:
    start = time.perf_counter()
    buf = io.StringIO()
    np.savetxt(buf, matrix, fmt="%.7g", delimiter=",")
    lines = buf.getvalue().splitlines()
    csv = io.BytesIO()
    for i, line in enumerate(lines):
        csv.write(f'{ids[i]},{TEAM},{datasets[i]},c{ids[i] % 50},{matrix.shape[1]},"[{line}]"\n'.encode())
    csv.seek(0)
    async with db.write_engine.connect() as conn:
        raw = await conn.get_raw_connection()
        pg = raw.driver_connection
        assert pg is not None
        # built again after the bulk load, exactly as the migrations define it
        definition = await pg.fetchval("SELECT pg_get_indexdef('kbx_vectors_hnsw_384'::regclass)")
        await pg.execute("DROP INDEX IF EXISTS kbx_vectors_hnsw_384")
        await pg.copy_to_table(
            "dataset_vectors",
            source=csv,
            columns=["id", "team_id", "dataset_id", "collection_id", "dim", "embedding"],
            format="csv",
        )
        await pg.execute("SET maintenance_work_mem = '2GB'")
        await pg.execute(definition)
        await pg.execute("ANALYZE dataset_vectors")
        await conn.commit()
    return time.perf_counter() - start


async def load_embedded(
    db: Database, store: VectorStore, matrix: np.ndarray, datasets: np.ndarray, ids: np.ndarray
) -> float:
    start = time.perf_counter()
    for s in range(0, len(ids), 5000):
        rows = [
            VectorRow(int(ids[i]), TEAM, str(datasets[i]), f"c{ids[i] % 50}", matrix[i])
            for i in range(s, min(s + 5000, len(ids)))
        ]
        await db.run_write(lambda conn, rows=rows: store.add(conn, rows))
        store.committed(rows)
    return time.perf_counter() - start


async def bench_vectors(backend: str, url: str, args: argparse.Namespace) -> list[str]:
    rng = np.random.default_rng(42)
    matrix, datasets, ids = make_vectors(args.n, args.dim, rng)
    queries = matrix[rng.integers(0, args.n, args.queries)] + (0.5 / np.sqrt(args.dim)) * rng.standard_normal(
        (args.queries, args.dim)
    ).astype(np.float32)
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    base_times = []
    for q in queries:
        start = time.perf_counter()
        scores = matrix @ q
        np.argpartition(-scores, 10)[:10]
        base_times.append((time.perf_counter() - start) * 1000)
    baseline = statistics.median(base_times)
    await upgrade(url)
    db = Database(url)
    store: VectorStore = EmbeddedVectorStore(db) if db.is_sqlite else PgVectorStore(db)
    lines = [f"[{backend}] numpy brute force over all {args.n}: p50 {baseline:.2f} ms (baseline)"]
    try:
        if db.is_sqlite:
            load = await load_embedded(db, store, matrix, datasets, ids)
        else:
            load = await load_pg_vectors(db, matrix, datasets, ids)
        lines.append(f"[{backend}] load {args.n} vectors: {load:.1f} s")
        all_sets = sorted(set(datasets.tolist()))
        if isinstance(store, EmbeddedVectorStore):
            start = time.perf_counter()
            await store.search(team_id=TEAM, dataset_ids=all_sets, query=queries[0], limit=10)
            await store.wait_for_builds()
            lines.append(
                f"[{backend}] first search (load from SQLite) + HNSW build: {time.perf_counter() - start:.1f} s"
            )
        for label, scope in (("all", all_sets), ("1 %", ["s07"]), ("30 %", ["big"])):
            keep = np.isin(datasets, scope)
            sub, sub_ids = matrix[keep], ids[keep]

            async def search(q: np.ndarray, scope: list[str] = scope) -> list[int]:
                hits = await store.search(team_id=TEAM, dataset_ids=scope, query=q, limit=10)
                return [h.id for h in hits]

            await timed(search, queries[:5])  # warm up (and PostgreSQL's plan cache past 5 runs)
            times, results = await timed(search, queries)
            found = 0
            for q, got in zip(queries, results, strict=True):
                truth = sub_ids[np.argsort(-(sub @ q))[:10]]
                found += len(set(truth.tolist()) & set(got))
            p50 = percentile(times, 50)
            lines.append(
                f"[{backend}] vectors {label:>4} ({int(keep.sum())}): p50 {p50:.2f} ms  p99 {percentile(times, 99):.2f} ms"
                f"  recall@10 {found / (10 * len(queries)):.3f}  p50/baseline {p50 / baseline:.3f}"
            )
    finally:
        await store.close()
        await db.dispose()
    return lines


def make_texts(n: int, rng: np.random.Generator) -> tuple[list[TextRow], list[list[str]]]:
    cjk = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    vocab = ["".join(rng.choice(cjk, 2)) for _ in range(15_000)] + [f"term{i}" for i in range(5_000)]
    weights = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05
    weights /= weights.sum()
    picks = rng.choice(len(vocab), size=(n, 60), p=weights)
    rows = []
    for i in range(n):
        dataset = "big" if i % 10 < 3 else f"s{(i * 7) % 70:02d}"
        rows.append(TextRow(f"d{i:09d}", TEAM, dataset, f"c{i % 50}", " ".join(vocab[j] for j in picks[i])))
    # Queries are content words: Zipf over ranks >= 20 (the top ranks play stop words such as 的/是).
    content = weights[20:] / weights[20:].sum()
    queries = [
        [vocab[20 + j] for j in rng.choice(len(content), size=rng.integers(3, 6), p=content)] for _ in range(200)
    ]
    return rows, queries


async def bench_fulltext(backend: str, url: str, args: argparse.Namespace) -> list[str]:
    rng = np.random.default_rng(7)
    rows, queries = make_texts(args.n, rng)
    await upgrade(url)
    db = Database(url)
    index = build_fulltext_index(db)
    lines = []
    try:
        start = time.perf_counter()
        for s in range(0, len(rows), 5000):
            chunk = rows[s : s + 5000]
            await db.run_write(lambda conn, chunk=chunk: index.add(conn, chunk))
        if not db.is_sqlite:
            await db.run_write(lambda conn: conn.execute(text("ANALYZE dataset_texts")))
        lines.append(f"[{backend}] full text: index {args.n} rows in {time.perf_counter() - start:.1f} s")
        all_sets = sorted({r.dataset_id for r in rows})
        for label, scope in (("all", all_sets), ("1 %", ["s07"]), ("30 %", ["big"])):
            times = []
            for q in queries[:5] + queries:
                start = time.perf_counter()
                await index.search(team_id=TEAM, dataset_ids=scope, query_tokens=q, limit=100)
                times.append((time.perf_counter() - start) * 1000)
            times = times[5:]
            lines.append(
                f"[{backend}] full text {label:>4}: OR query p50 {percentile(times, 50):.2f} ms"
                f"  p99 {percentile(times, 99):.2f} ms"
            )
    finally:
        await db.dispose()
    return lines


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--backends", default="sqlite,pg")
    parser.add_argument("--skip-fts", action="store_true")
    parser.add_argument("--skip-vectors", action="store_true")
    parser.add_argument("--million", action="store_true", help="n = 1,000,000 (slow: HNSW builds take minutes)")
    args = parser.parse_args()
    if args.million:
        args.n = 1_000_000
    backends = args.backends.split(",")
    with ExitStack() as stack:
        cluster = None
        if "pg" in backends:
            from tests.support.pg import throwaway_postgres

            cluster = stack.enter_context(throwaway_postgres())

        def url(backend: str) -> str:
            if backend == "pg":
                assert cluster is not None
                return cluster.new_database()
            return f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='bench-kb-')) / 'kb.db'}"

        for backend in backends:
            if not args.skip_vectors:
                for line in await bench_vectors(backend, url(backend), args):
                    print(line, flush=True)
            if not args.skip_fts:
                for line in await bench_fulltext(backend, url(backend), args):
                    print(line, flush=True)


if __name__ == "__main__":
    asyncio.run(main())
