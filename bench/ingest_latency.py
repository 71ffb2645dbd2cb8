"""Chat latency while the same server ingests: does an upload stall the chats the server answers?

One server process (SQLite, 2 training loops; the fake provider for the LLM and another for the
embeddings, each in a process of its own, so that chats do not queue behind embedding requests), first with ingestion's text work in threads of the server's process
(`TEXT_PROCESSES=0`), then in text worker processes (the default), in the same run. For each: chat
rounds at concurrency 1 with the server idle (baseline); then `--mb` MB of documents uploaded as text
collections (each split inside its request) and trained, while the same chat loop runs throughout.
Prints the chats' p50 / p99 / max idle and during the ingestion, how long the uploads took, and the
time until the training queue was empty.

`--probe healthz` sends GET /healthz rounds instead: the event loop's own responsiveness, no database.

Usage: python bench/ingest_latency.py [--mb 5] [--seconds 3] [--probe chat|healthz]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

import aiohttp  # noqa: E402

from bench._load import fake_provider, free_port, process_server, uvicorn_cmd  # noqa: E402
from bench.ingest import document  # noqa: E402

QUESTION = {"messages": [{"role": "user", "content": "Say something short."}]}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def corpus(megabytes: float) -> list[str]:
    rng, texts, total = random.Random(20261203), [], 0
    while total < megabytes * 1024 * 1024:
        text = document(rng, rng.randint(200_000, 400_000), len(texts))
        texts.append(text)
        total += len(text.encode())
    return texts


async def chats(session: aiohttp.ClientSession, url: str, stop: asyncio.Event) -> list[float]:
    """Rounds one after the other until ``stop``: chat completions, or GET /healthz (`--probe healthz`)."""
    latencies: list[float] = []
    while not stop.is_set():
        started = time.perf_counter()
        request = session.get(url) if url.endswith("/healthz") else session.post(url, json=QUESTION)
        async with request as response:
            await response.read()
            assert response.status == 200, response.status
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def idle_chats(base: str, key: str, seconds: float, route: str) -> list[float]:
    stop = asyncio.Event()
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {key}"}) as session:
        loop = asyncio.create_task(chats(session, base + route, stop))
        await asyncio.sleep(seconds)
        stop.set()
        return await loop


async def ingest_with_chats(base: str, app_key: str, root: str, texts: list[str], route: str) -> dict[str, Any]:
    stop = asyncio.Event()
    root_headers = {"Authorization": f"Bearer {root}"}
    async with (
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {app_key}"}) as chat_session,
        aiohttp.ClientSession(headers=root_headers) as admin,
    ):
        async with admin.post(base + "/api/core/dataset/create", json={"name": "bench"}) as response:
            dataset_id = (await response.json())["data"]
        loop = asyncio.create_task(chats(chat_session, base + route, stop))
        await asyncio.sleep(0.5)
        started = time.perf_counter()
        for number, text in enumerate(texts):
            body = {"datasetId": dataset_id, "name": f"doc {number}", "text": text}
            async with admin.post(base + "/api/core/dataset/collection/create/text", json=body) as response:
                assert response.status == 200, await response.text()
        uploaded = time.perf_counter() - started
        queue = f"{base}/api/core/dataset/training/getDatasetTrainingQueue?datasetId={dataset_id}"
        while True:
            async with admin.get(queue) as response:
                if (await response.json())["data"]["trainingCount"] == 0:
                    break
            await asyncio.sleep(0.05)
        trained = time.perf_counter() - started
        stop.set()
        latencies = await loop
    return {"uploaded": uploaded, "trained": trained, "latencies": latencies}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument(
        "--probe",
        choices=["chat", "healthz"],
        default="chat",
        help="healthz: GET /healthz rounds instead (the event loop alone, no database)",
    )
    args = parser.parse_args()
    route = "/healthz" if args.probe == "healthz" else "/api/v1/chat/completions"
    texts = corpus(args.mb)
    size = sum(len(text.encode()) for text in texts) / 1e6
    print(f"{len(texts)} documents, {size:.2f} MB; {args.probe} rounds at c=1 (fake provider, zero delay)")
    # two fake providers: chats must not queue behind the embedding requests in one provider process
    with fake_provider() as fake_base, fake_provider() as embedder_base:
        for mode, processes in (("threads", "0"), ("text workers", "-1")):
            data_dir = Path(tempfile.mkdtemp(prefix="bench-ingest-latency-"))
            models = data_dir / "models.yaml"
            models.write_text(
                f'providers:\n  fake: {{base_url: "{fake_base}", api_key: k}}\n'
                f'  embedder: {{base_url: "{embedder_base}", api_key: k}}\n'
                "models:\n  - {id: fake-llm, type: llm, provider: fake, maxContext: 16000}\n"
                "  - {id: fake-embedding, type: embedding, provider: embedder, dimension: 384, batchSize: 32}\n"
            )
            env = {"DATA_DIR": str(data_dir), "ROOT_KEY": "bench-root", "LOG_LEVEL": "WARNING",
                   "MODELS_CONFIG": str(models), "DEFAULT_LLM": "fake-llm", "DEFAULT_EMBEDDING": "fake-embedding",
                   "LOCAL_LLM_ENABLED": "false", "TEXT_PROCESSES": processes}  # fmt: skip
            port = free_port()
            with process_server(uvicorn_cmd("pyfastgpt.app:create_app", port, factory=True), port, env) as base:
                key = json.loads((data_dir / "credentials.json").read_text())["appKey"]
                idle = asyncio.run(idle_chats(base, key, args.seconds, route))
                busy = asyncio.run(ingest_with_chats(base, key, "bench-root", texts, route))
            during = busy["latencies"]
            print(
                f"{mode:<13} {args.probe} idle p50 {statistics.median(idle):6.2f} ms  p99 {pct(idle, 99):6.2f} ms"
                f"  | while ingesting ({len(during)} rounds) p50 {statistics.median(during):6.2f} ms"
                f"  p90 {pct(during, 90):6.2f} ms  p99 {pct(during, 99):7.2f} ms  max {max(during):7.2f} ms"
                f"  over 20 ms: {sum(v > 20 for v in during)} rounds, {sum(v for v in during if v > 20) / 1000:.2f} s"
                f"  | uploads {busy['uploaded']:.1f} s, trained after {busy['trained']:.1f} s"
            )


if __name__ == "__main__":
    main()
