"""Uploaded files and usage (billing) records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pyfastgpt.store.models.base import Base, created_column, id_column


class StoredFile(Base):
    __tablename__ = "files"
    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(String(24))
    tmb_id: Mapped[str] = mapped_column(String(24))
    bucket: Mapped[str] = mapped_column(String(30))  # chat | dataset | avatar
    key: Mapped[str] = mapped_column(String(500), unique=True)
    name: Mapped[str] = mapped_column(String(400))
    content_type: Mapped[str] = mapped_column(String(200), default="application/octet-stream")
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    create_time: Mapped[datetime] = created_column()
    expire_time: Mapped[datetime | None] = mapped_column(nullable=True)


class UsageRecord(Base):
    """One billed operation (a chat round, a training batch, a search) with its usage items."""

    __tablename__ = "usages"
    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(String(24))
    tmb_id: Mapped[str] = mapped_column(String(24))
    app_id: Mapped[str | None] = mapped_column(String(24), nullable=True)
    source: Mapped[str] = mapped_column(String(30), default="fastgpt")
    app_name: Mapped[str] = mapped_column(Text, default="")
    total_points: Mapped[float] = mapped_column(Float, default=0.0)
    items: Mapped[list[Any]] = mapped_column(default=list)
    create_time: Mapped[datetime] = created_column()


Index("ix_usages_team_time", UsageRecord.team_id, UsageRecord.create_time)
