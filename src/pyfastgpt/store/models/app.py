"""Apps and their versions (FastGPT's `apps` and `app_versions`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from pyfastgpt.store.models.base import Base, created_column, id_column


class App(Base):
    __tablename__ = "apps"
    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    tmb_id: Mapped[str] = mapped_column(String(24))
    parent_id: Mapped[str | None] = mapped_column(String(24), nullable=True)
    type: Mapped[str] = mapped_column(String(30), default="advanced")
    name: Mapped[str] = mapped_column(String(200))
    avatar: Mapped[str] = mapped_column(Text, default="")
    intro: Mapped[str] = mapped_column(Text, default="")
    modules: Mapped[list[Any]] = mapped_column(default=list)
    edges: Mapped[list[Any]] = mapped_column(default=list)
    chat_config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Written with `modules` (`services.apps.graph_values`): the app list reads it instead of the workflow.
    has_interactive_node: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    plugin_data: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    version: Mapped[str] = mapped_column(String(10), default="v2")
    create_time: Mapped[datetime] = created_column()
    update_time: Mapped[datetime] = created_column()
    delete_time: Mapped[datetime | None] = mapped_column(nullable=True)


class AppVersion(Base):
    __tablename__ = "app_versions"
    id: Mapped[str] = id_column()
    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    team_id: Mapped[str] = mapped_column(String(24))
    tmb_id: Mapped[str] = mapped_column(String(24))
    nodes: Mapped[list[Any]] = mapped_column(default=list)
    edges: Mapped[list[Any]] = mapped_column(default=list)
    chat_config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    is_publish: Mapped[bool] = mapped_column(Boolean, default=True)
    version_name: Mapped[str] = mapped_column(String(200), default="")
    time: Mapped[datetime] = created_column()


Index("ix_apps_team_parent", App.team_id, App.parent_id)
Index("ix_app_versions_app_time", AppVersion.app_id, AppVersion.is_publish, AppVersion.time)
