"""FastGPT's `mcp_keys` collection: a team's MCP servers, each a key naming the apps it serves as tools."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from pyfastgpt.store.models.base import Base, created_column, id_column


class McpKey(Base):
    """`key` is the secret in the endpoint URL (`/api/mcp/app/{key}/mcp`), shown in lists as FastGPT does.

    `apps` holds FastGPT's `[{appId, appName, toolName, description}]`; `datasets` (a pyfastgpt
    extension) holds `[{datasetId, datasetName, toolName, description, searchMode, limit, similarity,
    usingReRank}]`, each served as a dataset-search tool."""

    __tablename__ = "mcp_keys"
    id: Mapped[str] = id_column()
    key: Mapped[str] = mapped_column(String(64), unique=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    tmb_id: Mapped[str] = mapped_column(String(24), index=True)
    name: Mapped[str] = mapped_column(String(200))
    apps: Mapped[list[Any]] = mapped_column(default=list)
    datasets: Mapped[list[Any]] = mapped_column(default=list)
    create_time: Mapped[datetime] = created_column()
