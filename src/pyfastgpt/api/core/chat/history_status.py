"""`/api/core/chat/history/{getHistoryStatus,markRead}`."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
