"""Knowledge base: datasets, collections, data, data indexes and the training queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Connection, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from pyfastgpt.store.models.base import Base, UtcDateTime, created_column, id_column


class Dataset(Base):
    __tablename__ = "datasets"
    id: Mapped[str] = id_column()
    parent_id: Mapped[str | None] = mapped_column(String(24), nullable=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    tmb_id: Mapped[str] = mapped_column(String(24))
    type: Mapped[str] = mapped_column(String(30), default="dataset")
    name: Mapped[str] = mapped_column(String(200))
    avatar: Mapped[str] = mapped_column(Text, default="")
    intro: Mapped[str] = mapped_column(Text, default="")
    vector_model: Mapped[str] = mapped_column(String(200), default="")
    agent_model: Mapped[str] = mapped_column(String(200), default="")
    vlm_model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    chunk_settings: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    website_config: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    api_dataset_server: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)  # {apiServer: {baseUrl, …}}
    create_time: Mapped[datetime] = created_column()
    update_time: Mapped[datetime] = created_column()
    delete_time: Mapped[datetime | None] = mapped_column(nullable=True)


class DatasetCollection(Base):
    __tablename__ = "dataset_collections"
    id: Mapped[str] = id_column()
    parent_id: Mapped[str | None] = mapped_column(String(24), nullable=True)
    team_id: Mapped[str] = mapped_column(String(24))
    tmb_id: Mapped[str] = mapped_column(String(24))
    dataset_id: Mapped[str] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(30), default="virtual")
    name: Mapped[str] = mapped_column(String(400))
    tags: Mapped[list[Any]] = mapped_column(default=list)
    file_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    raw_link: Mapped[str | None] = mapped_column(Text, nullable=True)
    api_file_id: Mapped[str | None] = mapped_column(String(200), nullable=True)  # apiFile collections
    raw_text_length: Mapped[int] = mapped_column(Integer, default=0)
    hash_raw_text: Mapped[str | None] = mapped_column(String(64), nullable=True)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    forbid: Mapped[bool] = mapped_column(Boolean, default=False)
    training_type: Mapped[str] = mapped_column(String(20), default="chunk")
    chunk_settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Its `dataset_datas` rows, counted in the transactions that insert (training) and delete (`purge_data`) them:
    # the collection list's `dataAmount` and the data list's `total` read it instead of counting every chunk.
    data_amount: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    create_time: Mapped[datetime] = created_column()
    update_time: Mapped[datetime] = created_column()
    delete_time: Mapped[datetime | None] = mapped_column(nullable=True)


class DatasetData(Base):
    __tablename__ = "dataset_datas"
    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(String(24))
    tmb_id: Mapped[str] = mapped_column(String(24))
    dataset_id: Mapped[str] = mapped_column(String(24))
    collection_id: Mapped[str] = mapped_column(ForeignKey("dataset_collections.id", ondelete="CASCADE"))
    q: Mapped[str] = mapped_column(Text)
    a: Mapped[str] = mapped_column(Text, default="")
    meta: Mapped[dict[str, Any] | None] = mapped_column("metadata", nullable=True)
    chunk_index: Mapped[int] = mapped_column(Integer, default=0)
    # No longer written (empty): `dataset_texts.tokens` holds a data item's segmentation, as FastGPT's
    # `dataset_data_texts.fullTextToken` does; a second copy here doubled a row past the TOAST threshold.
    full_text_token: Mapped[str] = mapped_column(Text, default="")
    # `count_tokens(q + a)`, written with q and a, so that a search's token budget reads it (null: count then).
    tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    history: Mapped[list[Any] | None] = mapped_column(nullable=True)
    rebuilding: Mapped[bool] = mapped_column(Boolean, default=False)
    update_time: Mapped[datetime] = created_column()


class DatasetDataIndex(Base):
    """One embedded index of a data item; its integer id is the vector row id (FastGPT `indexes[].dataId`)."""

    __tablename__ = "dataset_data_indexes"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    data_id: Mapped[str] = mapped_column(ForeignKey("dataset_datas.id", ondelete="CASCADE"))
    team_id: Mapped[str] = mapped_column(String(24))
    dataset_id: Mapped[str] = mapped_column(String(24))
    collection_id: Mapped[str] = mapped_column(String(24))
    type: Mapped[str] = mapped_column(String(20), default="default")
    text: Mapped[str] = mapped_column(Text)


class TrainingJob(Base):
    """Durable training queue (`dataset_trainings`): claimed with a lease, retried up to 5 times."""

    __tablename__ = "training_jobs"
    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(String(24))
    tmb_id: Mapped[str] = mapped_column(String(24))
    dataset_id: Mapped[str] = mapped_column(String(24))
    collection_id: Mapped[str] = mapped_column(String(24))
    bill_id: Mapped[str | None] = mapped_column(String(24), nullable=True)
    mode: Mapped[str] = mapped_column(String(20), default="chunk")
    lock_time: Mapped[datetime] = mapped_column(UtcDateTime(), default=lambda: datetime(2000, 1, 1))
    lease_owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    retry_count: Mapped[int] = mapped_column(Integer, default=5)
    q: Mapped[str] = mapped_column(Text, default="")
    a: Mapped[str] = mapped_column(Text, default="")
    chunk_index: Mapped[int] = mapped_column(Integer, default=0)
    index_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    weight: Mapped[float] = mapped_column(Float, default=0.0)
    data_id: Mapped[str | None] = mapped_column(String(24), nullable=True)
    indexes: Mapped[list[Any] | None] = mapped_column(nullable=True)
    meta: Mapped[dict[str, Any] | None] = mapped_column("metadata", nullable=True)
    error_msg: Mapped[str | None] = mapped_column(Text, nullable=True)
    create_time: Mapped[datetime] = created_column()


Index("ix_datasets_team_parent", Dataset.team_id, Dataset.parent_id)
Index("ix_dataset_collections_dataset", DatasetCollection.dataset_id, DatasetCollection.parent_id)
Index("ix_dataset_datas_collection", DatasetData.collection_id, DatasetData.chunk_index)
Index("ix_dataset_datas_dataset", DatasetData.dataset_id)
Index("ix_dataset_data_indexes_data", DatasetDataIndex.data_id)
Index("ix_dataset_data_indexes_dataset", DatasetDataIndex.dataset_id)
Index("ix_training_jobs_claim", TrainingJob.mode, TrainingJob.lock_time)
Index("ix_training_jobs_collection", TrainingJob.collection_id)


def rebuild_data_amounts(conn: Connection, dataset_id: str | None = None) -> None:
    """Recount `dataset_collections.data_amount` from `dataset_datas` (all datasets, or one): the migration's
    backfill, and a repair after rows were written around the training path."""
    scope = " WHERE dataset_id = :dataset" if dataset_id else ""
    conn.execute(
        text(
            "UPDATE dataset_collections SET data_amount = (SELECT count(*) FROM dataset_datas d "
            f"WHERE d.collection_id = dataset_collections.id){scope}"
        ),
        {"dataset": dataset_id} if dataset_id else {},
    )
