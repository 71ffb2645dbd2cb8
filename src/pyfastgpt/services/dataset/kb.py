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
        writer=ChunkWriter(db, registry, vectors, texts),
    )


def knowledge_base(services: Any) -> KnowledgeBase:
    """The services' knowledge base, built on first use and kept in ``services.extras``.

    It shares ``extras["vector_store"]`` / ``extras["fulltext_index"]`` with the search service
    (creating and registering them when absent), so one process has one in-memory vector index.
    """
    extras: dict[str, Any] = services.extras
    kb = extras.get(EXTRAS_KEY)
    if kb is None:
        vectors = getattr(services, "vector_store", None) or extras.get("vector_store")
        texts = getattr(services, "fulltext_index", None) or extras.get("fulltext_index")
        kb = build_knowledge_base(services.db, services.settings, services.registry, vectors=vectors, texts=texts)
        extras.setdefault("vector_store", kb.vectors)
        extras.setdefault("fulltext_index", kb.texts)
        extras[EXTRAS_KEY] = kb
    assert isinstance(kb, KnowledgeBase)
    return kb
