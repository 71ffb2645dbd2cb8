"""The knowledge-base bundle: vector store, full-text index, training queue and chunk writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyfastgpt.ai.protocols import ModelRegistry
from pyfastgpt.core.config import Settings
from pyfastgpt.rag.training.chunk import ChunkWriter
from pyfastgpt.rag.training.queue import TrainingQueue
from pyfastgpt.rag.training.worker import TrainingWorker
from pyfastgpt.store.db import Database
from pyfastgpt.store.fulltext import FullTextIndex, build_fulltext_index
from pyfastgpt.store.vector import VectorStore, build_vector_store

EXTRAS_KEY = "knowledge_base"


@dataclass(slots=True)
class KnowledgeBase:
    db: Database
    settings: Settings
    registry: ModelRegistry
    vectors: VectorStore
    texts: FullTextIndex
    queue: TrainingQueue
    writer: ChunkWriter
    workers: list[TrainingWorker] = field(default_factory=list)

    def notify(self) -> None:
        """Wake this process's training workers (jobs were just pushed)."""
        for worker in self.workers:
            worker.notify()

    def new_worker(self, **kwargs: Any) -> TrainingWorker:
        worker = TrainingWorker(self.queue, self.writer, self.registry, **kwargs)
        self.workers.append(worker)
        return worker


def build_knowledge_base(
    db: Database,
    settings: Settings,
    registry: ModelRegistry,
    *,
    vectors: VectorStore | None = None,
    texts: FullTextIndex | None = None,
) -> KnowledgeBase:
    vectors = vectors or build_vector_store(db, settings)
    texts = texts or build_fulltext_index(db)
    return KnowledgeBase(
        db=db,
        settings=settings,
        registry=registry,
        vectors=vectors,
        texts=texts,
        queue=TrainingQueue(db, lease_s=settings.training_lease_s),
        writer=ChunkWriter(db, registry, vectors, texts, text_processes=settings.resolved_text_processes),
    )
