"""Tenancy and credentials: teams, members, API keys, share links, system settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pyfastgpt.store.models.base import Base, created_column, id_column


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(200))
    create_time: Mapped[datetime] = created_column()


class TeamMember(Base):
    __tablename__ = "team_members"
    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="member")  # owner | admin | member
    create_time: Mapped[datetime] = created_column()


class ApiKey(Base):
    """FastGPT's `openapi` collection: team keys (app_id NULL) and app-bound keys."""

    __tablename__ = "api_keys"
    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    tmb_id: Mapped[str] = mapped_column(String(24), index=True)
    app_id: Mapped[str | None] = mapped_column(String(24), index=True, nullable=True)
    name: Mapped[str] = mapped_column(String(200), default="Api Key")
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_masked: Mapped[str] = mapped_column(String(80))
    create_time: Mapped[datetime] = created_column()
    last_used_time: Mapped[datetime | None] = mapped_column(nullable=True)
    usage_points: Mapped[float] = mapped_column(Float, default=0.0)
    expired_time: Mapped[datetime | None] = mapped_column(nullable=True)
    max_usage_points: Mapped[float] = mapped_column(Float, default=-1.0)


class ShareLink(Base):
    """FastGPT's `outlinks` collection (share links / publish channels)."""

    __tablename__ = "share_links"
    id: Mapped[str] = id_column()
    share_id: Mapped[str] = mapped_column(String(64), unique=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    tmb_id: Mapped[str] = mapped_column(String(24))
    app_id: Mapped[str] = mapped_column(String(24), index=True)
    type: Mapped[str] = mapped_column(String(30), default="share")
    name: Mapped[str] = mapped_column(String(200))
    show_cite: Mapped[bool] = mapped_column(Boolean, default=False)
    show_running_status: Mapped[bool] = mapped_column(Boolean, default=True)
    show_full_text: Mapped[bool] = mapped_column(Boolean, default=False)
    can_download_source: Mapped[bool] = mapped_column(Boolean, default=False)
    immediate_response: Mapped[str | None] = mapped_column(Text, nullable=True)
    default_response: Mapped[str | None] = mapped_column(Text, nullable=True)
    usage_points: Mapped[float] = mapped_column(Float, default=0.0)
    last_time: Mapped[datetime | None] = mapped_column(nullable=True)
    expired_time: Mapped[datetime | None] = mapped_column(nullable=True)
    qpm: Mapped[int] = mapped_column(Integer, default=1000)
    max_usage_points: Mapped[float] = mapped_column(Float, default=-1.0)
    hook_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    app_config: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    create_time: Mapped[datetime] = created_column()


class SystemSetting(Base):
    __tablename__ = "system_settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column()


Index("ix_api_keys_team_app", ApiKey.team_id, ApiKey.app_id)
