"""Conversations, messages, per-node responses and the analytics rows (`app_chat_logs`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pyfastgpt.store.models.base import Base, created_column, id_column


class Chat(Base):
    __tablename__ = "chats"
    __table_args__ = (UniqueConstraint("app_id", "chat_id"),)
    id: Mapped[str] = id_column()
    chat_id: Mapped[str] = mapped_column(String(1024))
    team_id: Mapped[str] = mapped_column(String(24))
    tmb_id: Mapped[str] = mapped_column(String(24))
    app_id: Mapped[str] = mapped_column(String(24))
    app_version_id: Mapped[str | None] = mapped_column(String(24), nullable=True)
    create_time: Mapped[datetime] = created_column()
    update_time: Mapped[datetime] = created_column()
    title: Mapped[str] = mapped_column(String(400), default="")
    custom_title: Mapped[str] = mapped_column(String(400), default="")
    top: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(30), default="online")
    source_name: Mapped[str] = mapped_column(String(200), default="")
    share_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    out_link_uid: Mapped[str | None] = mapped_column(String(255), nullable=True)
    variable_list: Mapped[list[Any] | None] = mapped_column(nullable=True)
    welcome_text: Mapped[str] = mapped_column(Text, default="")
    variables: Mapped[dict[str, Any]] = mapped_column(default=dict)
    plugin_inputs: Mapped[list[Any] | None] = mapped_column(nullable=True)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    has_good_feedback: Mapped[bool] = mapped_column(Boolean, default=False)
    has_bad_feedback: Mapped[bool] = mapped_column(Boolean, default=False)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    chat_generate_status: Mapped[int] = mapped_column(Integer, default=1)  # 0 generating, 1 done, 2 error
    # FastGPT 4.15 `hasBeenRead`: false when a round starts and when it ends, true after `markRead`;
    # NULL for chats written before the column existed (left out of the wire shape, as Mongo does).
    has_been_read: Mapped[bool | None] = mapped_column(Boolean, nullable=True, default=False)
    delete_time: Mapped[datetime | None] = mapped_column(nullable=True)


class ChatItem(Base):
    __tablename__ = "chat_items"
    __table_args__ = (UniqueConstraint("app_id", "chat_id", "data_id"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    data_id: Mapped[str] = mapped_column(String(64))
    team_id: Mapped[str] = mapped_column(String(24))
    tmb_id: Mapped[str] = mapped_column(String(24))
    chat_id: Mapped[str] = mapped_column(String(1024))
    app_id: Mapped[str] = mapped_column(String(24))
    time: Mapped[datetime] = created_column()
    obj: Mapped[str] = mapped_column(String(10))  # Human | AI | System
    value: Mapped[list[Any]] = mapped_column(default=list)
    hide_in_ui: Mapped[bool] = mapped_column(Boolean, default=False)
    memories: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    error_msg: Mapped[str | None] = mapped_column(Text, nullable=True)
    duration_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    total_points: Mapped[float] = mapped_column(Float, default=0.0)
    cite_collection_ids: Mapped[list[Any] | None] = mapped_column(nullable=True)
    user_good_feedback: Mapped[str | None] = mapped_column(Text, nullable=True)
    user_bad_feedback: Mapped[str | None] = mapped_column(Text, nullable=True)
    custom_feedbacks: Mapped[list[Any] | None] = mapped_column(nullable=True)
    admin_feedback: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    is_feedback_read: Mapped[bool] = mapped_column(Boolean, default=False)
    delete_time: Mapped[datetime | None] = mapped_column(nullable=True)


class ChatItemResponse(Base):
    """Per-node responses of an AI message (FastGPT 4.16 `chat_item_responses`)."""

    __tablename__ = "chat_item_responses"
    id: Mapped[str] = id_column()
    app_id: Mapped[str] = mapped_column(String(24))
    chat_id: Mapped[str] = mapped_column(String(1024))
    chat_item_data_id: Mapped[str] = mapped_column(String(64))
    data: Mapped[list[Any]] = mapped_column(default=list)
    time: Mapped[datetime] = created_column()


class AppChatLog(Base):
    """Analytics row: one per chat per 15-minute window (FastGPT `app_chat_logs`)."""

    __tablename__ = "app_chat_logs"
    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(String(24))
    app_id: Mapped[str] = mapped_column(String(24))
    chat_id: Mapped[str] = mapped_column(String(1024))
    user_id: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(30))
    source_name: Mapped[str] = mapped_column(String(200), default="")
    create_time: Mapped[datetime] = created_column()
    update_time: Mapped[datetime] = created_column()
    chat_item_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    total_points: Mapped[float] = mapped_column(Float, default=0.0)
    good_feedback_count: Mapped[int] = mapped_column(Integer, default=0)
    bad_feedback_count: Mapped[int] = mapped_column(Integer, default=0)
    total_response_time: Mapped[float] = mapped_column(Float, default=0.0)
    is_first_chat: Mapped[bool] = mapped_column(Boolean, default=False)


Index("ix_chats_app_tmb_update", Chat.app_id, Chat.tmb_id, Chat.update_time)
Index("ix_chats_app_tmb_top_update", Chat.app_id, Chat.tmb_id, Chat.top, Chat.update_time, Chat.id)
Index("ix_chats_app_update_id", Chat.app_id, Chat.update_time, Chat.id)
Index("ix_chats_app_share_uid", Chat.app_id, Chat.share_id, Chat.out_link_uid)
# one end user's chats of a key holder (`customUid`/`outLinkUid` filter, FastGPT#3929), in list order
Index(
    "ix_chats_app_tmb_uid_top_update", Chat.app_id, Chat.tmb_id, Chat.out_link_uid, Chat.top, Chat.update_time, Chat.id
)
Index("ix_chat_items_chat", ChatItem.app_id, ChatItem.chat_id, ChatItem.id)
Index(
    "ix_chat_item_responses_item", ChatItemResponse.app_id, ChatItemResponse.chat_id, ChatItemResponse.chat_item_data_id
)
Index("ix_app_chat_logs_app_update", AppChatLog.app_id, AppChatLog.update_time)
Index("ix_app_chat_logs_chat", AppChatLog.app_id, AppChatLog.chat_id, AppChatLog.update_time)
Index("ix_app_chat_logs_user", AppChatLog.app_id, AppChatLog.user_id)
Index("ix_app_chat_logs_user_update", AppChatLog.app_id, AppChatLog.user_id, AppChatLog.update_time)
Index("ix_app_chat_logs_first", AppChatLog.app_id, AppChatLog.is_first_chat, AppChatLog.create_time)
