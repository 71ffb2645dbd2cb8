"""Mirrored SSE chunks of v2 chat streams, so a client can reattach (FastGPT 4.14.11 stream resume).

FastGPT keeps them in a Redis stream per chat (`stream:resume:data:{teamId}:{appId}:{chatId}`);
here a row holds the chunks one
server flushed together (every 50 ms). A run is one `run_id`: its `start` row (`seq` 0) names the
chat's owner (a chat the server named itself has no `chats` row until the round ends), each `data`
row's `seq` counts the chunks sent through it, and an `end` row closes the run. A new run of the
same chat drops the rows of the old one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pyfastgpt.store.models.base import Base, created_column


class ChatStreamEvent(Base):
    __tablename__ = "chat_stream_events"
    __table_args__ = (
        Index("ix_chat_stream_events_run_seq", "run_id", "seq", unique=True),
        Index("ix_chat_stream_events_chat", "app_id", "chat_id", "id"),
        Index("ix_chat_stream_events_create_time", "create_time"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(24))
    app_id: Mapped[str] = mapped_column(String(24))
    chat_id: Mapped[str] = mapped_column(String(1024))
    run_id: Mapped[str] = mapped_column(String(24))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))  # start | data | end
    data: Mapped[str] = mapped_column(Text, default="")
    create_time: Mapped[datetime] = created_column()
