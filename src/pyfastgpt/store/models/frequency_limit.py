"""Request counters per event and time window (FastGPT's `frequency_limit` collection).

A row counts the requests of one event (a share link × client IP for the share-link QPM limit) in a
fixed window that the first request opens: `expires_at` is the window's end in epoch seconds. Every
replica counts in the same row, so a limit holds across replicas. `services/share/limits.py` writes it.
"""

from __future__ import annotations

from sqlalchemy import Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pyfastgpt.store.models.base import Base


class FrequencyLimit(Base):
    __tablename__ = "frequency_limits"
    __table_args__ = (Index("ix_frequency_limits_expires_at", "expires_at"),)

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    amount: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float)
